// The stack watermark pass and the initial-memory edit, on hand-built modules and on the Lua module itself.
import { expect } from 'chai'
import { meterModule } from '../../../../harness/vm/metering/meter.js'
import { STACK_LOW_EXPORT, watchStack } from '../../../../harness/vm/metering/stackWatermark.js'
import { MeteringError, setInitialMemory } from '../../../../harness/vm/metering/wasmBinary.js'
import { createWasmInstance } from '../../../../harness/vm/wasmInstance.js'

const section = (id: number, body: number[]) => [id, body.length, ...body] // bodies here stay under 128 bytes
const str = (s: string) => [s.length, ...Buffer.from(s)]
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

/**
 * A stack pointer global (mutable i32, 4096) as emscripten keeps it, `stackSave()` returning it, and `dig(n)`, a
 * function that takes an n-byte frame (sp -= n), writes its first byte and gives the frame back (sp += n).
 */
function stackModule({ withStackSave = true } = {}): Uint8Array {
  const types = section(1, [2, 0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 0])
  const funcs = section(3, [2, 0, 1])
  const memory = section(5, [1, 1, 1, 4])
  const globals = section(6, [1, 0x7f, 0x01, 0x41, 0x80, 0x20, 0x0b])
  const names = withStackSave ? [...str('stackSave'), 0, 0] : [...str('spOther'), 0, 0]
  const exports = section(7, [3, ...names, ...str('dig'), 0, 1, ...str('memory'), 2, 0])
  const save = [0, 0x23, 0, 0x0b]
  // sp = sp - n; mem[sp] = 1; sp = sp + n
  const dig = [0, 0x23, 0, 0x20, 0, 0x6b, 0x24, 0, 0x23, 0, 0x41, 1, 0x3a, 0, 0, 0x23, 0, 0x20, 0, 0x6a, 0x24, 0, 0x0b]
  const code = section(10, [2, save.length, ...save, dig.length, ...dig])
  return new Uint8Array([...HEADER, ...types, ...funcs, ...memory, ...globals, ...exports, ...code])
}

type Stack = { stackSave(): number; dig(n: number): void; memory: WebAssembly.Memory; [STACK_LOW_EXPORT]: WebAssembly.Global }

async function instantiate(bytes: Uint8Array<ArrayBuffer>): Promise<Stack> {
  const { instance } = await WebAssembly.instantiate(bytes)
  return instance.exports as unknown as Stack
}

describe('harness/vm/metering: the stack watermark', () => {
  it('keeps the lowest value the stack pointer has held, until the host resets it', async () => {
    const ex = await instantiate(watchStack(stackModule()))
    expect(ex[STACK_LOW_EXPORT].value).to.equal(-1) // the pointer has not moved yet
    ex.dig(100)
    expect(ex.stackSave()).to.equal(4096)
    expect(ex[STACK_LOW_EXPORT].value).to.equal(3996)
    ex.dig(50)
    expect(ex[STACK_LOW_EXPORT].value).to.equal(3996)
    ex[STACK_LOW_EXPORT].value = -1
    ex.dig(10)
    expect(ex[STACK_LOW_EXPORT].value).to.equal(4086)
    expect(new Uint8Array(ex.memory.buffer)[3996]).to.equal(1)
  })

  it('finds the stack pointer in a metered module, whose stackSave starts with a gas charge', async () => {
    const ex = await instantiate(watchStack(meterModule(stackModule()).bytes))
    ex.dig(300)
    expect(ex[STACK_LOW_EXPORT].value).to.equal(3796)
  })

  it('refuses a module without a stackSave export: it cannot know which global is the stack pointer', () => {
    expect(() => watchStack(stackModule({ withStackSave: false }))).to.throw(MeteringError, /no stackSave export/)
  })

  it('sets the initial memory and keeps the maximum', async () => {
    const ex = await instantiate(setInitialMemory(stackModule(), 3))
    expect(ex.memory.buffer.byteLength).to.equal(3 * 65536)
    ex.memory.grow(1)
    expect(() => ex.memory.grow(1)).to.throw(RangeError)
  })

  it('gives every Lua instance a 2 MiB memory to start with and the watermark export', async () => {
    for (const metered of [true, false]) {
      const lua = await createWasmInstance(64 * 1024 * 1024, metered)
      expect(lua.exports.memory.buffer.byteLength).to.equal(2 * 1024 * 1024)
      expect(lua.stackLow >>> 0).to.be.lessThan(lua.exports.stackSave()) // the runtime's start-up used the stack
    }
  })
})
