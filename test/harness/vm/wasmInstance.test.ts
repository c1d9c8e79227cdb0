// While wasmoon initialises, aokit stands in for WebAssembly.instantiate. Any other wasm instantiated in that
// window (Node's HTTP client loads its parser on the first fetch) must reach the real function.
import { expect } from 'chai'
import { createWasmInstance } from '../../../harness/vm/wasmInstance.js'

// The smallest valid module: magic and version, no sections.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])

describe('harness/vm: createWasmInstance', () => {
  it('lets another caller instantiate its own wasm while a Lua instance is being created', async () => {
    const original = WebAssembly.instantiate
    const creating = createWasmInstance(64 * 1024 * 1024)
    // Wait until the stand-in is in place (a few turns of the event loop at most).
    for (let i = 0; i < 1000 && WebAssembly.instantiate === original; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(WebAssembly.instantiate, 'the stand-in was never installed').to.not.equal(original)
    const other = await WebAssembly.instantiate(EMPTY_MODULE, { env: {} })
    expect(other.instance).to.be.instanceOf(WebAssembly.Instance)
    const lua = await creating
    expect(lua.exports.memory).to.be.instanceOf(WebAssembly.Memory)
    expect(WebAssembly.instantiate).to.equal(original)
  })
})
