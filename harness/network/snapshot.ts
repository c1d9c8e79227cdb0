// A whole network at one instant. Everything here is immutable or append-only in the network, so a snapshot
// holds lengths and references, not copies: taking one costs one memory copy per process that changed, or none for
// a process that kept a single message since its last checkpoint (its revert replays that message instead).
import type { VirtualClock } from './clock.js'
import type { Ids } from './ids.js'
import type { NetworkMessage } from './messenger.js'
import type { ExternalEntry, NetworkProcess } from './networkTypes.js'
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

/** The parts of a network a snapshot covers (the network's own maps and lists, held by reference). */
export type NetworkState = {
  readonly clock: VirtualClock
  readonly ids: Ids
  readonly processes: Map<string, NetworkProcess>
  readonly messages: Map<string, NetworkMessage>
  readonly externalOutbox: ExternalEntry[]
}

/**
 * The network's state now, as lengths and references (see NetworkSnapshot). `lazy` lets a process that kept only
 * a few messages since its last checkpoint hand those back for its revert to replay, instead of copying memory now.
 */
export function takeSnapshot(state: NetworkState, { lazy }: { lazy: boolean }): NetworkSnapshot {
  return {
    clock: state.clock.now,
    ids: state.ids.snapshot(),
    processes: [...state.processes.values()].map((process) => ({
      process,
      vm: process.vm.snapshot({ lazy }),
      scheduler: process.scheduler.state(),
      cronNext: process.cron?.next,
      published: process.published,
    })),
    messages: state.messages.size,
    externalOutbox: state.externalOutbox.length,
  }
}

/** Puts the network's state back as it was at `snapshot`: processes spawned since are dropped. */
export function revertSnapshot(state: NetworkState, snapshot: NetworkSnapshot): void {
  state.clock.revert(snapshot.clock)
  state.ids.revert(snapshot.ids)
  state.processes.clear()
  for (const entry of snapshot.processes) {
    const { process } = entry
    process.vm.revert(entry.vm)
    process.scheduler.revert(entry.scheduler)
    if (process.cron && entry.cronNext !== undefined) process.cron.next = entry.cronNext
    process.published = entry.published
    state.processes.set(process.id, process)
  }
  truncateMap(state.messages, snapshot.messages)
  state.externalOutbox.length = snapshot.externalOutbox
}
