import { expect } from 'chai'
import { CLOCK_START_MS } from '../../../harness/network/clock.js'
import { InvalidSpawnTagError } from '../../../harness/network/errors.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua, printed } from './support.js'

const RECORD = `Ticks = {}
Handlers.add('tick', 'Tick', function(m)
  table.insert(Ticks, tostring(m.Timestamp - ${CLOCK_START_MS}) .. ':' .. tostring(m.Cron) .. ':' .. (m.Tags.Kind or '') .. ':' .. tostring(m.From == Owner))
end)`

describe('network crons', () => {
  it('ticks a process at each interval boundary with its Cron-Tag tags, From = Owner = the process owner', async () => {
    const net = new AoNetwork({ seed: 'cron' })
    const owner = net.wallet('alice')
    const pid = await net.spawn({ owner, tags: { 'Cron-Interval': '10-seconds', 'Cron-Tag-Action': 'Tick', 'Cron-Tag-Kind': 'heartbeat' } })
    await evalLua(net, pid, owner, RECORD)
    const ticks = await net.advance('35-seconds')
    expect(ticks.map((t) => t.message)).to.deep.equal([10_000, 20_000, 30_000].map((offset) => ({
      Owner: owner,
      Target: pid,
      From: owner,
      Tags: [{ name: 'Action', value: 'Tick' }, { name: 'Kind', value: 'heartbeat' }],
      Timestamp: CLOCK_START_MS + offset,
      'Block-Height': net.clock.blockHeight,
      Cron: true,
    })))
    expect(net.clock.now).to.equal(CLOCK_START_MS + 35_000)
    await net.advance('5-seconds')
    expect(printed((await evalLua(net, pid, owner, 'table.concat(Ticks, ",")')).result)).to.equal(
      '10000:true:heartbeat:true,20000:true:heartbeat:true,30000:true:heartbeat:true,40000:true:heartbeat:true',
    )
    // Cron ticks are not scheduler assignments: the history holds only the Process message and the Evals.
    expect(net.process(pid).scheduler.messages.map((m) => m.nonce)).to.deep.equal([0, 1, 2])
  })

  it('ticks several processes in time order and delivers what the ticks send', async () => {
    const net = new AoNetwork({ seed: 'cron-2' })
    const owner = net.wallet('alice')
    const log = await net.spawn({ owner })
    await evalLua(net, log, owner, `Seen = {}; Handlers.add('note', 'Note', function(m) table.insert(Seen, m.Who .. '@' .. tostring((m.Timestamp - ${CLOCK_START_MS}) // 1000)) end)`)
    const fast = await net.spawn({ owner, tags: { 'Cron-Interval': '2-minutes', 'Cron-Tag-Action': 'Tick' } })
    const slow = await net.spawn({ owner, tags: { 'Cron-Interval': '3-minutes', 'Cron-Tag-Action': 'Tick' } })
    for (const [pid, who] of [[fast, 'fast'], [slow, 'slow']]) {
      await evalLua(net, pid, owner, `Handlers.add('tick', 'Tick', function(m) Send({ Target = '${log}', Action = 'Note', Who = '${who}' }) end)`)
    }
    const ticks = await net.advance('6-minutes')
    expect(ticks.map((t) => t.message.Target)).to.deep.equal([fast, slow, fast, fast, slow])
    expect(ticks.every((t) => t.children.length === 1)).to.equal(true)
    expect(printed((await evalLua(net, log, owner, 'table.concat(Seen, ",")')).result)).to.equal('fast@120,slow@180,fast@240,fast@360,slow@360')
  })

  it('refuses a process whose Cron-Interval cannot be read', async () => {
    const net = new AoNetwork({ seed: 'cron-bad' })
    let error: unknown
    try {
      await net.spawn({ owner: net.wallet('alice'), tags: { 'Cron-Interval': 'often' } })
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(InvalidSpawnTagError)
    expect((error as InvalidSpawnTagError).message).to.equal('Cron-Interval: "often" must be a duration "<count>-<unit>", e.g. "5-minutes"')
    expect(net.processIds).to.deep.equal([])
  })
})
