// Runs one command: its help if asked, else its checked command line; any error becomes a line and an exit code.
import type { CliIo } from './cliIo.js'
import type { Command } from './command.js'
import { parseFlags } from './parseFlags.js'
import { reportError } from './reportError.js'
import { commandHelp } from './usage.js'

export async function runCommand(command: Command, argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseFlags(command, argv)
    if (args === 'help') {
      io.stdout(commandHelp(command))
      return 0
    }
    return await command.run(args, io)
  } catch (error) {
    return reportError(error, io, command)
  }
}
