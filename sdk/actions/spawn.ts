import type { Client } from '../client.js'
import type { TagsInput } from '../types.js'
import { signItem } from './signItem.js'
import { protocolTags } from './tags.js'

/** The scheduler unit of AO's legacy network, used when `scheduler` is not given. */
export const DEFAULT_SCHEDULER = '_GQ33BkPtZrqxA84vM8Zk-N2aO0toNNu_C-l-rawrBA'

/** Parameters of {@link spawn}. */
export type SpawnParameters = {
  /** Module (wasm) the process runs. */
  module: string
  /** Scheduler unit address (default: the legacy network's). */
  scheduler?: string
  tags?: TagsInput
  data?: string | Uint8Array
}
/** The new process's id. */
export type SpawnReturnType = string

/** Signs a Process data item (with Module and Scheduler tags) and sends it; returns the process id. */
export async function spawn(client: Client, params: SpawnParameters): Promise<SpawnReturnType> {
  const hasData = params.data !== undefined && params.data.length > 0
  const tags = [
    ...protocolTags(params.tags, 'Process', hasData),
    { name: 'Module', value: params.module },
    { name: 'Scheduler', value: params.scheduler ?? DEFAULT_SCHEDULER },
  ]
  const item = await signItem(client, { tags, data: hasData ? params.data! : ' ' }, 'spawn')
  const { id } = await client.transport.spawn(item)
  return id
}
