// `aokit <command>`: the command-line entry. Each command lives in harness/cli/<name>Command.ts and returns its exit
// code: 0 done, 1 the command failed (one line says why; AOKIT_DEBUG=1 adds the stack), 2 the command line is wrong.
import { cliIo, type CliIo } from './cli/cliIo.js'
import type { Command } from './cli/command.js'
import { deployCommand } from './cli/deployCommand.js'
import { devnetCommand } from './cli/devnetCommand.js'
import { diffCommand } from './cli/diffCommand.js'
import { exportCommand } from './cli/exportCommand.js'
import { UsageError } from './cli/errors.js'
import { initCommand } from './cli/initCommand.js'
import { replayCommand } from './cli/replayCommand.js'
import { reportError } from './cli/reportError.js'
import { runCommand } from './cli/runCommand.js'
import { suggest } from './cli/suggest.js'
import { commandHelp, overviewHelp } from './cli/usage.js'
import { aokitVersion } from './cli/aokitVersion.js'

export type { CliIo } from './cli/cliIo.js'

/** In the order `aokit --help` lists them: how a project starts, runs, ships, and the fidelity tools. */
const COMMANDS: readonly Command[] = [initCommand, devnetCommand, deployCommand, exportCommand, replayCommand, diffCommand]

/** Runs `aokit` with `argv` (the words after it); resolves to the exit code. `io` defaults to the process's streams. */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = cliIo(io)
  const [first, ...rest] = argv
  try {
    if (first === undefined) {
      out.stderr(overviewHelp(COMMANDS))
      return 2
    }
    if (first === '--help' || first === '-h') {
      out.stdout(overviewHelp(COMMANDS))
      return 0
    }
    if (first === '--version' || first === '-v') {
      out.stdout(aokitVersion() + '\n')
      return 0
    }
    if (first === 'help') {
      if (rest.length === 0) {
        out.stdout(overviewHelp(COMMANDS))
        return 0
      }
      out.stdout(commandHelp(findCommand(rest[0]!)))
      return 0
    }
    return await runCommand(findCommand(first), rest, out)
  } catch (error) {
    return reportError(error, out)
  }
}

/** @throws {UsageError} no such command, with the nearest one if it looks like a typo. */
function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name)
  if (command) return command
  if (name.startsWith('-')) throw new UsageError(`unknown flag ${name}; flags go after the command: aokit <command> ${name}`)
  const near = suggest(name, COMMANDS.map((c) => c.name))
  throw new UsageError(`unknown command ${name}${near ? `; did you mean ${near}?` : ''}`)
}
