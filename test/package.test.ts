// aokit as its users get it: the packed tarball, installed with npm into fresh projects outside this repository
// (from a registry on 127.0.0.1 that serves the lockfile's packages out of npm's cache, so it runs offline), then
// used the way a dApp, a contract test suite and a deploy script would.
import { expect } from 'chai'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { replay } from '../harness/replay.js'
import { isNodeInput } from '../scripts/buildBrowser.js'
import { startLocalRegistry, type LocalRegistry, type Manifest } from './helpers/localRegistry.js'

const ROOT = resolve(import.meta.dirname, '..')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest & { devDependencies: Record<string, string> }

type Run = { status: number | null; stdout: string; stderr: string }

/** Runs a command without blocking: the registry answering npm lives in this process. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

async function ok(pending: Promise<Run>): Promise<string> {
  const result = await pending
  if (result.status !== 0) throw new Error(`exit ${result.status}\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}

describe('the packed aokit package, installed into other projects (offline)', function () {
  this.timeout(600_000)
  let work: string
  let tarball: string
  let registry: LocalRegistry
  let npmEnv: NodeJS.ProcessEnv
  let app: string

  /** npm as a user runs it, pointed at the loopback registry with a cache of its own. */
  const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => run('npm', args, cwd, { ...npmEnv, ...env })

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'aokit-package-'))
    const packed = JSON.parse(await ok(run('npm', ['pack', '--json', '--pack-destination', work], ROOT))) as { filename: string }[]
    tarball = join(work, packed[0]!.filename)
    const cacheDir = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim()
    registry = await startLocalRegistry({ lockfile: join(ROOT, 'package-lock.json'), cacheDir, extra: [{ manifest: pkg, tarball }] })
    npmEnv = {
      npm_config_registry: registry.url + '/',
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      // better-sqlite3's install tries a prebuilt download first; straight to the local compiler instead.
      npm_config_build_from_source: 'true',
    }

    app = join(work, 'app')
    mkdirSync(app)
    writeJson(join(app, 'package.json'), {
      name: 'app',
      private: true,
      type: 'module',
      dependencies: { aokit: `^${pkg.version}` },
      devDependencies: { '@types/node': pkg.devDependencies['@types/node'], '@types/chai': pkg.devDependencies['@types/chai'], chai: pkg.devDependencies['chai'] },
    })
    await ok(npm(['install', '--omit=optional'], app))
  })

  after(async () => {
    await registry?.close()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('ships the compiled package and its docs, without tests, benchmarks or CI files', async () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''))
    expect(files).to.include.members(['package.json', 'README.md', 'LICENSE', 'bin/aokit.js', 'dist/sdk/index.js', 'dist/sdk/index.d.ts', 'dist/harness/index.js', 'dist/harness/lua/handlers.lua', 'dist/contracts/token.lua'])
    expect(files.filter((f) => /^(test|bench|\.ci|examples|scripts)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$|^dist\/scripts\/template\//.test(f)))).to.deep.equal([])
  })

  it('installs for the SDK without building anything: no better-sqlite3, no aoconnect', async () => {
    const installed = readdirSync(join(app, 'node_modules'))
    expect(installed).to.include('aokit')
    expect(installed).to.not.include('better-sqlite3')
    expect(existsSync(join(app, 'node_modules/@permaweb/aoconnect'))).to.equal(false)
  })

  it('runs a plain .mjs script that spawns a process with aokit/testing and messages it through the SDK', async () => {
    writeFileSync(
      join(app, 'hello.mjs'),
      `import { createClient, ethereumSigner, local, message, result } from 'aokit'
import { createTestNetwork } from 'aokit/testing'

const t = createTestNetwork()
const pid = await t.spawn({ name: 'greeter', source: "Handlers.add('hi', 'Hi', function(msg) msg.reply({ Data = 'hello ' .. msg.Name }) end)" })
const client = createClient({ transport: local(t), signer: ethereumSigner('0x' + '11'.repeat(32)) })
const id = await message(client, { process: pid, tags: { Action: 'Hi', Name: 'ao' } })
const { Messages } = await result(client, { process: pid, message: id })
console.log(Messages[0].Data)
`,
    )
    expect(await ok(run(process.execPath, ['hello.mjs'], app))).to.equal('hello ao\n')
  })

  it("loads no wasm, no SQLite, no harness, and no Node built-in of its own when a dApp imports aokit", async () => {
    writeFileSync(
      join(app, 'trace-hooks.mjs'),
      `import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(process.env.TRACE_FILE, (context.parentURL ?? '') + ' ' + resolved.url + '\\n')
  return resolved
}
`,
    )
    writeFileSync(join(app, 'register.mjs'), `import { register } from 'node:module'\nregister('./trace-hooks.mjs', import.meta.url)\n`)
    const traceFile = join(work, 'resolved.txt')
    await ok(run(process.execPath, ['--import', './register.mjs', '--input-type=module', '-e', "const sdk = await import('aokit'); if (typeof sdk.createClient !== 'function') process.exit(3)"], app, { TRACE_FILE: traceFile }))
    const edges = readFileSync(traceFile, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string])
    const fromAokit = edges.filter(([parent]) => parent.includes('/node_modules/aokit/')).map(([, url]) => url)
    expect(fromAokit).to.include(pathToFileURL(join(app, 'node_modules/aokit/dist/sdk/client.js')).href)
    expect(fromAokit.filter((url) => url.startsWith('node:'))).to.deep.equal([])
    // Dependencies' Node builds may use built-ins (ethers' does); the browser bundle test checks the browser side.
    expect(edges.map(([, url]) => url).filter((url) => /wasmoon|better-sqlite3|aoconnect|\/aokit\/dist\/harness\//.test(url))).to.deep.equal([])
  })

  it('type-checks a TypeScript user of every entry under the strictest settings, with nodenext and bundler resolution', async () => {
    writeFileSync(
      join(app, 'uses.ts'),
      `import { AokitError, createClient, ethereumSigner, legacy, message, token, type AoResult } from 'aokit'
import { mainnet } from 'aokit/mainnet'
import * as chai from 'chai'
import { aokitChai, createTestNetwork, type TestNetwork } from 'aokit/testing'
import { startDevnetServer, type DevnetServer } from 'aokit/devnet'
import { deploy, bundleLua } from 'aokit/deploy'
import { replay, ReplayFormatError } from 'aokit/replay'
import { ProcessVm, ComputeLimitError } from 'aokit/runtime'

chai.use(aokitChai)
const t: TestNetwork = createTestNetwork({ seed: 'x' })
const client = createClient({ transport: legacy({ muUrl: 'http://127.0.0.1:1/mu', cuUrl: 'http://127.0.0.1:1/cu' }), signer: ethereumSigner('0x' + '11'.repeat(32)) })
export async function usesEverything(res: AoResult): Promise<string | undefined> {
  chai.expect(res).to.have.reply({ Action: 'Ok' })
  const server: DevnetServer = await startDevnetServer({ port: 0, dataDir: '.aokit' })
  const pid = await t.spawn({ source: 'x = 1' })
  await message(client, { process: pid, tags: { Action: 'Hi' } })
  await token(client, pid).balance()
  mainnet({ url: 'http://127.0.0.1:1' })
  await deploy({ file: 'a.lua', client, scheduler: 's', manifestPath: 'm.json' })
  bundleLua('a.lua').modules.map((m) => m.path)
  const vm = await ProcessVm.create({ Process: { Id: 'p', Owner: 'o', Tags: [] }, Module: { Id: 'm', Owner: 'o', Tags: [] } })
  const { results } = await replay({})
  await server.close()
  const errors = [new ReplayFormatError('f', 'why'), new ComputeLimitError(1)].filter((e) => e instanceof AokitError)
  return results[0]?.Error ?? (vm ? errors[0]?.message : undefined)
}
`,
    )
    const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, target: 'ES2022', types: ['node'] }
    writeJson(join(app, 'tsconfig.nodenext.json'), { compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['uses.ts'] })
    writeJson(join(app, 'tsconfig.bundler.json'), { compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, files: ['uses.ts'] })
    await ok(run(process.execPath, [TSC, '-p', 'tsconfig.nodenext.json'], app))
    await ok(run(process.execPath, [TSC, '-p', 'tsconfig.bundler.json'], app))
  })

  it('bundles aokit for the browser with esbuild, pulling in no Node built-in', async () => {
    writeFileSync(join(app, 'dapp.js'), `import { createClient, legacy, injectedEthereumSigner, message, result } from 'aokit'\nexport { createClient, legacy, injectedEthereumSigner, message, result }\n`)
    const out = await build({ entryPoints: [join(app, 'dapp.js')], absWorkingDir: app, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' })
    const inputs = Object.keys(out.metafile.inputs)
    expect(inputs.some((path) => path.includes('node_modules/aokit/dist/sdk/'))).to.equal(true)
    expect(inputs.filter(isNodeInput)).to.deep.equal([])
  })

  it('runs the CLI from the package: --version and replay', async () => {
    expect((await ok(npm(['exec', '--', 'aokit', '--version'], app))).trim()).to.equal(pkg.version)
    const file = join(ROOT, 'test/fidelity/cases/token-transfer.json')
    const printed = JSON.parse(await ok(npm(['exec', '--', 'aokit', 'replay', file], app))) as unknown
    expect(printed).to.deep.equal(await replay(JSON.parse(readFileSync(file, 'utf8'))))
  })

  it('tells a CommonJS require() that aokit is ESM-only', async () => {
    writeFileSync(join(app, 'old.cjs'), "require('aokit')\n")
    const res = await run(process.execPath, ['old.cjs'], app)
    expect(res.status).to.equal(1)
    expect(res.stderr).to.contain('aokit is an ES module package').and.to.contain("await import('aokit')")
  })

  it('names the package to install when the devnet is used without better-sqlite3', async () => {
    const res = run(process.execPath, ['--input-type=module', '-e', "import { startDevnetServer } from 'aokit/devnet'\ntry { await startDevnetServer({ port: 0, dataDir: 'devnet-data' }) } catch (e) { console.log(e.name + ': ' + e.message) }"], app)
    expect(await ok(res)).to.match(/^MissingDependencyError: The devnet .* needs the package better-sqlite3, which is not installed\. Install it with: npm install --save-dev better-sqlite3\n$/)
  })

  it('scaffolds a project with `npx aokit init` whose own `npm install && npm test` pass, and whose devnet starts', async () => {
    await ok(npm(['exec', '--', 'aokit', 'init', 'my-app'], app))
    const project = join(app, 'my-app')
    await ok(npm(['install'], project))
    const tested = await npm(['test'], project)
    expect(tested.status, tested.stdout + tested.stderr).to.equal(0)
    expect(tested.stdout).to.match(/\d+ passing/).and.not.to.match(/failing|pending/)

    const devnet = spawn(process.execPath, [join(project, 'node_modules/aokit/bin/aokit.js'), 'devnet', '--port', '0', '--data-dir', '.aokit'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const banner = await new Promise<string>((done, fail) => {
        let out = ''
        devnet.stdout.on('data', (chunk: Buffer) => (out += chunk) && /\/mu\b/.test(out) && done(out))
        devnet.once('exit', (code) => fail(new Error(`devnet exited with ${code}: ${out}`)))
      })
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)![0]
      const timestamp = await fetch(`${url}/su/timestamp`).then((r) => r.json() as Promise<{ timestamp: number }>)
      expect(timestamp.timestamp).to.be.a('number')
    } finally {
      devnet.kill('SIGTERM')
    }
  })

})
