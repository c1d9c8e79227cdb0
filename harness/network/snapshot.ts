// A whole network at one instant. Everything here is immutable or append-only in the network, so a snapshot
// holds lengths and references, not copies: taking one costs one memory copy per process that changed.
import type { NetworkProcess } from './network.js'
import type { SchedulerState } from './scheduler.js'
import type { PublishedState } from './patch.js'

export type ProcessEntry = {
  readonly process: NetworkProcess
  readonly vm: unknown
  readonly scheduler: SchedulerState
  readonly cronNext: number | undefined
  /** Never mutated in place (patches replace it), so held by reference. */
  readonly published: PublishedState
}

export type NetworkSnapshot = {
  readonly clock: number
  readonly ids: ReadonlyMap<string, number>
  /** Every process then, in spawn order. */
  readonly processes: readonly ProcessEntry[]
  /** How many messages the network had seen (its message map only grows, in insertion order). */
  readonly messages: number
  readonly externalOutbox: number
}

/** Drops every entry of a map after its first `size` (insertion order). */
export function truncateMap<K, V>(map: Map<K, V>, size: number): void {
  if (map.size <= size) return
  let index = 0
  for (const key of [...map.keys()]) if (index++ >= size) map.delete(key)
}
