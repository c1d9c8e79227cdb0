import type { Client } from '../client.js'
import { signItem } from './signItem.js'
import { protocolTags } from './tags.js'

/** Parameters of {@link unmonitor}. */
export type UnmonitorParameters = { process: string }
export type UnmonitorReturnType = void

/** Asks the MU to stop running a process's crons. */
export async function unmonitor(client: Client, params: UnmonitorParameters): Promise<UnmonitorReturnType> {
  const item = await signItem(client, { target: params.process, tags: protocolTags(undefined, 'Message', false), data: ' ' }, 'unmonitor')
  await client.transport.unmonitor(item)
}
