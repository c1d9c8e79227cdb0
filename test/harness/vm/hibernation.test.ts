// Past the live-instance limit, idle processes hibernate (state kept in their checkpoint, instance pooled) and
// wake on their next message, read or dry-run. Nothing a user can observe may change.
import { expect } from 'chai'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { VmSettingError } from '../../../harness/vm/errors.js'
import { liveProcessCount, setMaxLiveProcesses, type ProcessVm } from '../../../harness/vm/processVm.js'

const COUNTER = "Count = 0 Handlers.add('inc', 'Inc', function(msg) Count = Count + tonumber(msg.By) msg.reply({ Data = tostring(Count) }) end)"

describe('harness/vm: hibernation past the live-instance limit', function () {
  before(() => setMaxLiveProcesses(3))
  after(() => setMaxLiveProcesses(256))

  it('refuses a live-instance limit that is not a positive integer, naming the setting', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => setMaxLiveProcesses(bad)).to.throw(VmSettingError, `maxLive must be a positive integer; got ${bad}.`)
    }
  })

  it('keeps every process\'s state while only three stay live', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push(await t.spawn({ source: COUNTER }))
    for (let round = 1; round <= 3; round++) {
      for (const [i, id] of ids.entries()) {
        const res = await t.send(alice, id, 'Inc', { By: String(i + 1) })
        expect(res).to.have.property('result').that.satisfies((r: { Messages: { Data: string }[] }) => r.Messages[0]!.Data === String(round * (i + 1)))
      }
      expect(liveProcessCount()).to.be.at.most(3)
    }
    const vm = (id: string) => t.net.process(id).vm as ProcessVm
    expect(ids.filter((id) => vm(id).isLive)).to.have.length.at.most(3)
    // A read and a dry-run wake a hibernating process and leave its state as it was.
    const sleeper = ids.find((id) => !vm(id).isLive)!
    expect(await t.read(sleeper, 'Count')).to.equal(3 * (ids.indexOf(sleeper) + 1))
    const dry = await t.dryrun(alice, ids[0]!, 'Inc', { By: '100' })
    expect(dry.Messages![0]!.Data).to.equal('103')
    expect(await t.read(ids[0]!, 'Count')).to.equal(3)
  })

  it('reverts a hibernating process to a snapshot, and rolls back a failing message after a wake-up', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await t.spawn({ source: COUNTER }))
    const snap = t.snapshot()
    for (const id of ids) await t.send(alice, id, 'Inc', { By: '5' })
    t.revert(snap)
    for (const id of ids) expect(await t.read(id, 'Count')).to.equal(0)
    for (const id of ids) await t.send(alice, id, 'Inc', { By: '2' })
    for (const id of ids) {
      const failed = await t.send(alice, id, 'Inc', { By: 'not a number' })
      expect(failed.result.Error).to.be.a('string')
      expect(await t.read(id, 'Count')).to.equal(2)
    }
  })
})
