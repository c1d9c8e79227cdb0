// process.handle details that the differential suite cannot show: time and dates, dry-runs, rollback of a
// message that touched every kind of state.
import { expect } from 'chai'
import { spawnTestProcess } from '../../helpers/aosProcess.js'

describe('harness/lua/process: time', () => {
  it('makes os.time() the message Timestamp in milliseconds', async () => {
    const p = await spawnTestProcess()
    // spawnTestProcess stamps message n at 1_700_000_000_000 + n * 1000
    expect(await p.evalText('return os.time()')).to.equal('1700000001000')
  })

  it('formats os.date in UTC from the message clock, whatever the host timezone', async () => {
    const p = await spawnTestProcess()
    expect(await p.evalText('return os.date("!%Y-%m-%d %H:%M:%S") .. " | " .. os.date("%Y-%m-%d %H:%M:%S")')).to.equal('2023-11-14 22:13:21 | 2023-11-14 22:13:21')
  })
})

describe('harness/lua/process: rollback', () => {
  it('undoes every kind of state a failing message touched: globals, Handlers, Inbox, ao.reference, Errors', async () => {
    const p = await spawnTestProcess()
    await p.send({ Action: 'Unhandled' })
    const snapshot = 'return table.concat({ tostring(Counter), #Handlers.list, #Inbox, ao.reference, #Errors }, ",")'
    const before = await p.evalText(snapshot)
    const res = await p.eval(`Counter = 99
      Handlers.add("extra", "Extra", function() end)
      table.insert(Inbox, { Action = "Fake" })
      Send({ Target = ao.id, Action = "Ping" })
      table.insert(Errors, "x")
      error("boom")`)
    expect(res.Error).to.match(/boom/)
    expect(await p.evalText(snapshot)).to.equal(before)
  })

  it('keeps later messages working after many rollbacks in a row', async () => {
    const p = await spawnTestProcess()
    await p.eval('Total = 0')
    for (let i = 0; i < 5; i++) {
      await p.eval(`Total = Total + 1`)
      expect((await p.eval('Total = Total + 100 error("no")')).Error).to.match(/no/)
    }
    expect(await p.evalText('return Total')).to.equal('5')
  })

  it('never changes state in a dry-run', async () => {
    const p = await spawnTestProcess()
    await p.eval('Handlers.add("Bump", "Bump", function(msg) Bumps = (Bumps or 0) + 1 msg.reply({ Data = tostring(Bumps) }) end)')
    const dry = await p.dryRun({ Action: 'Bump' })
    expect(dry.Messages?.[0].Data).to.equal('1')
    expect(await p.evalText('return tostring(Bumps)')).to.equal('nil')
    await p.send({ Action: 'Bump' })
    expect(await p.evalText('return tostring(Bumps)')).to.equal('1')
  })
})

describe('harness/lua/process: limits', () => {
  it('takes the memory limit from the Memory-Limit tag of the process', async () => {
    const p = await spawnTestProcess({ label: 'small', tags: { 'Memory-Limit': '48-mb' } })
    const res = await p.eval('local t = {} for i = 1, 1e9 do t[i] = string.rep("m", 4096) .. i end')
    expect(res.Error).to.equal(`Memory limit exceeded: the process needs more than ${48 * 1024 * 1024} bytes.`)
  })

  it('caps the Inbox at 10000 messages, dropping the oldest', async () => {
    const p = await spawnTestProcess()
    // the Process message is Inbox[1]; fill up to 9999 entries, then two more arrive
    await p.eval('for i = #Inbox + 1, 9999 do Inbox[i] = { Action = "Old" .. i } end')
    await p.send({ Action: 'Newer' })
    await p.send({ Action: 'Newest' })
    expect(await p.evalText('return #Inbox .. " " .. Inbox[1].Action .. " " .. Inbox[#Inbox].Action')).to.equal('10000 Old2 Newest')
  })
})

describe('harness/lua/process: Lua 5.4-only functions', () => {
  it('keeps warn and coroutine.close nil, as on AO', async () => {
    const p = await spawnTestProcess()
    expect(await p.evalText('return type(warn) .. " " .. type(coroutine.close)')).to.equal('nil nil')
  })

  it('says a message failed because it called warn, which is Lua 5.4 only', async () => {
    const p = await spawnTestProcess()
    const res = await p.eval('warn("@on")')
    expect(res.Error).to.match(/attempt to call a nil value \(global 'warn'\) \(warn is Lua 5\.4 only; AO runs Lua 5\.3\)$/)
  })

  it('says a message may have failed on coroutine.close, which is Lua 5.4 only', async () => {
    const p = await spawnTestProcess()
    const res = await p.eval('coroutine.close(coroutine.create(print))')
    expect(res.Error).to.match(/\(if this is coroutine\.close: it is Lua 5\.4 only; AO runs Lua 5\.3\)$/)
  })
})

describe('harness/vm/processVm: read', () => {
  it('reads a global as plain JSON without sending a message', async () => {
    const p = await spawnTestProcess()
    await p.eval('Balances = { alice = "10", bob = "5" } Queue = { "a", "b" } Hook = function() end')
    expect(await p.vm.read('Balances')).to.deep.equal({ alice: '10', bob: '5' })
    expect(await p.vm.read('Queue')).to.deep.equal(['a', 'b'])
    expect(await p.vm.read('Hook')).to.equal('<function>')
    expect(await p.vm.read('ao.id')).to.equal(p.id)
    expect(await p.vm.read('Missing.field')).to.equal(null)
  })

  it('runs no metamethod of contract code while reading', async () => {
    const p = await spawnTestProcess()
    await p.eval('Touched = 0 local key = setmetatable({}, { __tostring = function() Touched = Touched + 1 return "k" end }) Trap = setmetatable({ x = 1, [key] = 2 }, { __index = function() Touched = Touched + 1 end, __pairs = function() Touched = Touched + 1 return next, {}, nil end })')
    expect(await p.vm.read('Trap')).to.deep.equal({ x: 1, '<table>': 2 })
    expect(await p.vm.read('Touched')).to.equal(0)
  })
})

describe('harness/lua/process: tag names', () => {
  it('title-cases snake and lower-case tag names the same way past its memo of known names (1,200 names, twice)', async () => {
    const p = await spawnTestProcess()
    await p.eval("Seen = {} Handlers.add('names', function(msg) return msg.Tags['Probe-Tag'] and 1 or 0 end, function(msg) for name in pairs(msg.Tags) do if name:sub(1, 2) == 'X-' then Seen[#Seen + 1] = name end end end)")
    for (let round = 0; round < 2; round++) {
      for (let batch = 0; batch < 12; batch++) {
        const tags: Record<string, string> = { probe_tag: 'yes' }
        for (let i = 0; i < 100; i++) tags[`x_name_${batch * 100 + i}_sDK`] = 'v'
        const res = await p.send(tags)
        expect(res.Error).to.equal(undefined)
      }
    }
    const seen = JSON.parse(await p.evalText('return require("json").encode(Seen)')) as string[]
    expect(seen).to.have.length(2400)
    expect(new Set(seen)).to.deep.equal(new Set(Array.from({ length: 1200 }, (_, i) => `X-Name-${i}-Sdk`)))
  })
})
