// `aokit <command>`: the command-line entry. Each command returns its exit code.
import { readFileSync } from 'node:fs'
import { replay, ReplayFormatError } from './replay.js'

const USAGE = `Usage:
  aokit replay <file.json>   evaluate an ao-replay/1 file and print {"results": [...]} as JSON`

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === 'replay') return replayCommand(args)
  process.stderr.write((command ? `Unknown command: ${command}\n` : '') + USAGE + '\n')
  return 2
}

async function replayCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('aokit replay: expected exactly one file\n' + USAGE + '\n')
    return 2
  }
  let input: unknown
  try {
    input = JSON.parse(readFileSync(args[0], 'utf8'))
  } catch (error) {
    process.stderr.write(`aokit replay: cannot read ${args[0]} as JSON: ${(error as Error).message}\n`)
    return 2
  }
  try {
    const output = await replay(input)
    process.stdout.write(JSON.stringify(output) + '\n')
    return 0
  } catch (error) {
    if (error instanceof ReplayFormatError) {
      process.stderr.write(`aokit replay: ${error.shortMessage}\n`)
      return 2
    }
    throw error
  }
}
