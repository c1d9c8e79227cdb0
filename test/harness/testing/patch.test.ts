import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai } from '../../../harness/testing/chai.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

chai.use(aokitChai)

const TOKEN = `
Balances = Balances or {}
Handlers.add('mint', 'Mint', function(m)
  Balances[m.Recipient] = m.Quantity
  Send({ device = 'patch@1.0', cache = { balances = { [m.Recipient] = m.Quantity } } })
end)
Handlers.add('transfer', 'Transfer', function(m)
  local q = tonumber(m.Quantity)
  Balances[m.From] = tostring(tonumber(Balances[m.From]) - q)
  Balances[m.Recipient] = tostring((tonumber(Balances[m.Recipient]) or 0) + q)
  Send({ device = 'patch@1.0', cache = { balances = { [m.From] = Balances[m.From], [m.Recipient] = Balances[m.Recipient] } } })
  Send({ Target = m.Recipient, Action = 'Credit-Notice', Quantity = m.Quantity })
end)
Handlers.add('meta', 'Meta', function(m)
  Send({ device = 'patch@1.0', ['patch-to'] = 'token', Ticker = 'TST' })
end)`

describe('harness/testing: patch@1.0', () => {
  async function setup() {
    const t = createTestNetwork({ seed: 'patch-testing' })
    const alice = t.wallet('alice')
    const bob = t.wallet('bob')
    const token = await t.spawn({ name: 'token', source: TOKEN })
    await t.send(t.wallet('deployer'), token, 'Mint', { Recipient: alice, Quantity: '100' })
    return { t, alice, bob, token }
  }

  it('t.state gives the published state', async () => {
    const { t, alice, bob, token } = await setup()
    await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '25' })
    expect(t.state(token)).to.deep.equal({ cache: { balances: { [alice]: '75', [bob]: '25' } } })
    expect(t.state(token)).to.deep.equal(t.net.publishedState(token))
  })

  it('patched: some patch in the tree deep-includes the fields', async () => {
    const { t, alice, bob, token } = await setup()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '25' })
    expect(res).to.have.patched({ cache: { balances: { [bob]: '25' } } })
    expect(res).to.have.patched({ cache: { balances: { [alice]: /^7/ } } })
    expect(res).to.have.patched()
    expect(res).not.to.have.patched({ cache: { balances: { [bob]: '26' } } })
    expect(res).not.to.have.patched({ token: {} })
    expect(() => expect(res).to.have.patched({ cache: { names: {} } })).to.throw(/expected a patch including[\s\S]*Trace of the send/)
    // A patch-to patch is matched where it lands.
    const meta = await t.send(alice, token, 'Meta')
    expect(meta).to.have.patched({ token: { ticker: 'TST' } })
    expect(meta).not.to.have.patched({ ticker: 'TST' })
    // The Credit-Notice is a delivery, not a patch.
    expect(res).not.to.have.patched({ action: 'Credit-Notice' })
  })

  it('traces a patch as a line of its own, not as a delivery', async () => {
    const { t, alice, token } = await setup()
    // To a process, so the Credit-Notice is delivered and shows after the patch.
    const vault = await t.spawn({ name: 'vault' })
    const res = await t.send(alice, token, 'Transfer', { Recipient: vault, Quantity: '25' })
    expect(t.trace(res, { colors: false })).to.equal(
      ['alice → token Transfer Quantity=25 Recipient=vault', '├─ token ⇢ patch cache.balances', '└─ token → vault Credit-Notice Quantity=25'].join('\n'),
    )
    const meta = await t.send(alice, token, 'Meta')
    expect(t.trace(meta, { colors: false })).to.equal(['alice → token Meta', '└─ token ⇢ patch token.ticker'].join('\n'))
  })
})
