#!/usr/bin/env node
// The aokit command: runs the compiled CLI (dist/, built by `npm run build` and shipped in the package).
import { existsSync } from 'node:fs'

const cli = new URL('../dist/harness/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('aokit: dist/ is missing; run `npm run build` in the aokit repository first.\n')
  process.exit(1)
}
const { main } = await import(cli.href)
process.exitCode = await main(process.argv.slice(2))
