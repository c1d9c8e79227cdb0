import { expect } from 'chai'
import { ComputeLimitError, MemoryLimitError } from '../../../harness/vm/errors.js'
import { checkpointBytes, checkpointFromBytes, LuaVm } from '../../../harness/vm/luaVm.js'

// A VM whose entry runs the payload as Lua and returns tostring of its result: enough to test the host alone.
const entry = {
  name: 'entry',
  source: `
    local echo = ...
    counter = 0
    return function(op, payload)
      if op == 'echo' then return echo(payload) end
      return tostring(assert(load(payload))())
    end`,
}
const echo = (text: string) => `host saw ${text}`

describe('harness/vm: LuaVm', () => {
  it('runs Lua in its own instance and returns the string result', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    expect(vm.call('run', 'return 6 * 7')).to.equal('42')
  })

  it('passes strings both ways through a host function', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    expect(vm.call('echo', 'héllo')).to.equal('host saw héllo')
  })

  it('keeps two VMs apart: a global set in one is absent in the other', async () => {
    const a = await LuaVm.boot([entry], [echo])
    const b = await LuaVm.boot([entry], [echo])
    a.call('run', 'shared = "a" return 1')
    expect(b.call('run', 'return tostring(shared)')).to.equal('nil')
  })

  it('stops an infinite loop with ComputeLimitError even when the loop catches errors with pcall', async () => {
    const vm = await LuaVm.boot([entry], [echo], { computeLimit: 1_000_000 })
    const cp = vm.checkpoint()
    expect(() => vm.call('run', 'while true do pcall(function() while true do end end) end')).to.throw(ComputeLimitError, /computeLimit = 1000000 gas/)
    vm.restore(cp)
    expect(vm.call('run', 'return counter + 1')).to.equal('1')
  })

  it('restores a checkpoint exactly: later changes are gone', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    vm.call('run', 'counter = 5 return 0')
    const cp = vm.checkpoint()
    vm.call('run', 'counter = 99 big = string.rep("x", 5e6) return 0')
    vm.restore(cp)
    expect(vm.call('run', 'return counter .. tostring(big)')).to.equal('5nil')
  })

  it('shares the chunks a change did not touch with the checkpoint before it, and stores as bytes losslessly', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    const before = vm.checkpoint()
    vm.call('run', 'counter = 7 return 0')
    const after = vm.checkpoint()
    const shared = after.chunks.filter((chunk, i) => chunk === before.chunks[i]).length
    expect(shared / after.chunks.length).to.be.greaterThan(0.9)
    expect(shared).to.be.lessThan(after.chunks.length) // the change itself was copied
    const copy = checkpointFromBytes(checkpointBytes(after))
    vm.call('run', 'counter = 8 return 0')
    vm.restore(copy)
    expect(vm.call('run', 'return counter')).to.equal('7')
    vm.restore(before)
    expect(vm.call('run', 'return counter')).to.equal('0')
  })

  it('reports MemoryLimitError when the process outgrows its limit, even if Lua catches the failure', async () => {
    const vm = await LuaVm.boot([entry], [echo], { memoryLimit: 64 * 1024 * 1024 })
    const cp = vm.checkpoint()
    const grow = 'local t = {} pcall(function() for i = 1, 1e9 do t[i] = string.rep("y", 1000) .. i end end) return #t'
    expect(() => vm.call('run', grow)).to.throw(MemoryLimitError, /67108864 bytes/)
    vm.restore(cp)
    expect(vm.call('run', 'return 1 + 1')).to.equal('2')
  })

  it('rebuilds a crashed VM in a fresh instance from a checkpoint, with the state of that checkpoint', async () => {
    const vm = await LuaVm.boot([entry], [echo], { computeLimit: 1_000_000 })
    vm.call('run', 'counter = 3 return 0')
    const cp = vm.checkpoint()
    expect(() => vm.call('run', 'counter = 4 while true do end')).to.throw(ComputeLimitError)
    await vm.rebuild(cp, [echo])
    expect(vm.call('run', 'return counter')).to.equal('3')
    expect(vm.call('echo', 'after')).to.equal('host saw after')
  })

  it('clones a VM from its image into a separate instance with the same state', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    vm.call('run', 'counter = 7 return 0')
    const clone = await LuaVm.fromImage(vm.image(), [echo])
    clone.call('run', 'counter = counter + 1 return 0')
    expect(clone.call('run', 'return counter')).to.equal('8')
    expect(vm.call('run', 'return counter')).to.equal('7')
  })

  it('zeroes the frames finished calls left below the stack pointer, and checkpoints share one zero chunk for them', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    const ex = (vm as unknown as { exports: { memory: WebAssembly.Memory; stackSave(): number; emscripten_stack_get_end(): number } }).exports
    // From the first whole chunk above the stack's end: emscripten keeps an overflow cookie at the very end.
    const deadStart = Math.ceil(ex.emscripten_stack_get_end() / 4096) * 4096
    const dead = () => new Uint8Array(ex.memory.buffer).subarray(deadStart, ex.stackSave())
    vm.checkpoint()
    // Nested pcalls recurse on the C stack: the frames stay behind in memory once the call returns.
    expect(vm.call('run', 'local function f(n) if n == 0 then return 0 end return select(2, pcall(f, n - 1)) + 1 end return f(150)')).to.equal('150')
    expect(dead().some((b) => b !== 0)).to.equal(true)
    const first = vm.checkpoint()
    expect(dead().every((b) => b === 0)).to.equal(true)
    vm.call('run', 'counter = 1 local function f(n) if n == 0 then return 0 end return select(2, pcall(f, n - 1)) + 1 end return f(100)')
    const second = vm.checkpoint()
    const deadChunk = deadStart / 4096 + 1
    expect(second.chunks[deadChunk]).to.equal(first.chunks[deadChunk])
    expect(second.chunks[deadChunk]!.every((b) => b === 0)).to.equal(true)
    vm.restore(first)
    expect(vm.call('run', 'return counter')).to.equal('0')
  })

  it('restores a checkpoint larger than a fresh instance\'s memory, and the C library still sees all of memory', async () => {
    const vm = await LuaVm.boot([entry], [echo])
    vm.call('run', 'big = string.rep("x", 8e6) return 0')
    const image = vm.image()
    expect(image.checkpoint.length).to.be.greaterThan(8e6)
    const clone = await LuaVm.fromImage(image, [echo])
    // os.date formats through the glue's strftime, which writes into memory through its own view of it.
    expect(clone.call('run', 'return #big .. " " .. os.date("!%Y-%m-%d %H:%M", 86400)')).to.equal('8000000 1970-01-02 00:00')
  })
})
