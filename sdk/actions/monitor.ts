import type { Client } from '../client.js'
import { signItem } from './signItem.js'
import { protocolTags } from './tags.js'

/** Parameters of {@link monitor}. */
export type MonitorParameters = { process: string }
export type MonitorReturnType = void

/** Asks the MU to run a process's crons (a signed request, as aoconnect sends). */
export async function monitor(client: Client, params: MonitorParameters): Promise<MonitorReturnType> {
  const item = await signItem(client, { target: params.process, tags: protocolTags(undefined, 'Message', false), data: ' ' }, 'monitor')
  await client.transport.monitor(item)
}
