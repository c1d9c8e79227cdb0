// `aokit replay <file.json>`: evaluates an ao-replay/1 file and prints {"results": [...]} as JSON.
import type { Command } from './command.js'
import { readJsonFile } from './readJsonFile.js'

export const replayCommand: Command = {
  name: 'replay',
  summary: 'evaluate an ao-replay/1 file and print {"results": [...]} as JSON',
  args: ['<file.json>'],
  usage: ['aokit replay <file.json>'],
  description: `Spawns the file's process on aokit's runtime, evaluates its messages in order and prints one result per
evaluated message (the Process message first) on stdout. The output is byte-identical whatever the host, so it
can be compared with another implementation's. A file that is not ao-replay/1 exits 2, naming the field.`,
  flags: [],
  examples: ['aokit replay transfer.json > results.json'],
  async run(args, io) {
    const file = args.positionals[0]!
    const read = readJsonFile('replay', file, io)
    if (!read) return 2
    const input = read.value
    // Loaded here: the Lua runtime is not needed by the other commands, nor by --help.
    const { replay, ReplayFormatError } = await import('../replay.js')
    try {
      const { results } = await replay(input)
      // One result at a time: each is bounded (maxOutput), their sum may not fit one JavaScript string.
      io.stdout('{"results":[')
      results.forEach((result, i) => io.stdout((i ? ',' : '') + JSON.stringify(result)))
      io.stdout(']}\n')
      return 0
    } catch (error) {
      if (!(error instanceof ReplayFormatError)) throw error
      io.stderr(`aokit replay: ${error.shortMessage}\n`)
      return 2
    }
  },
}
