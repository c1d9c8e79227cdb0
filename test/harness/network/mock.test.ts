import { expect } from 'chai'
import { tagMap } from '../../../harness/network/messageTree.js'
import type { MockMessage } from '../../../harness/network/mockProcess.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua } from './support.js'

describe('network mocks', () => {
  it('delivers to a TypeScript oracle and delivers its reply back to the Lua process', async () => {
    const net = new AoNetwork({ seed: 'mock' })
    const owner = net.wallet('alice')
    const seen: MockMessage[] = []
    const oracle = await net.mock((msg) => {
      seen.push(msg)
      if (msg.Tags.Action === 'Get-Price') return { Messages: [{ Target: msg.From, Tags: { Action: 'Price', Asset: msg.Tags.Asset }, Data: '42' }], Output: 'priced' }
    }, { name: 'oracle' })
    const app = await net.spawn({ owner })
    await evalLua(net, app, owner, `
Handlers.add('ask', 'Ask', function() Send({ Target = '${oracle}', Action = 'Get-Price', Asset = 'AR' }) end)
Handlers.add('price', 'Price', function(m) Prices = Prices or {}; Prices[m.Asset] = m.Data end)`)

    const sent = await net.send({ from: owner, to: app, tags: { Action: 'Ask' } })
    expect(seen).to.have.length(1)
    expect(seen[0].From).to.equal(app)
    expect(seen[0].Tags).to.include({ Action: 'Get-Price', Asset: 'AR', 'From-Process': app })
    expect(await net.process(app).vm.read('Prices')).to.deep.equal({ AR: '42' })

    const reply = sent.children[0].children[0]
    expect(reply.message.From).to.equal(oracle)
    expect(tagMap(reply.message)).to.include({ Action: 'Price', 'From-Process': oracle })
    expect(net.process(oracle).scheduler.messages.map((m) => m.nonce)).to.deep.equal([0, 1])
  })

  it('turns a throwing handler into an errored evaluation', async () => {
    const net = new AoNetwork({ seed: 'mock-throw' })
    const oracle = await net.mock(() => {
      throw new Error('oracle down')
    })
    const sent = await net.send({ from: net.wallet('alice'), to: oracle, tags: { Action: 'Get-Price' } })
    expect(sent.result.Error).to.equal('oracle down')
  })
})
