// AoNetwork.exportImage / fromImage: a network copied out as plain data (what a devnet stores) goes on where it
// stopped: the same states, clock, ids, histories' heads and crons, as if it had never stopped.
import { expect } from 'chai'
import { ForkError } from '../../../harness/network/errors.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua, printed } from './support.js'

const COUNTER = `Count = Count or 0
Ticks = Ticks or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Data = tostring(Count) }) end)
Handlers.add('tick', 'Tick', function() Ticks = Ticks + 1 end)`

/** A network with a counter at Count = 2 that ticks every minute, two minutes in. */
async function counterNetwork(seed: string) {
  const net = new AoNetwork({ seed })
  const owner = net.wallet('alice')
  const pid = await net.spawn({ owner, tags: { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Tick' } })
  await evalLua(net, pid, owner, COUNTER)
  await net.send({ from: owner, to: pid, tags: { Action: 'Inc' } })
  await net.send({ from: owner, to: pid, tags: { Action: 'Inc' } })
  await net.advance('2-minutes')
  return { net, owner, pid }
}

describe('harness/network: network images', () => {
  it('a restored network goes on exactly as the original does: same ids, nonces, hash chain, state and crons', async () => {
    const original = await counterNetwork('image')
    const restored = await AoNetwork.fromImage(structuredClone(await original.net.exportImage()))
    const next = async (net: AoNetwork) => {
      const sent = await net.send({ from: original.owner, to: original.pid, tags: { Action: 'Inc' } })
      await net.advance('1-minute')
      return {
        message: sent.message,
        reply: sent.result.Messages?.[0]?.Data,
        ticks: await net.process(original.pid).vm.read('Ticks'),
        clock: net.clock.now,
        spawned: await net.spawn({ owner: original.owner }),
      }
    }
    const [a, b] = [await next(original.net), await next(restored)]
    expect(b).to.deep.equal(a)
    expect(b.reply).to.equal('3')
    expect(b.ticks).to.equal(3)
    expect(b.message.Nonce).to.equal(4)
  })

  it('keeps the messages the network saw, so an old message can still be assigned', async () => {
    const { net, owner, pid } = await counterNetwork('image-assign')
    const other = await net.spawn({ owner })
    await evalLua(net, other, owner, `Seen = 0\nao.addAssignable('incs', { Action = 'Inc' })\nHandlers.add('inc', 'Inc', function() Seen = Seen + 1 end)`)
    const old = net.process(pid).scheduler.messages.at(-1)!.message.Id
    const restored = await AoNetwork.fromImage(await net.exportImage())
    expect(restored.message(old)).to.deep.equal(net.message(old))
    await restored.assign({ process: other, message: old })
    expect(await restored.process(other).vm.read('Seen')).to.equal(1)
  })

  it('gives independent networks when one image is restored twice', async () => {
    const { net, owner, pid } = await counterNetwork('image-twice')
    const image = await net.exportImage()
    const first = await AoNetwork.fromImage(structuredClone(image))
    const second = await AoNetwork.fromImage(structuredClone(image))
    await first.send({ from: owner, to: pid, tags: { Action: 'Inc' } })
    expect(await first.process(pid).vm.read('Count')).to.equal(3)
    expect(await second.process(pid).vm.read('Count')).to.equal(2)
    expect(printed((await evalLua(second, pid, owner, 'Count')).result)).to.equal('2')
  })

  it('refuses to image a mock process, naming it', async () => {
    const net = new AoNetwork({ seed: 'image-mock' })
    const mock = await net.mock(() => undefined, { name: 'oracle' })
    const error = await net.exportImage().catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ForkError)
    expect((error as ForkError).message).to.match(new RegExp(`^Cannot image ${mock}`))
    expect((error as ForkError).details).to.equal('it is a mock')
  })

  it('refuses to restore an image on the aos engine: images hold wasmoon memory', async () => {
    const { net } = await counterNetwork('image-engine')
    const error = await AoNetwork.fromImage(await net.exportImage(), { engine: 'aos' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ForkError)
    expect((error as ForkError).details).to.equal('images hold the memory of wasmoon processes')
  })
})
