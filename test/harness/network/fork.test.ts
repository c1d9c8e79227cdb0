import { expect } from 'chai'
import { ForkError } from '../../../harness/network/errors.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua } from './support.js'

const TOKEN = `
Balances = Balances or { alice = 100 }
Handlers.add('mint', 'Mint', function(m) Balances[m.Recipient] = (Balances[m.Recipient] or 0) + tonumber(m.Quantity) end)`

describe('network fork', () => {
  it('copies a process state under a new id that diverges independently', async () => {
    const net = new AoNetwork({ seed: 'fork' })
    const owner = net.wallet('alice')
    const token = await net.spawn({ owner })
    await evalLua(net, token, owner, TOKEN)

    const copy = await net.fork(token)
    expect(copy).to.not.equal(token)
    expect(net.processIds).to.deep.equal([token, copy])
    expect(await net.process(copy).vm.read('Balances')).to.deep.equal({ alice: 100 })

    await net.send({ from: owner, to: copy, tags: { Action: 'Mint', Recipient: 'bob', Quantity: '5' } })
    expect(await net.process(copy).vm.read('Balances')).to.deep.equal({ alice: 100, bob: 5 })
    expect(await net.process(token).vm.read('Balances')).to.deep.equal({ alice: 100 })
    // process.handle sets ao.id from env.Process.Id on every message.
    expect(await net.process(copy).vm.read('ao.id')).to.equal(copy)
    expect(await net.process(token).vm.read('ao.id')).to.equal(token)
  })

  it('refuses to fork a mock', async () => {
    const net = new AoNetwork({ seed: 'fork-mock' })
    const mock = await net.mock(() => undefined)
    await net.fork(mock).then(
      () => expect.fail('forked a mock'),
      (error) => expect(error).to.be.instanceOf(ForkError),
    )
  })
})
