// Builds the dApp for browsers: src/main.ts bundled by the SDK's browser build (scripts/buildBrowser.ts)
// into <outDir>/main.js, next to a copy of index.html. Fails if a Node built-in gets into the bundle.
// Usage: npx tsx examples/dapp/build.ts [--outdir examples/dapp/dist] [--serve 8080]
import { copyFileSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildBrowserBundle } from '../../scripts/buildBrowser.js'

const HERE = dirname(fileURLToPath(import.meta.url))

/** Writes index.html and main.js into `outDir`; returns their paths. */
export async function buildDapp(outDir: string): Promise<{ html: string; script: string }> {
  mkdirSync(outDir, { recursive: true })
  const script = join(outDir, 'main.js')
  // The SDK's browser build: same esbuild settings, and it throws if a Node built-in gets in.
  await buildBrowserBundle({ entry: join(HERE, 'src/main.ts'), outfile: script })
  const html = join(outDir, 'index.html')
  copyFileSync(join(HERE, 'index.html'), html)
  return { html, script }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' }

/** Serves `dir`'s index.html and main.js on 127.0.0.1 (nothing else): enough for this page. */
export async function serveDapp(dir: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://dapp').pathname
    const file = path === '/' ? 'index.html' : path.slice(1)
    if (!(file in { 'index.html': 1, 'main.js': 1 })) return void response.writeHead(404).end('not found')
    readFile(join(dir, file)).then(
      (body) => response.writeHead(200, { 'Content-Type': TYPES[extname(file)]! }).end(body),
      () => response.writeHead(404).end('not built'),
    )
  })
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()) }),
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2)
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const outDir = resolve(option('--outdir') ?? join(HERE, 'dist'))
  const serve = option('--serve')
  buildDapp(outDir)
    .then(async ({ html }) => {
      console.log(`Built ${html}`)
      if (serve !== undefined) console.log(`Serving on ${(await serveDapp(outDir, Number(serve))).url}`)
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    })
}
