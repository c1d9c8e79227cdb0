// What checkInvariants throws: the broken invariant, how to reproduce it (seed and path, a mocha test, a replay file).
import { AokitError } from '../../../sdk/errors.js'
import type { Step } from './types.js'

export type InvariantFailure = {
  /** The invariant that broke; undefined when a message could not be delivered at all (a send threw). */
  invariant?: string
  /** Messages sent before the failure was seen, the failing one last (empty: broken right after setup). */
  sequence: Step[]
  /** fast-check's seed and counterexample path: `seed` + `path` options rerun exactly this case. */
  seed: number
  path: string
  /** The shrunk sequence as a mocha test, ready to paste. */
  test: string
  /** Where the target's history was written as an ao-replay/1 file (undefined when none was). */
  replayFile?: string
  /** What the invariant (or the send) threw; undefined when it returned false. */
  error?: unknown
}

/** An invariant broke after some sequence of messages; the message says which, and how to reproduce it. */
export class InvariantError extends AokitError {
  override name = 'InvariantError'
  readonly invariant?: string
  readonly sequence: Step[]
  readonly seed: number
  readonly path: string
  readonly test: string
  readonly replayFile?: string

  constructor(failure: InvariantFailure, text: string) {
    super(text, { cause: failure.error })
    this.invariant = failure.invariant
    this.sequence = failure.sequence
    this.seed = failure.seed
    this.path = failure.path
    this.test = failure.test
    this.replayFile = failure.replayFile
  }
}

/** checkInvariants was given nothing to send: no action, or an action nobody may send. */
export class InvariantOptionsError extends AokitError {
  override name = 'InvariantOptionsError'
  constructor(readonly field: string, problem: string) {
    super(`checkInvariants: ${field} ${problem}.`, { details: 'Every sequence is made of actions, and each action needs at least one sender.' })
  }
}
