// While wasmoon initialises, aokit stands in for WebAssembly.instantiate. Any other wasm instantiated in that
// window (Node's HTTP client loads its parser on the first fetch) must reach the real function.
import { expect } from 'chai'
import { createWasmInstance } from '../../../harness/vm/wasmInstance.js'

// The smallest valid module: magic and version, no sections.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])

describe('harness/vm: createWasmInstance', () => {
  it('lets another caller instantiate its own wasm while a Lua instance is being created', async () => {
    const real = WebAssembly.instantiate
    let insideWindow = false
    let foreign: Promise<WebAssembly.WebAssemblyInstantiatedSource> | undefined
    // Under the stand-in, wasmoon's call reaches this spy: exactly then, a foreign caller instantiates its module.
    const spy = ((source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
      if (!foreign && imports && 'wasi_snapshot_preview1' in imports) {
        insideWindow = WebAssembly.instantiate !== spy
        foreign = WebAssembly.instantiate(EMPTY_MODULE, { env: {} })
      }
      return (real as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports)
    }) as typeof WebAssembly.instantiate
    WebAssembly.instantiate = spy
    try {
      const lua = await createWasmInstance(64 * 1024 * 1024)
      expect(lua.exports.memory).to.be.instanceOf(WebAssembly.Memory)
    } finally {
      WebAssembly.instantiate = real
    }
    expect(insideWindow, 'the foreign call ran while the stand-in was installed').to.equal(true)
    expect((await foreign!).instance).to.be.instanceOf(WebAssembly.Instance)
  })
})
