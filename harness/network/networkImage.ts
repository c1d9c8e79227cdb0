// A network as plain data, for storing on disk: what a devnet writes as its periodic snapshot and restores on
// start. Unlike NetworkSnapshot (references, for revert within one run), everything here is copied out.
import type { AoEnv } from '../vm/processVm.js'
import type { NetworkMessage } from './messenger.js'
import type { SchedulerState } from './scheduler.js'

export type ProcessImage = {
  id: string
  owner: string
  module: string
  env: AoEnv
  cron?: { interval: number; next: number; tags: { name: string; value: string }[] }
  scheduler: SchedulerState
  /** The used part of the process's linear memory. */
  memory: Uint8Array
  /** What its patch@1.0 messages published; absent in images written before aokit kept it (read as `{}`). */
  published?: Record<string, unknown>
}

export type NetworkImage = {
  seed: string
  clock: number
  ids: [string, number][]
  /** In spawn order. */
  processes: ProcessImage[]
  /** Every message the network had seen, in the order it saw them (assignments look them up). */
  messages: NetworkMessage[]
}
