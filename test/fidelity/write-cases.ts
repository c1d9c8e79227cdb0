// Writes every corpus case as an ao-replay/1 file under test/fidelity/cases/, so the corpus doubles as example
// replay files.   npx tsx test/fidelity/write-cases.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cases } from './cases.js'

const dir = new URL('./cases/', import.meta.url)
mkdirSync(dir, { recursive: true })
// Remove files of cases that no longer exist, so the directory mirrors the corpus.
for (const f of readdirSync(dir)) if (f.endsWith('.json') && !cases[f.slice(0, -5)]) rmSync(new URL(f, dir))
for (const [name, file] of Object.entries(cases)) {
  writeFileSync(new URL(`${name}.json`, dir), JSON.stringify(file, null, 2) + '\n')
}
process.stdout.write(`wrote ${Object.keys(cases).length} cases to ${dir.pathname}\n`)
