import * as chai from 'chai'
import { expect } from 'chai'
import { resolve } from 'node:path'
import { aokitChai } from '../../../harness/testing/chai.js'
import { DealError } from '../../../harness/testing/deal.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

chai.use(aokitChai)

const TOKEN = resolve(import.meta.dirname, '../../../contracts/token.lua')
const SUPPLY = '10000000000000000' // token.lua's TotalSupply with its 12 decimals

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('resolved'),
    (error: Error) => error,
  )
}

describe('harness/testing: t.deal sets a token balance', () => {
  async function setup() {
    const t = createTestNetwork({ seed: 'deal' })
    const alice = t.wallet('alice')
    const bob = t.wallet('bob')
    const token = await t.spawn({ name: 'token', file: TOKEN })
    return { t, alice, bob, token }
  }

  it('writes Balances[address] as a decimal string the token then uses', async () => {
    const { t, alice, bob, token } = await setup()
    expect(await t.deal(token, alice, '1000')).to.equal(undefined)
    expect(await t.read(token, `Balances.${alice}`)).to.equal('1000')
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '250' })
    expect(res).to.have.reply({ Action: 'Debit-Notice', Quantity: '250' })
    expect(await t.dryrun(bob, token, 'Balance')).to.have.reply({ Balance: '250' })
    expect(await t.read(token, 'TotalSupply')).to.equal(SUPPLY)
  })

  it('takes a bigint or a safe integer, and writes it without leading zeros', async () => {
    const { t, alice, bob, token } = await setup()
    await t.deal(token, alice, 10n ** 30n)
    await t.deal(token, bob, 42)
    expect(await t.read(token, `Balances.${alice}`)).to.equal('1' + '0'.repeat(30))
    expect(await t.read(token, `Balances.${bob}`)).to.equal('42')
    await t.deal(token, bob, '007')
    expect(await t.read(token, `Balances.${bob}`)).to.equal('7')
  })

  it('with adjustSupply, moves TotalSupply by the change, in bint (past a float)', async () => {
    const { t, alice, token } = await setup()
    await t.deal(token, alice, '1000', { adjustSupply: true })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000001000')
    await t.deal(token, alice, '400', { adjustSupply: true })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000400')
  })

  it('finds the table and the supply by dotted paths, and keeps a numeric supply a number', async () => {
    const t = createTestNetwork({ seed: 'deal' })
    const alice = t.wallet('alice')
    const pool = await t.spawn({ name: 'pool', source: 'State = { Balances = { }, Supply = { Total = 5 } }' })
    await t.deal(pool, alice, '20', { balances: 'State.Balances', adjustSupply: 'State.Supply.Total' })
    expect(await t.read(pool, 'State')).to.deep.equal({ Balances: { [alice]: '20' }, Supply: { Total: 25 } })
  })

  it('throws DealError when the process has no such table, and changes nothing', async () => {
    const { t, alice, token } = await setup()
    const counter = await t.spawn({ name: 'counter', source: 'Count = 0' })
    const missing = await rejection(t.deal(counter, alice, '1'))
    expect(missing).to.be.instanceOf(DealError)
    expect(missing.message).to.match(/^deal: counter has no Balances table\./)
    const other = await rejection(t.deal(token, alice, '1', { balances: 'Ledger' }))
    expect(other).to.be.instanceOf(DealError).and.have.property('shortMessage', 'deal: token has no Ledger table.')
    expect(await t.read(token, `Balances.${alice}`)).to.equal(null)
  })

  it('throws DealError when asked to adjust a supply the process lacks; the balance stays', async () => {
    const { t, alice, token } = await setup()
    await t.deal(token, alice, '5')
    const error = await rejection(t.deal(token, alice, '9', { adjustSupply: 'Minted' }))
    expect(error).to.be.instanceOf(DealError).and.have.property('shortMessage', 'deal: token has no Minted to adjust (a string or number).')
    expect(await t.read(token, `Balances.${alice}`)).to.equal('5')
  })

  it('throws DealError for an amount that is not an integer ≥ 0, before sending anything', async () => {
    const { t, alice, token } = await setup()
    const before = t.results(token).items.length
    for (const amount of ['1.5', '-1', 'abc', '', -1, 1.5]) {
      const error = await rejection(t.deal(token, alice, amount))
      expect(error, String(amount)).to.be.instanceOf(DealError)
      expect(error.message).to.contain('deal amount must be an integer ≥ 0')
    }
    expect(t.results(token).items.length).to.equal(before)
  })
})
