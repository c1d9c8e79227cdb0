// Snapshots of one process: lazy ones leave the last kept messages (up to two) to be replayed by the revert instead of
// copying memory; whichever way a snapshot was taken, reverting to it gives exactly its state.
import { expect } from 'chai'
import { AoNetwork } from '../../../harness/network/network.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { setMaxLiveProcesses } from '../../../harness/vm/processVm.js'
import { spawnBare } from './aoFixture.js'

const counterOf = async (p: Awaited<ReturnType<typeof spawnBare>>) => {
  const res = await p.dryRun('return Counter')
  return (res.Output as { data: string }).data
}

/** A process whose Counter is 1 in a checkpoint and 2 after one more kept message, and a lazy snapshot there. */
async function oneMessagePastCheckpoint() {
  const p = await spawnBare()
  await p.evaluate('Counter = 1')
  const eager = p.vm.snapshot()
  await p.evaluate('Counter = Counter + 1')
  return { p, eager, lazy: p.vm.snapshot({ lazy: true }) }
}

describe('harness/vm: ProcessVm snapshots', () => {
  it('a lazy snapshot right after one kept message hands that message back, and the revert replays it', async () => {
    const { p, eager, lazy } = await oneMessagePastCheckpoint()
    expect(eager.log).to.have.length(0)
    expect(lazy.log.map((entry) => entry.message.Data)).to.deep.equal(['Counter = Counter + 1'])
    expect(lazy.checkpoint).to.equal(eager.checkpoint) // no memory copied
    await p.evaluate('Counter = 100')
    p.vm.revert(lazy)
    expect(await counterOf(p)).to.equal('2')
    p.vm.revert(eager)
    expect(await counterOf(p)).to.equal('1')
  })

  it('commits instead when more than two messages would be left to replay', async () => {
    const { p } = await oneMessagePastCheckpoint()
    await p.evaluate('Counter = Counter + 1')
    const two = p.vm.snapshot({ lazy: true })
    expect(two.log).to.have.length(2)
    await p.evaluate('Counter = Counter + 1')
    const three = p.vm.snapshot({ lazy: true })
    expect(three.log).to.have.length(0)
    await p.evaluate('Counter = 0')
    p.vm.revert(three)
    expect(await counterOf(p)).to.equal('4')
    p.vm.revert(two)
    expect(await counterOf(p)).to.equal('3')
  })

  it('turns a lazy snapshot reverted to a second time into a checkpoint: later reverts replay nothing', async () => {
    const { p, lazy: fixture } = await oneMessagePastCheckpoint()
    for (let round = 1; round <= 3; round++) {
      await p.evaluate(`Counter = ${round * 10}`)
      p.vm.revert(fixture)
      // After the first revert the state is checkpoint + one replayed message; from the second on, a checkpoint.
      expect(p.vm.snapshot({ lazy: true }).log, `round ${round}`).to.have.length(round === 1 ? 1 : 0)
      expect(await counterOf(p)).to.equal('2')
    }
  })

  describe('on a hibernating process', () => {
    before(() => setMaxLiveProcesses(1))
    after(() => setMaxLiveProcesses(256))

    it('keeps the message to replay until the process wakes', async () => {
      const { p, lazy } = await oneMessagePastCheckpoint()
      await p.evaluate('Counter = 50')
      const other = await spawnBare() // takes the one live slot: p hibernates
      expect(p.vm.isLive).to.equal(false)
      p.vm.revert(lazy)
      expect(p.vm.isLive).to.equal(false)
      expect(await counterOf(p)).to.equal('2')
      expect(other.vm.isLive).to.equal(false)
    })

    it('hands the messages on from a snapshot while hibernating, and settle() commits them', async () => {
      const { p, lazy } = await oneMessagePastCheckpoint()
      await p.evaluate('Counter = 50')
      await spawnBare() // p hibernates
      p.vm.revert(lazy)
      // It cannot commit without an instance: an eager snapshot carries the message to replay.
      expect(p.vm.snapshot().log).to.have.length(1)
      await p.vm.settle()
      expect(p.vm.snapshot().log).to.have.length(0)
      expect(await counterOf(p)).to.equal('2')
    })

    it('exports a network image after such a revert, with the replayed state in its memory', async () => {
      const t = createTestNetwork({ seed: 'lazy-image' })
      const alice = t.wallet('alice')
      const a = await t.spawn({ source: 'Counter = 0 Handlers.add("inc", "Inc", function() Counter = Counter + 1 end)' })
      await t.read(a, 'Counter') // commits the spawn's messages
      await t.send(alice, a, 'Inc')
      const snapshot = t.snapshot() // lazy: the Inc is left to replay
      await t.send(alice, a, 'Inc')
      await t.spawn({}) // a hibernates (one live instance)
      t.revert(snapshot)
      const image = await t.net.exportImage()
      const restored = await AoNetwork.fromImage(image)
      expect(await restored.process(a).vm.read('Counter')).to.equal(1)
    })
  })
})
