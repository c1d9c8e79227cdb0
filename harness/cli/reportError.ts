// How a failed command ends: one line naming the command and what went wrong, no stack (AOKIT_DEBUG=1 adds it).
import { AokitError } from '../../sdk/errors.js'
import type { CliIo } from './cliIo.js'
import type { Command } from './command.js'
import { UsageError } from './errors.js'
import { synopsis } from './usage.js'

/**
 * Prints `error` for a user and returns the exit code: 2 for a usage error (with where to find help and, for a
 * command, its usage lines), 1 for anything else. `command` is undefined for mistakes before a command is known.
 */
export function reportError(error: unknown, io: CliIo, command?: Command): number {
  const prefix = command ? `aokit ${command.name}` : 'aokit'
  if (error instanceof UsageError) {
    io.stderr(`${prefix}: ${error.shortMessage} (see ${prefix} --help)\n${command ? synopsis(command) + '\n' : ''}`)
    return 2
  }
  const expected = isAokitError(error)
  if (expected) {
    io.stderr(`${prefix}: ${error.shortMessage}\n${error.details ? `  ${error.details}\n` : ''}`)
  } else {
    io.stderr(`${prefix}: ${error instanceof Error ? error.message : String(error)}\n`)
  }
  if (io.env.AOKIT_DEBUG === '1') io.stderr(stackOf(error))
  else if (!expected) io.stderr('(set AOKIT_DEBUG=1 to see where it failed)\n')
  return 1
}

/**
 * By class name along the prototype chain, not `instanceof`: commands import their modules lazily, and a runner
 * that loaded the CLI as CommonJS (mocha through tsx) gets a second copy of aokit's error classes from them.
 */
function isAokitError(error: unknown): error is AokitError {
  if (error instanceof AokitError) return true
  if (typeof error !== 'object' || error === null) return false
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === 'AokitError') return true
  }
  return false
}

/** The stack, then each cause's, as Node prints them. */
function stackOf(error: unknown): string {
  let text = ''
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    text += (depth === 0 ? '' : 'Caused by: ') + (e instanceof Error ? (e.stack ?? e.message) : String(e)) + '\n'
  }
  return text
}
