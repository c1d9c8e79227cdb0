// The gas metering pass on hand-built modules (exact charges) and on wasmoon's glue.wasm (decodes every body).
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { GAS_EXPORT, GLOBAL_EXPORT_PREFIX, MeteringError, UNLIMITED_GAS, meterModule } from '../../../harness/vm/metering/meter.js'
import { luaModule } from '../../../harness/vm/wasmInstance.js'

const section = (id: number, body: number[]) => [id, body.length, ...body] // bodies here stay under 128 bytes
const str = (s: string) => [s.length, ...Buffer.from(s)]
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

/**
 * count(n): loop { n = n - 1; br_if n != 0 }; return n. Plus, when `withGlobals`, an imported global and a
 * defined mutable one (42) read back by `answer()`, to check the appended gas global shifts no index.
 */
function countModule(withGlobals = false): Uint8Array<ArrayBuffer> {
  const types = section(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 1, 0x7f])
  const imports = section(2, [1, ...str('env'), ...str('g'), 0x03, 0x7f, 0x00])
  const funcs = section(3, withGlobals ? [2, 0, 1] : [1, 0])
  const globals = section(6, [1, 0x7f, 0x01, 0x41, 42, 0x0b])
  const exports = section(7, withGlobals ? [2, ...str('count'), 0, 0, ...str('answer'), 0, 1] : [1, ...str('count'), 0, 0])
  const count = [0, 0x03, 0x40, 0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 0, 0x0b]
  const answer = [0, 0x23, 1, 0x23, 0, 0x6a, 0x0b] // imported g + defined global
  const code = withGlobals ? section(10, [2, count.length, ...count, answer.length, ...answer]) : section(10, [1, count.length, ...count])
  return new Uint8Array([...HEADER, ...types, ...(withGlobals ? imports : []), ...funcs, ...(withGlobals ? globals : []), ...exports, ...code])
}

type Count = { count(n: number): number; answer?(): number; [GAS_EXPORT]: WebAssembly.Global }

async function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): Promise<Count> {
  const { instance } = await WebAssembly.instantiate(bytes, imports)
  return instance.exports as unknown as Count
}

describe('harness/vm/metering: the gas pass', () => {
  it('charges each call and each loop iteration its straight-line cost, exactly', async () => {
    const ex = await instantiate(meterModule(countModule()).bytes)
    expect(ex[GAS_EXPORT].value).to.equal(UNLIMITED_GAS)
    ex[GAS_EXPORT].value = 1000n
    expect(ex.count(10)).to.equal(0)
    // 1 at entry (at least 1 per call) + 5 per iteration (local.get, i32.const, i32.sub, local.tee, br_if).
    expect(ex[GAS_EXPORT].value).to.equal(1000n - 51n)
  })

  it('per block, also charges the code after the loop', async () => {
    const ex = await instantiate(meterModule(countModule(), { loopsOnly: false }).bytes)
    ex[GAS_EXPORT].value = 1000n
    ex.count(10)
    expect(ex[GAS_EXPORT].value).to.equal(1000n - 52n) // + local.get after the loop
  })

  it('charges a loop whose back edge follows block markers only', async () => {
    // loop (block end) br 0 end: the loop header's run holds no counted instruction before the block, yet pays 1.
    const types = section(1, [1, 0x60, 0, 0])
    const body = [0, 0x03, 0x40, 0x02, 0x40, 0x0b, 0x0c, 0, 0x0b, 0x0b]
    const bytes = new Uint8Array([...HEADER, ...types, ...section(3, [1, 0]), ...section(7, [1, ...str('spin'), 0, 0]), ...section(10, [1, body.length, ...body])])
    const { instance } = await WebAssembly.instantiate(meterModule(bytes).bytes)
    const ex = instance.exports as unknown as { spin(): void; [GAS_EXPORT]: WebAssembly.Global }
    ex[GAS_EXPORT].value = 1000n
    expect(() => ex.spin()).to.throw(WebAssembly.RuntimeError)
    expect(ex[GAS_EXPORT].value < 0n).to.equal(true)
  })

  it('traps with unreachable once the gas goes negative, and the host can tell from the gas global', async () => {
    const ex = await instantiate(meterModule(countModule()).bytes)
    ex[GAS_EXPORT].value = 20n
    expect(() => ex.count(1_000_000_000)).to.throw(WebAssembly.RuntimeError, /unreachable/)
    expect(ex[GAS_EXPORT].value < 0n).to.equal(true)
  })

  it('appends the gas global after imported and defined globals, so existing indices still work, and exports mutable ones', async () => {
    const g = new WebAssembly.Global({ value: 'i32', mutable: false }, 100)
    const metered = meterModule(countModule(true)).bytes
    const ex = (await instantiate(metered, { env: { g } })) as Count & Record<string, unknown>
    expect(ex.answer!()).to.equal(142)
    expect((ex[GLOBAL_EXPORT_PREFIX + '1'] as WebAssembly.Global).value).to.equal(42)
    expect(ex[GLOBAL_EXPORT_PREFIX + '0']).to.equal(undefined) // imported: not the module's to export
  })

  it('fails loudly on an opcode it does not know', () => {
    const bytes = countModule()
    const simd = Uint8Array.from(bytes)
    const at = simd.findIndex((b, i) => b === 0x03 && simd[i + 1] === 0x40 && simd[i + 2] === 0x20)
    simd[at + 2] = 0xfd // the loop's first local.get becomes a SIMD prefix
    expect(() => meterModule(simd)).to.throw(MeteringError, /unknown opcode 0xfd/)
  })

  it('decodes every function body of wasmoon\'s glue.wasm and still compiles it', async () => {
    const glue = readFileSync(createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm'))
    const { bytes, stats } = meterModule(glue)
    expect(stats.functions).to.be.greaterThan(500)
    expect(stats.chargePoints).to.be.greaterThan(stats.functions)
    const module = await WebAssembly.compile(bytes)
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).to.include(GAS_EXPORT)
    // Metered and compiled once per host process.
    expect(luaModule()).to.equal(luaModule())
    // No import added: function indices are unchanged.
    expect(WebAssembly.Module.imports(module).length).to.equal(WebAssembly.Module.imports(await WebAssembly.compile(glue)).length)
  })
})
