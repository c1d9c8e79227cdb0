// What a command is: its help (usage lines, flags, examples) and what it runs. The help and the flag parser read
// the same flag list, so `--help` never lists a flag the parser refuses, or the other way round.
import type { CliIo } from './cliIo.js'
import type { ParsedArgs } from './parseFlags.js'

export type Flag = {
  /** The long name, without dashes: `data-dir`. */
  name: string
  short?: string
  /** Placeholder of its value, e.g. `<n>`; a flag without one is a switch. */
  value?: string
  /** May be given several times; the values are kept in order. */
  multiple?: boolean
  help: string
}

export type Command = {
  name: string
  /** One line for `aokit --help`. */
  summary: string
  /** Positional arguments in order: `<file>` is required, `[dir]` optional. */
  args: string[]
  /** The command lines it takes, each starting with `aokit <name>`. */
  usage: string[]
  /** What it does, a few lines. */
  description: string
  flags: Flag[]
  examples: string[]
  /** Runs with a checked command line; returns the exit code. Throws UsageError (exit 2) or any error (exit 1). */
  run(args: ParsedArgs, io: CliIo): Promise<number>
}
