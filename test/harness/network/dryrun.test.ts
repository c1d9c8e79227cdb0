import { expect } from 'chai'
import { AoNetwork, type SendResult } from '../../../harness/network/network.js'
import { evalLua, printed } from './support.js'

const COUNTER = `Count = 0
Handlers.add('inc', 'Inc', function(m) Count = Count + 1; Send({ Target = m.Peer, Action = 'Inc', Peer = ao.id }) ; print('count ' .. Count) end)
Handlers.add('get', 'Get', function(m) m.reply({ Data = tostring(Count) }) end)`

describe('network dry-run', () => {
  it('returns the result without changing state, scheduling or delivering anything', async () => {
    const net = new AoNetwork({ seed: 'dryrun' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    await evalLua(net, a, owner, COUNTER)
    const historyBefore = JSON.stringify([net.process(a).scheduler.messages, net.process(b).scheduler.messages])

    const result = await net.dryrun({ from: owner, to: a, tags: { Action: 'Inc', Peer: b } })
    expect(printed(result)).to.equal('count 1')
    expect(result.Messages).to.have.length(1)

    expect(JSON.stringify([net.process(a).scheduler.messages, net.process(b).scheduler.messages])).to.equal(historyBefore)
    expect(net.externalOutbox).to.deep.equal([])
    expect(printed((await evalLua(net, a, owner, 'Count')).result)).to.equal('0')
    const get = await net.dryrun({ from: owner, to: a, tags: { Action: 'Get' } })
    expect(get.Messages?.[0].Data).to.equal('0')
  })
})

/** A scenario touching every feature; returns everything it observed. */
async function scenario(seed: string): Promise<unknown[]> {
  const net = new AoNetwork({ seed })
  const owner = net.wallet('alice')
  const a = await net.spawn({ owner, tags: { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Inc' } })
  const b = await net.spawn({ owner })
  const seen: unknown[] = [a, b]
  const keep = (r: SendResult | SendResult[]) => seen.push(r)
  keep(await evalLua(net, a, owner, COUNTER.replace("Send({ Target = m.Peer, Action = 'Inc', Peer = ao.id }) ;", "if m.Peer then Send({ Target = m.Peer, Action = 'Inc' }) end;")))
  keep(await evalLua(net, b, owner, COUNTER.replace("Send({ Target = m.Peer, Action = 'Inc', Peer = ao.id }) ;", '')))
  keep(await net.send({ from: owner, to: a, tags: { Action: 'Inc', Peer: b } }))
  keep(await evalLua(net, a, owner, `Spawn(ao._module, { Tags = { Name = 'kid' } }); Send({ Target = 'outside', Action = 'Bye' }); return math.random(1, 1000000)`))
  keep(await net.advance('3-minutes'))
  seen.push(await net.dryrun({ from: owner, to: b, tags: { Action: 'Get' } }))
  seen.push(net.externalOutbox, net.processIds.map((id) => net.process(id).scheduler.messages))
  return seen
}

describe('network determinism', () => {
  it('gives byte-identical results for the same calls on the same seed', async () => {
    const first = JSON.stringify(await scenario('same'))
    const second = JSON.stringify(await scenario('same'))
    expect(second).to.equal(first)
    expect(JSON.stringify(await scenario('other'))).to.not.equal(first)
  })
})
