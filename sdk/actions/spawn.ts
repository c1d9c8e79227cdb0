import type { Client } from '../client.js'
import { DEFAULT_AUTHORITY, DEFAULT_SCHEDULER } from '../constants.js'
import type { TagsInput } from '../types.js'
import { signItem } from './signItem.js'
import { protocolTags } from './tags.js'

export { DEFAULT_AUTHORITY, DEFAULT_SCHEDULER } from '../constants.js'

/** Parameters of {@link spawn}. */
export type SpawnParameters = {
  /** Module (wasm) the process runs. */
  module: string
  /** Scheduler unit address (default: the transport's network's, else the legacy network's). */
  scheduler?: string
  /** Added as the Authority tag unless `tags` has one (default: the transport's network's, else the legacy MU, as aos's CLI adds). */
  authority?: string
  tags?: TagsInput
  data?: string | Uint8Array
}
/** The new process's id. */
export type SpawnReturnType = string

/** Signs a Process data item (with Module and Scheduler tags) and sends it; returns the process id. */
export async function spawn(client: Client, params: SpawnParameters): Promise<SpawnReturnType> {
  const hasData = params.data !== undefined && params.data.length > 0
  // A HyperBEAM node schedules and pushes itself: its transport names its own address and device tags.
  const defaults = await client.transport.spawnDefaults?.()
  const tags = [
    ...protocolTags(params.tags, 'Process', hasData),
    { name: 'Module', value: params.module },
    { name: 'Scheduler', value: params.scheduler ?? defaults?.scheduler ?? DEFAULT_SCHEDULER },
  ]
  // As the aos CLI does: without an Authority, aos ignores every message another process sends it.
  if (!tags.some((tag) => tag.name === 'Authority')) tags.push({ name: 'Authority', value: params.authority ?? defaults?.authority ?? DEFAULT_AUTHORITY })
  const named = new Set(tags.map((tag) => tag.name.toLowerCase()))
  for (const tag of defaults?.tags ?? []) if (!named.has(tag.name.toLowerCase())) tags.push(tag)
  const item = await signItem(client, { tags, data: hasData ? params.data! : ' ' }, 'spawn')
  const { id } = await client.transport.spawn(item)
  return id
}
