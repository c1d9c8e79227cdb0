// The token contract on aokit's in-memory AO network: each test gets its own network, so no state leaks between them.
import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork } from 'aokit/testing'

chai.use(aokitChai)

const TOKEN = 'contracts/token.lua' // mocha runs from the project root

/** A token owned by alice, who mints herself 100. */
async function deployToken() {
  const t = createTestNetwork()
  const alice = t.wallet('alice') // any name gives an address; no keys needed
  const bob = t.wallet('bob')
  const token = await t.spawn({ file: TOKEN, name: 'token', owner: alice })
  await t.send(alice, token, 'Mint', { Quantity: '100' })
  return { t, alice, bob, token }
}

describe('token', () => {
  it('transfers and notifies both sides', async () => {
    const { t, alice, bob, token } = await deployToken()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '25' })
    expect(res).to.have.reply({ Action: 'Debit-Notice', Recipient: bob, Quantity: '25' })
    expect(res).to.have.sentMessage({ Target: bob, Action: 'Credit-Notice', Sender: alice, Quantity: '25' })
    expect(await t.read(token, 'Balances')).to.deep.include({ [alice]: '75', [bob]: '25' })
  })

  it('refuses to transfer more than the balance, and changes nothing', async () => {
    const { t, alice, bob, token } = await deployToken()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '101' })
    expect(res).to.have.reply({ Action: 'Transfer-Error', Error: 'Insufficient Balance!' })
    expect(res).not.to.have.sentMessage({ Action: 'Credit-Notice' })
    const balances = await t.read(token, 'Balances')
    expect(balances).to.deep.include({ [alice]: '100' })
    expect(balances).not.to.have.property(bob)
  })

  it('pays out from a faucet on a cron as time passes', async () => {
    const { t, alice, bob, token } = await deployToken()
    // A process that AO ticks every hour (Cron-Interval); each tick is a message with Action = Drip.
    const faucet = await t.spawn({
      name: 'faucet',
      tags: { 'Cron-Interval': '1-hour', 'Cron-Tag-Action': 'Drip' },
      source: `Handlers.add('drip', 'Drip', function()
        Send({ Target = Token, Action = 'Transfer', Recipient = Beneficiary, Quantity = '10' })
      end)`,
    })
    await t.setState(faucet, { Token: token, Beneficiary: bob })
    await t.send(alice, token, 'Transfer', { Recipient: faucet, Quantity: '50' })

    await t.advance('3-hours') // the virtual clock: three ticks, no waiting
    expect(await t.read(token, 'Balances')).to.deep.include({ [faucet]: '20', [bob]: '30' })
  })
})
