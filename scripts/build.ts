// `npm run build`: compiles sdk/, harness/ and the deploy/init scripts to dist/ (ESM, .d.ts, source maps with
// their sources inlined) and copies what they read at run time: the Lua runtime, the init template, the token
// contract the template uses, and the CommonJS stub that explains aokit is ESM-only.
import { spawnSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist')

/** Source → destination under dist/, relative to the repository root. */
const ASSETS: [string, string][] = [
  ['harness/lua', 'harness/lua'],
  ['scripts/template', 'scripts/template'],
  ['contracts/token.lua', 'contracts/token.lua'],
  ['scripts/esmOnly.cjs', 'esmOnly.cjs'],
]

rmSync(DIST, { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' })
if (compiled.status !== 0) process.exit(compiled.status ?? 1)
for (const [from, to] of ASSETS) cpSync(join(ROOT, from), join(DIST, to), { recursive: true })
