import { AokitError } from '../../sdk/errors.js'

/** A message ran more Lua instructions than its process allows. */
export class ComputeLimitError extends AokitError {
  override name = 'ComputeLimitError'
  constructor(readonly limit: number) {
    super(`Compute limit exceeded: the message ran more than ${limit} Lua instructions.`, {
      details: 'Set computeLimit when creating the process to raise it; state was rolled back.',
    })
  }
}

/** A process needed more memory than its Memory-Limit. */
export class MemoryLimitError extends AokitError {
  override name = 'MemoryLimitError'
  constructor(readonly limit: number) {
    super(`Memory limit exceeded: the process needs more than ${limit} bytes.`, {
      details: 'The limit comes from the Memory-Limit tag of the process (default 1 GiB); state was rolled back.',
    })
  }
}

/** The wasm instance of a process trapped (stack exhaustion, abort); it is rebuilt from its last checkpoint. */
export class VmCrashError extends AokitError {
  override name = 'VmCrashError'
  constructor(cause: unknown) {
    super(`The Lua VM crashed: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause })
  }
}
