// The SDK's public entry bundles for browsers: no Node built-in gets in, and the bundle runs without Node globals.
import { expect } from 'chai'
import { transform } from 'esbuild'
import { webcrypto } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import vm from 'node:vm'
import { buildBrowserBundle, isNodeInput, SEND_AND_RESULT_ENTRY, type BrowserBundle } from '../../scripts/buildBrowser.js'

/**
 * Runs an ESM bundle in a fresh `node:vm` context holding only browser-like globals (no process, Buffer,
 * require, module, global) and returns its exports. vm's ESM loader needs --experimental-vm-modules, so the
 * bundle's code is re-wrapped by esbuild as an IIFE whose exports land on one global; the code itself is unchanged.
 */
async function evaluateWithoutNode(code: string): Promise<Record<string, unknown>> {
  const wrapped = await transform(code, { format: 'iife', globalName: '__bundle', target: 'es2022' })
  const sandbox: Record<string, unknown> = {
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    AbortController,
    crypto: webcrypto,
    console,
    setTimeout,
    clearTimeout,
  }
  const context = vm.createContext(sandbox)
  vm.runInContext(wrapped.code, context, { filename: 'aokit-sdk.browser.js', timeout: 5000 })
  return sandbox.__bundle as Record<string, unknown>
}

describe('browser bundle (sdk/index.ts)', function () {
  this.timeout(20000)
  let bundle: BrowserBundle

  before(async () => {
    bundle = await buildBrowserBundle({ write: false })
  })

  it('builds for platform browser as ESM', () => {
    expect(bundle.code.length).to.be.greaterThan(0)
    expect(bundle.inputs).to.include('sdk/index.ts')
  })

  it('pulls in no Node built-in and none of @types/node', () => {
    const offending = bundle.inputs.filter((path) => isNodeInput(path) || path.includes('node_modules/@types/node'))
    expect(offending).to.deep.equal([])
  })

  it('contains no node: import or require', () => {
    expect(bundle.code).not.to.include('require("node:')
    expect(bundle.code).not.to.include("require('node:")
    expect(bundle.code).not.to.match(/from\s*["']node:/)
    expect(bundle.code).not.to.match(/import\(\s*["']node:/)
  })

  it('exports createClient and the actions (metafile)', () => {
    const [output] = Object.values(bundle.metafile.outputs)
    expect(output!.exports).to.include.members(['createClient', 'message', 'result', 'sendAndWait', 'local', 'token', 'AokitError'])
  })

  it('evaluates in a context without Node globals and exports a working createClient', async () => {
    const exports = await evaluateWithoutNode(bundle.code)
    expect(exports.createClient).to.be.a('function')
    const transport = { name: 'stub' }
    const client = (exports.createClient as (p: { transport: unknown }) => { transport: unknown; extend: unknown })({ transport })
    expect(client.transport).to.equal(transport)
    expect(client.extend).to.be.a('function')
  })

  it('the send + result entry builds without Node built-ins and is smaller than the whole SDK', async () => {
    const minimal = await buildBrowserBundle({ entry: SEND_AND_RESULT_ENTRY, write: false })
    expect(minimal.inputs.filter(isNodeInput)).to.deep.equal([])
    expect(minimal.rawBytes).to.be.lessThan(bundle.rawBytes)
    const exports = await evaluateWithoutNode(minimal.code)
    expect(Object.keys(exports).sort()).to.deep.equal(['arweaveSigner', 'createClient', 'message', 'result'])
  })

  it('rejects an entry that imports a Node built-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aokit-browser-'))
    const entry = join(dir, 'usesFs.ts')
    writeFileSync(entry, "import { readFileSync } from 'node:fs'\nexport const read = readFileSync\n")
    let error: unknown
    try {
      await buildBrowserBundle({ entry, write: false })
    } catch (caught) {
      error = caught
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(error).to.be.instanceOf(Error)
    expect(String(error)).to.include('node:fs')
  })
})
