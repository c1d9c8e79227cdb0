import { AokitError } from '../../sdk/errors.js'

/** A message used more gas (WebAssembly instructions, C library included) than its process allows. */
export class ComputeLimitError extends AokitError {
  override name = 'ComputeLimitError'
  constructor(readonly limit: number) {
    super(`Compute limit exceeded: the message used more than computeLimit = ${limit} gas (WebAssembly instructions).`, {
      details: 'Set computeLimit when creating the process to raise it; state was rolled back.',
    })
  }
}

/** A message's result (Output, Messages, Spawns…) was larger than the host accepts. */
export class OutputLimitError extends AokitError {
  override name = 'OutputLimitError'
  constructor(readonly limit: number) {
    super(`Output limit exceeded: the message's result is larger than maxOutput = ${limit} bytes.`, {
      details: 'Set maxOutput when creating the process to raise it; state was rolled back.',
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

/** A host-wide VM setting out of its range (names the setting and what it takes). */
export class VmSettingError extends AokitError {
  override name = 'VmSettingError'
  constructor(readonly setting: string, value: unknown, expected: string) {
    super(`${setting} must be ${expected}; got ${String(value)}.`)
  }
}
