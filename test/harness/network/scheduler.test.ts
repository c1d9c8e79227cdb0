import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { CLOCK_START_MS, START_BLOCK_HEIGHT } from '../../../harness/network/clock.js'
import { AoNetwork } from '../../../harness/network/network.js'

// The chain of the first test's history (seed 'scheduler'), computed once: a change to ids or the formula shows.
const PINNED = [
  'QKjwh2PzOccGrpwrmC1HgNsLQf5w_YpUOgWcjTh0YVk',
  'XpnsjgNF4N6geG0toZfOqX6uhFOkK3Ga9_jZcSP0NAs',
  'Uhy5N8WPhfiUuzZ5kDYLtUeVGRX3RFi4sZAE8dBV-vk',
]

describe('network scheduler', () => {
  it('gives each message of a process the next nonce, the clock time, the block height and a chained hash', async () => {
    const net = new AoNetwork({ seed: 'scheduler' })
    const owner = net.wallet('alice')
    const pid = await net.spawn({ owner })
    const first = await net.send({ from: owner, to: pid, tags: { Action: 'Ping' } })
    await net.advance('5-minutes')
    const second = await net.send({ from: owner, to: pid, tags: { Action: 'Ping' } })

    const history = net.process(pid).scheduler.messages.map((entry) => entry.message)
    expect(history.map((m) => m.Nonce)).to.deep.equal([0, 1, 2])
    expect(history.map((m) => m.Epoch)).to.deep.equal([0, 0, 0])
    expect(history[0].Id).to.equal(pid)
    expect(history.map((m) => m.Timestamp)).to.deep.equal([CLOCK_START_MS, CLOCK_START_MS, CLOCK_START_MS + 300_000])
    expect(history.map((m) => m['Block-Height'])).to.deep.equal([START_BLOCK_HEIGHT, START_BLOCK_HEIGHT, START_BLOCK_HEIGHT + 2])
    // base64url(sha256(previous Hash-Chain + message id)), from '' for the Process message; worked out here, not by
    // the scheduler's own function.
    const chain = (previous: string, id: string) => createHash('sha256').update(previous + id).digest('base64url')
    const head = chain('', pid)
    const middle = chain(head, history[1]!.Id)
    const expected = [head, middle, chain(middle, history[2]!.Id)]
    expect(history.map((m) => m['Hash-Chain'])).to.deep.equal(expected)
    expect(history.map((m) => m['Hash-Chain'])).to.deep.equal(PINNED)
    // The process evaluated exactly what the scheduler assigned.
    expect(first.message.Nonce).to.equal(1)
    expect(second.message.Nonce).to.equal(2)
    expect(second.message['Hash-Chain']).to.equal(history[2]['Hash-Chain'])
  })

  it('numbers each process separately', async () => {
    const net = new AoNetwork({ seed: 'scheduler-2' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    await net.send({ from: owner, to: a, tags: { Action: 'X' } })
    const toB = await net.send({ from: owner, to: b, tags: { Action: 'X' } })
    expect(toB.message.Nonce).to.equal(1)
    expect(net.process(a).scheduler.messages).to.have.length(2)
  })
})
