// The types an AoNetwork and its parts share: what a process of the network holds, what an input may still
// use, what is queued for delivery, and the tag helpers every part reads tags with.
import type { AoEnv, AoMessage, AoOutboxMessage, AoResult } from '../vm/processVm.js'
import type { Hop } from './errors.js'
import type { ProcessEvaluator } from './evaluator.js'
import { stringTags, type NetworkMessage, type Tag } from './messenger.js'
import type { MessageNode } from './messageTree.js'
import type { PublishedState } from './patch.js'
import type { Scheduler } from './scheduler.js'

export type TagsInput = Record<string, string | number | boolean> | { name: string; value: unknown }[]

/** One evaluation at one process, as `onEvaluation` reports it. */
export type EvaluationEvent = { process: string; message: AoMessage; result: AoResult }

/** The first message of a send (or a cron tick) and everything it caused. */
export type SendResult = MessageNode

/** What left the network: messages to processes it does not hold, assignments it could not deliver. */
export type ExternalEntry =
  | { kind: 'message'; from: string; message: NetworkMessage }
  | { kind: 'assignment'; from: string; processId: string; messageId: string }

export type CronSchedule = { interval: number; next: number; tags: Tag[] }

/** One process of the network. */
export type NetworkProcess = {
  id: string
  /** The signer of its Process message (a wallet for net.spawn, the messenger for a spawn from Lua). */
  owner: string
  module: string
  env: AoEnv
  /** A Lua ProcessVm, or a MockProcess for net.mock. */
  vm: ProcessEvaluator
  scheduler: Scheduler
  cron?: CronSchedule
  /** What its patch@1.0 messages published (see patch.ts); replaced, never mutated, on each patch. */
  published: PublishedState
}

/** What one input (a send, submit, assign or cron tick) has used of its bounds so far. */
export type Budget = { delivered: number; spawns: number; hops: Hop[] }

export const newBudget = (): Budget => ({ delivered: 0, spawns: 0, hops: [] })

export type Delivery =
  | { kind: 'message'; message: NetworkMessage; into: MessageNode[] }
  | { kind: 'spawn'; spawn: AoOutboxMessage; sender: NetworkProcess; pushedFor: string | undefined; into: MessageNode[] }
  | { kind: 'assignment'; processId: string; messageId: string; from: string; into: MessageNode[] }

export const toTags = (tags: TagsInput | undefined): Tag[] =>
  Array.isArray(tags) ? stringTags(tags) : Object.entries(tags ?? {}).map(([name, value]) => ({ name, value: String(value) }))

export const tagValue = (tags: Tag[], name: string) => tags.find((tag) => tag.name === name)?.value

/** A copy of a cron schedule that shares nothing with it. */
export const copyCron = (cron: CronSchedule | undefined): CronSchedule | undefined => cron && { ...cron, tags: [...cron.tags] }
