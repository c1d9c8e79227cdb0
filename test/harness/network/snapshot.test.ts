import { expect } from 'chai'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua } from './support.js'

const COUNTER = `Handlers.add('bump', 'Bump', function(m) Count = (Count or 0) + 1; Send({ Target = m.From, Action = 'Bumped', Count = tostring(Count) }) end)`

describe('network snapshot and revert', () => {
  it('puts state, clock, ids, nonces and processes back exactly, and the same send repeats byte for byte', async () => {
    const net = new AoNetwork({ seed: 'snapshot' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    await evalLua(net, a, owner, COUNTER)
    await evalLua(net, b, owner, COUNTER)

    const snap = net.snapshot()
    const before = { clock: net.clock.now, processes: net.processIds, nonces: [a, b].map((p) => net.process(p).scheduler.messages.length) }

    await net.advance('1-hour')
    const first = await net.send({ from: owner, to: a, tags: { Action: 'Bump' } })
    await net.send({ from: owner, to: b, tags: { Action: 'Bump' } })
    const c = await net.spawn({ owner })
    expect(await net.process(a).vm.read('Count')).to.equal(1)
    expect(net.processIds).to.include(c)

    net.revert(snap)
    expect(net.clock.now).to.equal(before.clock)
    expect(net.processIds).to.deep.equal(before.processes)
    expect([a, b].map((p) => net.process(p).scheduler.messages.length)).to.deep.equal(before.nonces)
    expect(await net.process(a).vm.read('Count')).to.equal(null)
    expect(await net.process(b).vm.read('Count')).to.equal(null)
    expect(net.message(first.message.Id)).to.equal(undefined)

    await net.advance('1-hour')
    const again = await net.send({ from: owner, to: a, tags: { Action: 'Bump' } })
    expect(JSON.stringify(again)).to.equal(JSON.stringify(first))
    // Ids repeat too: the process spawned next gets the id the dropped one had.
    await net.send({ from: owner, to: b, tags: { Action: 'Bump' } })
    expect(await net.spawn({ owner })).to.equal(c)
  })

  it('reverts to the same snapshot many times, and to a later one after an earlier one', async () => {
    const net = new AoNetwork({ seed: 'snapshot-many' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    await evalLua(net, a, owner, COUNTER)
    const zero = net.snapshot()
    await net.send({ from: owner, to: a, tags: { Action: 'Bump' } })
    const one = net.snapshot()
    for (let i = 0; i < 3; i++) {
      net.revert(zero)
      expect(await net.process(a).vm.read('Count')).to.equal(null)
      await net.send({ from: owner, to: a, tags: { Action: 'Bump' } })
      await net.send({ from: owner, to: a, tags: { Action: 'Bump' } })
      expect(await net.process(a).vm.read('Count')).to.equal(2)
    }
    net.revert(one)
    expect(await net.process(a).vm.read('Count')).to.equal(1)
  })

  it('restores cron schedules and drops what left the network since', async () => {
    const net = new AoNetwork({ seed: 'snapshot-cron' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner, tags: { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Tick' } })
    await evalLua(net, a, owner, `Handlers.add('tick', 'Tick', function() Ticks = (Ticks or 0) + 1; Send({ Target = 'outside', Action = 'Out' }) end)`)
    const snap = net.snapshot()
    const ticks = await net.advance('3-minutes')
    expect(ticks).to.have.length(3)
    expect(net.externalOutbox).to.have.length(3)
    net.revert(snap)
    expect(net.externalOutbox).to.have.length(0)
    expect(await net.advance('3-minutes')).to.have.length(3)
    expect(await net.process(a).vm.read('Ticks')).to.equal(3)
  })

  it('copies no memory for a process that kept no message since the last snapshot', async () => {
    const net = new AoNetwork({ seed: 'snapshot-cheap' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    await evalLua(net, a, owner, COUNTER)
    // A read first commits the kept messages (a lazy snapshot would otherwise hold them to replay).
    expect(await net.process(a).vm.read('Count')).to.equal(null) // set by the first Bump
    const first = net.snapshot()
    await net.dryrun({ from: owner, to: a, tags: { Action: 'Bump' } })
    await net.send({ from: owner, to: a, tags: { Action: 'Eval' }, data: 'Count = 99; error("x")' })
    const second = net.snapshot()
    // Dry-runs, reads and rolled-back messages leave the state, and so the checkpoint, untouched.
    expect(second.processes[0].vm).to.deep.equal(first.processes[0].vm)
    expect((second.processes[0].vm as { checkpoint: unknown }).checkpoint).to.equal((first.processes[0].vm as { checkpoint: unknown }).checkpoint)
  })
})
