// What the network needs from a process's evaluator: a Lua ProcessVm, or a MockProcess written in TypeScript.
import type { AoEnv, AoMessage, AoResult } from '../vm/processVm.js'

export interface ProcessEvaluator {
  /** Evaluates a scheduled message and keeps its effects (unless its result has an Error). */
  evaluate(message: AoMessage, env: AoEnv): Promise<AoResult>
  /** Evaluates a message and forgets everything it did. */
  dryRun(message: AoMessage, env: AoEnv): Promise<AoResult>
  /** A global of the process's state as plain JSON (null when there is none). */
  read(path: string): Promise<unknown>
  /**
   * The current state, as an opaque value only this evaluator's revert reads. `lazy`: the evaluator may leave work
   * for the revert (replaying a few messages) rather than copy its state now.
   */
  snapshot(options?: { lazy?: boolean }): unknown
  revert(snapshot: unknown): void
  /** Makes everything the state holds part of its memory image (waking the process if it must); optional. */
  settle?(): Promise<void>
}
