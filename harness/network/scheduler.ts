// A scheduler unit for one process: gives each message it assigns its place in the process's history
// (Nonce, Timestamp, Block-Height, Epoch, Hash-Chain) and keeps that history in order.
import { createHash } from 'node:crypto'
import type { AoMessage, AoResult } from '../vm/processVm.js'
import type { VirtualClock } from './clock.js'

/** The fields a scheduler adds to a message (spec §6). */
export type Assignment = {
  Epoch: number
  Nonce: number
  Timestamp: number
  'Block-Height': number
  'Hash-Chain': string
}

/** One entry of a process's history: the message as the process evaluated it. */
export type ScheduledMessage = { nonce: number; message: AoMessage; result?: AoResult }

/** base64url(sha256(previous Hash-Chain + message id)); the Process message chains from the empty string. */
export function nextHashChain(previous: string, messageId: string): string {
  return createHash('sha256').update(previous + messageId).digest('base64url')
}

/** Where a scheduler stood: the history only grows, so its length and the chain's head say it all. */
export type SchedulerState = { readonly length: number; readonly hashChain: string }

export class Scheduler {
  private readonly history: ScheduledMessage[] = []
  private hashChain = ''
  /** Messages assigned before this scheduler was resumed from a saved state; their history is kept elsewhere. */
  private base = 0

  constructor(
    readonly processId: string,
    private readonly clock: VirtualClock,
  ) {}

  /** The assignment the next message would get, without taking it (dry-runs use it). */
  peek(messageId: string): Assignment {
    return {
      Epoch: 0,
      Nonce: this.base + this.history.length,
      Timestamp: this.clock.now,
      'Block-Height': this.clock.blockHeight,
      'Hash-Chain': nextHashChain(this.hashChain, messageId),
    }
  }

  /** Schedules a message: returns it with its assignment fields set and appends it to the history. */
  assign(message: AoMessage): AoMessage {
    const assignment = this.peek(message.Id)
    const scheduled = { ...message, ...assignment }
    this.hashChain = assignment['Hash-Chain']
    this.history.push({ nonce: assignment.Nonce, message: scheduled })
    return scheduled
  }

  /** Records what the process returned for a message it was assigned. */
  recordResult(nonce: number, result: AoResult): void {
    const entry = this.history[nonce - this.base]
    if (entry) entry.result = result
  }

  state(): SchedulerState {
    return { length: this.base + this.history.length, hashChain: this.hashChain }
  }

  /** Forgets every message assigned after `state` was taken. */
  revert(state: SchedulerState): void {
    this.history.length = Math.max(0, state.length - this.base)
    this.hashChain = state.hashChain
  }

  /** A scheduler that goes on from a saved state: the next message gets nonce `state.length`. */
  static resume(processId: string, clock: VirtualClock, state: SchedulerState): Scheduler {
    const scheduler = new Scheduler(processId, clock)
    scheduler.base = state.length
    scheduler.hashChain = state.hashChain
    return scheduler
  }

  /** Every message assigned so far (since a resume), Process message (nonce 0) first. */
  get messages(): readonly ScheduledMessage[] {
    return this.history
  }
}
