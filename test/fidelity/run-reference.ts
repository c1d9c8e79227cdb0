// CLI: prints the real aos module's results for a case of the corpus or an ao-replay/1 file.
//   npx tsx test/fidelity/run-reference.ts <case-name | file.json> [more…]
import { existsSync, readFileSync } from 'node:fs'
import { cases } from './cases.js'
import { runReference } from './reference.js'
import type { ReplayFile } from './replayFile.js'

function load(arg: string): ReplayFile {
  if (cases[arg]) return cases[arg]
  if (existsSync(arg)) return JSON.parse(readFileSync(arg, 'utf8')) as ReplayFile
  throw new Error(`not a case name or a file: ${arg}\ncases: ${Object.keys(cases).join(' ')}`)
}

const args = process.argv.slice(2)
if (args.length === 0) {
  process.stderr.write('usage: npx tsx test/fidelity/run-reference.ts <case-name | file.json> [more…]\n')
  process.stderr.write(`cases: ${Object.keys(cases).join(' ')}\n`)
  process.exit(2)
}
try {
  const files = args.map(load)
  const outputs = await runReference(files)
  const shown = args.length === 1 ? outputs[0] : Object.fromEntries(args.map((a, i) => [a, outputs[i]]))
  process.stdout.write(JSON.stringify(shown, null, 2) + '\n')
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`)
  process.exit(1)
}
