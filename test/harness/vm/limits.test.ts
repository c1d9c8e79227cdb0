// One compute limit for everything: gas metering stops work done inside Lua's C library, the state rolls back
// exactly, and the process keeps working. Also GasUsed, the output bound and the memory cap. No wall clock: a
// bomb here is asserted to end, never timed.
import { expect } from 'chai'
import { ComputeLimitError } from '../../../harness/vm/errors.js'
import { LuaVm } from '../../../harness/vm/luaVm.js'
import { ProcessVm } from '../../../harness/vm/processVm.js'
import { processEnv, spawnBare } from './aoFixture.js'

const LIMIT = 300_000_000
const MiB = 1024 * 1024

/** Work that runs in C, out of reach of any Lua instruction count (issue 12). */
const bombs: Record<string, string> = {
  'table.move over 1e12 slots': 'table.move({}, 1, 1e12, 1, {})',
  'upper of a 10 MB string, looped': 'local s = string.rep("a", 10e6) while true do s:upper() end',
  'table.sort with a Lua comparator, looped': 'local t = {} for i = 1, 2e4 do t[i] = (i * 7919) % 2e4 end while true do table.sort(t, function(a, b) return a > b end) end',
  'table.concat, looped': 'local t = {} for i = 1, 1e5 do t[i] = "abc" end while true do table.concat(t) end',
  'table.unpack of a large range, looped': 'local t = {} while true do local n = select("#", table.unpack(t, 1, 1e5)) end',
  'utf8.len of 10 MB, looped': 'local s = string.rep("é", 5e6) while true do utf8.len(s) end',
  'collectgarbage over many tables, looped': 'local t = {} for i = 1, 1e5 do t[i] = {} end while true do collectgarbage() end',
  'an infinite loop catching errors with pcall': 'while true do pcall(function() while true do end end) end',
  'an infinite loop in a coroutine': 'coroutine.wrap(function() while true do end end)()',
}

const output = (result: { Output?: unknown }) => (result.Output as { data?: unknown } | undefined)?.data

describe('harness/vm: one gas limit for Lua and its C library', function () {
  this.timeout(60_000)

  for (const [name, code] of Object.entries(bombs)) {
    it(`ends ${name} with a Compute limit Error, state rolled back`, async () => {
      const p = await spawnBare({ computeLimit: LIMIT })
      await p.evaluate('Kept = "before"')
      const res = await p.evaluate(`Kept = "after" ${code}`)
      expect(res.Error).to.equal(`Compute limit exceeded: the message used more than computeLimit = ${LIMIT} gas (WebAssembly instructions).`)
      expect(res.GasUsed).to.equal(LIMIT)
      expect(output(await p.evaluate('return Kept'))).to.equal('before')
    })
  }

  it('stops a C bomb in a dry-run too, changing nothing', async () => {
    const p = await spawnBare({ computeLimit: LIMIT })
    await p.evaluate('Kept = 1')
    const res = await p.dryRun('Kept = 2 table.move({}, 1, 1e12, 1, {})')
    expect(res.Error).to.match(/^Compute limit exceeded/)
    expect(output(await p.evaluate('return Kept'))).to.equal('1')
  })

  it('keeps the process exactly as a process that never saw the bombs: same outputs, same gas', async () => {
    const steps = ['Count = 0', 'Count = Count + 1 return Count', 'T = {} for i = 1, 1000 do T[i] = tostring(i) end return #T', 'return table.concat(T, ",", 1, 5)']
    const attacked = await spawnBare({ computeLimit: LIMIT })
    const clean = await spawnBare({ computeLimit: LIMIT })
    for (const step of steps) {
      // Several bombs between every step, each aborting deep inside C (allocator, sort, string buffers).
      for (const code of Object.values(bombs).slice(0, 4)) expect((await attacked.evaluate(code)).Error).to.match(/^Compute limit exceeded/)
      const got = await attacked.evaluate(step)
      const want = await clean.evaluate(step)
      expect(got.Error).to.equal(undefined)
      expect(output(got)).to.deep.equal(output(want))
      expect(got.GasUsed).to.equal(want.GasUsed)
    }
  })

  it('puts the C stack pointer and the module globals back after an out-of-gas trap deep in C', async () => {
    const entry = { name: 'entry', source: 'return function(op, code) return tostring(assert(load(code))()) end' }
    const vm = await LuaVm.boot([entry], [], { computeLimit: 50_000_000 })
    const exports = (vm as unknown as { exports: { stackSave(): number } }).exports
    const sp = exports.stackSave()
    const sortBomb = 'local t = {} for i = 1, 2e4 do t[i] = i end while true do table.sort(t, function(a, b) return a > b end) end'
    for (let i = 0; i < 3; i++) expect(() => vm.call('run', sortBomb)).to.throw(ComputeLimitError)
    expect(exports.stackSave()).to.equal(sp)
    expect(vm.call('run', 'return 6 * 7')).to.equal('42')
  })

  it('reports GasUsed on every evaluate and dry-run result, the same for the same work', async () => {
    const a = await spawnBare()
    const b = await spawnBare()
    expect(a.boot.GasUsed).to.be.a('number').greaterThan(0)
    const light = await a.evaluate('return 1')
    const heavy = await a.evaluate('local s = 0 for i = 1, 1e5 do s = s + i end return s')
    expect(light.GasUsed).to.be.a('number').greaterThan(0)
    expect(heavy.GasUsed).to.be.greaterThan(light.GasUsed! + 1e5)
    expect((await b.evaluate('return 1')).GasUsed).to.equal(light.GasUsed)
    const dry = await a.dryRun('return 1')
    expect(dry.GasUsed).to.be.a('number').greaterThan(0)
  })

  it('uses the default limit, not a Lua instruction count: a loop of 1e7 Lua steps passes', async () => {
    const p = await spawnBare()
    const res = await p.evaluate('local n = 0 for i = 1, 1e7 do n = n + 1 end return n')
    expect(res.Error).to.equal(undefined)
    expect(res.GasUsed).to.be.lessThan(2_000_000_000)
  })
})

describe('harness/vm: output bound', () => {
  it('turns an output larger than maxOutput into an Error naming the limit, state rolled back', async () => {
    const p = await spawnBare({ maxOutput: MiB })
    await p.evaluate('Kept = "before"')
    const big = await p.evaluate('Kept = "after" return string.rep("x", 2 * 1024 * 1024)')
    expect(big.Error).to.equal(`Output limit exceeded: the message's result is larger than maxOutput = ${MiB} bytes.`)
    const sends = await p.evaluate('for i = 1, 20 do Send({ Target = "t", Data = string.rep("y", 100000) }) end')
    expect(sends.Error).to.match(/^Output limit exceeded/)
    expect(output(await p.evaluate('return Kept'))).to.equal('before')
    expect(output(await p.evaluate('return #string.rep("x", 1000)'))).to.equal('1000')
  })
})

describe('harness/vm: memory cap and shrink', function () {
  this.timeout(60_000)

  it('caps the Memory-Limit tag by the host maximum: the tag can only lower it', async () => {
    expect((await ProcessVm.create(processEnv({ 'Memory-Limit': '4-gb' }))).memoryLimit).to.equal(1024 * MiB)
    expect((await ProcessVm.create(processEnv({ 'Memory-Limit': '4-gb' }), { maxMemoryLimit: 64 * MiB })).memoryLimit).to.equal(64 * MiB)
    expect((await ProcessVm.create(processEnv({ 'Memory-Limit': '32-mb' }), { maxMemoryLimit: 64 * MiB })).memoryLimit).to.equal(32 * MiB)
  })

  it('stops a 4-gb process at the host maximum, then gives the grown memory back', async () => {
    const p = await spawnBare({ maxMemoryLimit: 64 * MiB }, { 'Memory-Limit': '4-gb' })
    await p.evaluate('Kept = "before"')
    const before = p.vm.memorySize
    const res = await p.evaluate('Kept = "after" local t = {} for i = 1, 1e9 do t[i] = string.rep("zzzzzzzzzzzzzzzz", 256) .. i end')
    expect(res.Error).to.equal(`Memory limit exceeded: the process needs more than ${64 * MiB} bytes.`)
    // A fresh instance restored from the checkpoint: no larger than the process was before the bomb.
    expect(p.vm.memorySize).to.be.at.most(before)
    expect(p.vm.memorySize).to.be.lessThan(48 * MiB)
    expect(output(await p.evaluate('return Kept'))).to.equal('before')
  })

  it('gives back memory a compute bomb grew before it ran out of gas', async () => {
    const p = await spawnBare({ computeLimit: LIMIT })
    const before = p.vm.memorySize
    const res = await p.evaluate('local s = string.rep("a", 200e6) while true do s:upper() end')
    expect(res.Error).to.match(/^Compute limit exceeded/)
    expect(p.vm.memorySize).to.be.at.most(before)
  })
})
