// Builds the SDK's public entry as a minified ESM bundle for browsers, checks that no Node built-in got in,
// and prints its size next to a minimal "send + result" bundle and aoconnect's browser bundle.
// Usage: npx tsx scripts/buildBrowser.ts [--outdir dist]
import { build, type BuildResult, type Metafile } from 'esbuild'
import { builtinModules } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const SDK_ENTRY = join(ROOT, 'sdk/index.ts')
export const SEND_AND_RESULT_ENTRY = join(ROOT, 'scripts/browserEntries/sendAndResult.ts')
export const AOCONNECT_ENTRY = join(ROOT, 'scripts/browserEntries/aoconnectMessageResult.js')

export type BuildBrowserBundleParameters = {
  /** Entry file (default: sdk/index.ts). */
  entry?: string
  /** Where to write the bundle (default: dist/aokit-sdk.browser.js); ignored when write is false. */
  outfile?: string
  /** Write to disk (default true); false keeps the output in memory. */
  write?: boolean
}

export type BrowserBundle = {
  /** The bundled JavaScript. */
  code: string
  metafile: Metafile
  /** Input paths as esbuild reports them, relative to the repository root. */
  inputs: string[]
  rawBytes: number
  gzipBytes: number
  warnings: BuildResult['warnings']
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))

/** Whether a metafile input path is a Node built-in or Node's own type declarations. */
export function isNodeInput(path: string): boolean {
  const normalized = path.replace(/\\/g, '/')
  // A package's "browser" map can stub a built-in out; esbuild lists that input as "(disabled):<name>".
  const bare = normalized.startsWith('(disabled):') ? normalized.slice('(disabled):'.length) : normalized
  return bare.startsWith('node:') || NODE_BUILTINS.has(bare) || normalized.includes('node_modules/@types/node/')
}

/** Builds `entry` for browsers (ESM, bundled, minified); throws if a Node built-in is pulled in. */
export async function buildBrowserBundle(params: BuildBrowserBundleParameters = {}): Promise<BrowserBundle> {
  const entry = params.entry ?? SDK_ENTRY
  const write = params.write ?? true
  const outfile = params.outfile ?? join(ROOT, 'dist/aokit-sdk.browser.js')
  // platform 'browser': an import of 'node:*' or a built-in is left unresolved, which esbuild reports as an error.
  const out = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    bundle: true,
    minify: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    outfile,
    write,
  })
  const inputs = Object.keys(out.metafile.inputs)
  const nodeInputs = inputs.filter(isNodeInput)
  if (nodeInputs.length > 0) throw new Error(`The browser bundle of ${entry} pulls in Node built-ins: ${nodeInputs.join(', ')}`)
  const code = write ? readFileSync(outfile, 'utf8') : out.outputFiles!.find((file) => file.path.endsWith('.js'))!.text
  if (/(?:require\(|from|import\()\s*["']node:/.test(code)) throw new Error(`The browser bundle of ${entry} imports a node: module`)
  const bytes = Buffer.from(code)
  return { code, metafile: out.metafile, inputs, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, warnings: out.warnings }
}

/** Size of aoconnect's shipped browser bundle (package.json "browser" / exports["./browser"]). */
export function aoconnectBrowserSize(): { path: string; rawBytes: number; gzipBytes: number } {
  const pkgDir = join(ROOT, 'node_modules/@permaweb/aoconnect')
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { browser?: string; exports?: Record<string, unknown> }
  const file = (pkg.exports?.['./browser'] as string | undefined) ?? pkg.browser ?? './dist/browser.js'
  const path = join(pkgDir, file)
  const bytes = readFileSync(path)
  return { path, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
}

type Row = { bundle: string; rawBytes: number; gzipBytes: number }

function formatTable(rows: Row[], reference: Row): string {
  const kb = (n: number) => `${n.toLocaleString('en-US')} (${(n / 1024).toFixed(1)} KiB)`
  const ratio = (row: Row) => `${((row.gzipBytes / reference.gzipBytes) * 100).toFixed(1)}% gz / ${((row.rawBytes / reference.rawBytes) * 100).toFixed(1)}% raw`
  const lines = [
    '| bundle | raw bytes | gzip bytes | ratio to aoconnect |',
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| ${row.bundle} | ${kb(row.rawBytes)} | ${kb(row.gzipBytes)} | ${ratio(row)} |`),
  ]
  return lines.join('\n')
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--outdir')
  const outdir = resolve(ROOT, at >= 0 && argv[at + 1] ? argv[at + 1]! : 'dist')
  const sdk = await buildBrowserBundle({ entry: SDK_ENTRY, outfile: join(outdir, 'aokit-sdk.browser.js') })
  const minimal = await buildBrowserBundle({ entry: SEND_AND_RESULT_ENTRY, outfile: join(outdir, 'aokit-send-and-result.browser.js') })
  const ao = aoconnectBrowserSize()
  // The same settings over `import { message, result, createDataItemSigner } from '@permaweb/aoconnect/browser'`.
  const aoRebundled = await buildBrowserBundle({ entry: AOCONNECT_ENTRY, write: false })
  for (const warning of [...sdk.warnings, ...minimal.warnings]) console.warn(`warning: ${warning.text}`)
  const reference = { bundle: '@permaweb/aoconnect dist/browser.js (shipped)', rawBytes: ao.rawBytes, gzipBytes: ao.gzipBytes }
  const rows: Row[] = [
    { bundle: 'aokit sdk/index.ts (whole SDK)', rawBytes: sdk.rawBytes, gzipBytes: sdk.gzipBytes },
    { bundle: 'aokit send + result (createClient, message, result, arweaveSigner)', rawBytes: minimal.rawBytes, gzipBytes: minimal.gzipBytes },
    reference,
    { bundle: 'aoconnect message + result + createDataItemSigner, same esbuild settings', rawBytes: aoRebundled.rawBytes, gzipBytes: aoRebundled.gzipBytes },
  ]
  console.log(`Wrote ${join(outdir, 'aokit-sdk.browser.js')} and ${join(outdir, 'aokit-send-and-result.browser.js')}\n`)
  console.log(formatTable(rows, reference))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
