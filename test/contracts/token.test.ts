import * as chai from 'chai'
import { expect } from 'chai'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { aokitChai, createTestNetwork, type TestNetwork } from '../../harness/index.js'
import { propertyRuns } from '../helpers/propertyRuns.js'

chai.use(aokitChai)

const TOKEN = 'contracts/token.lua'
const INITIAL_SUPPLY = '10000000000000000' // 10,000 tokens at Denomination 12

type Setup = { t: TestNetwork; token: string; deployer: string; alice: string; bob: string; carol: string }

/** A token named "Test Coin" where alice holds 100 and bob 50 (besides the process's own initial supply). */
async function deploy(): Promise<Setup> {
  const t = createTestNetwork()
  const deployer = t.wallet('deployer')
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const carol = t.wallet('carol')
  const token = await t.spawn({ file: TOKEN, name: 'Test Coin' })
  await t.send(deployer, token, 'Mint', { Quantity: '150' })
  await t.send(deployer, token, 'Transfer', { Recipient: alice, Quantity: '100', Cast: 'true' })
  await t.send(deployer, token, 'Transfer', { Recipient: bob, Quantity: '50', Cast: 'true' })
  return { t, token, deployer, alice, bob, carol }
}

/** Balances as an object ({} when empty: the JSON of an empty Lua table is an array). */
async function balances(t: TestNetwork, token: string): Promise<Record<string, string>> {
  const value = await t.read(token, 'Balances')
  return Array.isArray(value) ? {} : (value as Record<string, string>)
}

describe('token: initial state', () => {
  it('gives the whole default supply to the token process itself', async () => {
    const t = createTestNetwork()
    const token = await t.spawn({ file: TOKEN })
    expect(await balances(t, token)).to.deep.equal({ [token]: INITIAL_SUPPLY })
    expect(await t.read(token, 'TotalSupply')).to.equal(INITIAL_SUPPLY)
  })

  it('keeps Ticker, Denomination and Logo the deployer set before loading, and sizes the supply by Denomination', async () => {
    const t = createTestNetwork()
    const token = await t.spawn({ name: 'Stake Token' })
    await t.eval(token, `Ticker = 'STK'; Denomination = 6; Logo = 'logo-id'`)
    const loaded = await t.eval(token, readFileSync(TOKEN, 'utf8'))
    expect(loaded.result.Error).to.equal(undefined)
    const res = await t.send(t.wallet('alice'), token, 'Info')
    expect(res).to.have.reply({ Name: 'Stake Token', Ticker: 'STK', Denomination: '6', Logo: 'logo-id' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000')
  })

  it('does not reset balances when the code is loaded again', async () => {
    const { t, token, alice } = await deploy()
    await t.eval(token, readFileSync(TOKEN, 'utf8'))
    expect(await balances(t, token)).to.include({ [alice]: '100' })
  })
})

describe('token: Info, Balance, Balances', () => {
  it('Info replies with Name, Ticker, Logo and Denomination', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Info')
    expect(res).to.have.reply({ Name: 'Test Coin', Ticker: 'PNTS', Denomination: '12', Logo: 'SBCCXwwecBlDqRLUjb8dYABExTJXLieawf7m2aBJ-KY' })
  })

  it('Balance answers for the sender by default', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Balance')
    expect(res).to.have.reply({ Balance: '100', Data: '100', Account: alice, Ticker: 'PNTS' })
  })

  it('Balance answers for the Recipient tag, else a Target tag', async () => {
    const { t, token, alice, bob, carol } = await deploy()
    expect(await t.send(alice, token, 'Balance', { Recipient: bob })).to.have.reply({ Balance: '50', Account: bob })
    expect(await t.send(alice, token, 'Balance', { Target: bob })).to.have.reply({ Balance: '50', Account: bob })
    expect(await t.send(alice, token, 'Balance', { Recipient: carol })).to.have.reply({ Balance: '0', Account: carol })
  })

  it('Balances replies with every holder as JSON', async () => {
    const { t, token, alice, bob } = await deploy()
    const res = await t.dryrun(alice, token, 'Balances')
    expect(JSON.parse(String(res.Messages?.[0]?.Data))).to.deep.equal({ [token]: INITIAL_SUPPLY, [alice]: '100', [bob]: '50' })
  })
})

describe('token: Transfer', () => {
  it('moves the balance and notifies both sides', async () => {
    const { t, token, alice, bob } = await deploy()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '25' })
    expect(res).to.have.reply({ Action: 'Debit-Notice', Recipient: bob, Quantity: '25' })
    expect(res).to.have.sentMessage({ Target: bob, Action: 'Credit-Notice', Sender: alice, Quantity: '25' })
    expect(await balances(t, token)).to.include({ [alice]: '75', [bob]: '75' })
  })

  it('copies every X-* tag of the request onto both notices, and no other tag', async () => {
    const { t, token, alice, bob } = await deploy()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '1', 'X-Order-Id': 'o-7', 'X-Note': 'rent', Memo: 'private' })
    expect(res).to.have.reply({ Action: 'Debit-Notice', 'X-Order-Id': 'o-7', 'X-Note': 'rent' })
    expect(res).to.have.sentMessage({ Target: bob, Action: 'Credit-Notice', 'X-Order-Id': 'o-7', 'X-Note': 'rent' })
    expect(res).not.to.have.sentMessage({ Memo: 'private' })
  })

  it('with Cast moves the balance without sending notices', async () => {
    const { t, token, alice, bob } = await deploy()
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '10', Cast: 'true' })
    expect(res.result.Messages).to.deep.equal([])
    expect(await balances(t, token)).to.include({ [alice]: '90', [bob]: '60' })
  })

  it('creates the recipient and removes an emptied sender from Balances', async () => {
    const { t, token, bob, carol } = await deploy()
    await t.send(bob, token, 'Transfer', { Recipient: carol, Quantity: '50' })
    const after = await balances(t, token)
    expect(after).to.include({ [carol]: '50' })
    expect(after).not.to.have.property(bob)
  })

  it('to oneself leaves the balance unchanged', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Transfer', { Recipient: alice, Quantity: '100' })
    expect(res).to.have.reply({ Action: 'Debit-Notice' })
    expect(await balances(t, token)).to.include({ [alice]: '100' })
  })

  it('replies Transfer-Error with the message id when the balance is short, changing nothing', async () => {
    const { t, token, alice, bob } = await deploy()
    const before = await balances(t, token)
    const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '101' })
    expect(res).to.have.reply({ Action: 'Transfer-Error', 'Message-Id': res.message.Id, Error: 'Insufficient Balance!' })
    expect(res).not.to.have.sentMessage({ Action: 'Credit-Notice' })
    expect(await balances(t, token)).to.deep.equal(before)
  })

  for (const quantity of ['0', '-5', '1.5', '007', '1e3', 'abc', ' 5', '1'.repeat(65)]) {
    it(`fails on Quantity ${JSON.stringify(quantity.length > 10 ? '65 digits' : quantity)} and rolls back`, async () => {
      const { t, token, alice, bob } = await deploy()
      const before = await balances(t, token)
      const res = await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: quantity })
      expect(res).to.have.errored(/Quantity must be a positive integer string!/)
      expect(await balances(t, token)).to.deep.equal(before)
    })
  }

  it('fails without a Quantity or a Recipient', async () => {
    const { t, token, alice, bob } = await deploy()
    expect(await t.send(alice, token, 'Transfer', { Recipient: bob })).to.have.errored(/Quantity is required!/)
    expect(await t.send(alice, token, 'Transfer', { Quantity: '1' })).to.have.errored(/Recipient is required!/)
    expect(await balances(t, token)).to.include({ [alice]: '100', [bob]: '50' })
  })
})

describe('token: Mint, Total-Supply, Burn', () => {
  it('lets the Owner mint to itself, raising the total supply', async () => {
    const { t, token, deployer } = await deploy()
    const res = await t.send(deployer, token, 'Mint', { Quantity: '1000' })
    expect(res).to.have.reply({ Data: 'Successfully minted 1000' })
    expect(await balances(t, token)).to.include({ [deployer]: '1000' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000001150')
  })

  it('lets the process mint through a message to itself', async () => {
    const { t, token } = await deploy()
    await t.eval(token, `Send({ Target = ao.id, Action = 'Mint', Quantity = '5' })`)
    expect(await balances(t, token)).to.include({ [token]: '10000000000000005' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000155')
  })

  it('answers anyone else with Mint-Error and mints nothing', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Mint', { Quantity: '1000' })
    expect(res).to.have.reply({ Action: 'Mint-Error', 'Message-Id': res.message.Id, Error: 'Only the Process Id can mint new PNTS tokens!' })
    expect(await balances(t, token)).to.include({ [alice]: '100' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000150')
  })

  it('fails a Mint with an invalid Quantity', async () => {
    const { t, token, deployer } = await deploy()
    expect(await t.send(deployer, token, 'Mint', { Quantity: '-1' })).to.have.errored(/Quantity must be a positive integer string!/)
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000150')
  })

  it('Total-Supply replies with the supply and ticker', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Total-Supply')
    expect(res).to.have.reply({ Action: 'Total-Supply', Data: '10000000000000150', Ticker: 'PNTS' })
  })

  it('Total-Supply fails when the process asks itself', async () => {
    const { t, token } = await deploy()
    const res = await t.eval(token, `Send({ Target = ao.id, Action = 'Total-Supply' })`)
    expect(res).to.have.errored(/Cannot call Total-Supply from the same process!/)
  })

  it('Burn destroys the sender\'s tokens and lowers the total supply', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Burn', { Quantity: '40' })
    expect(res).to.have.reply({ Action: 'Burn-Notice', Quantity: '40', Data: 'Successfully burned 40' })
    expect(await balances(t, token)).to.include({ [alice]: '60' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000110')
  })

  it('Burn of more than the balance fails and rolls back', async () => {
    const { t, token, alice } = await deploy()
    const res = await t.send(alice, token, 'Burn', { Quantity: '101' })
    expect(res).to.have.errored(/Quantity must be less than or equal to the current balance!/)
    expect(await balances(t, token)).to.include({ [alice]: '100' })
    expect(await t.read(token, 'TotalSupply')).to.equal('10000000000000150')
  })
})

describe('token: properties', () => {
  type Op = { kind: 'Transfer' | 'Mint' | 'Burn'; from: number; to: number; quantity: string; cast: boolean }
  const WALLETS = ['deployer', 'alice', 'bob', 'carol']
  const quantity = fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: 200n }).map(String) },
    { weight: 1, arbitrary: fc.bigInt({ min: 10n ** 20n, max: 10n ** 30n }).map(String) }, // beyond any balance
    { weight: 1, arbitrary: fc.constantFrom('0', '-3', '2.5', 'x', '') },
  )
  const op = fc.record({
    kind: fc.constantFrom<Op['kind']>('Transfer', 'Transfer', 'Transfer', 'Mint', 'Burn'),
    from: fc.nat({ max: 3 }),
    to: fc.nat({ max: 3 }),
    quantity,
    cast: fc.boolean(),
  })

  // A model of the ledger in bigint: what every message should do, errors included (they change nothing).
  function apply(model: Map<string, bigint>, supply: { value: bigint }, o: Op, from: string, to: string, owner: string) {
    if (!/^[1-9]\d*$/.test(o.quantity)) return
    const q = BigInt(o.quantity)
    const held = model.get(from) ?? 0n
    if (o.kind === 'Transfer' && q <= held) {
      model.set(from, held - q)
      model.set(to, (model.get(to) ?? 0n) + q)
    } else if (o.kind === 'Mint' && from === owner) {
      model.set(from, held + q)
      supply.value += q
    } else if (o.kind === 'Burn' && q <= held) {
      model.set(from, held - q)
      supply.value -= q
    }
  }

  it('conserves the supply, never goes negative and matches a bigint model over random operations', async () => {
    const { t, token, deployer } = await deploy()
    const base = t.snapshot()
    const start = await balances(t, token)
    const addresses = WALLETS.map((name) => t.wallet(name))
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        t.revert(base)
        const model = new Map(Object.entries(start).map(([k, v]) => [k, BigInt(v)]))
        const supply = { value: BigInt(await t.read(token, 'TotalSupply') as string) }
        for (const o of ops) {
          const from = addresses[o.from]
          const to = addresses[o.to]
          const tags: Record<string, string> = { Quantity: o.quantity, ...(o.kind === 'Transfer' ? { Recipient: to } : {}), ...(o.cast ? { Cast: 'true' } : {}) }
          await t.send(from, token, o.kind, tags)
          apply(model, supply, o, from, to, deployer)
        }
        const actual = await balances(t, token)
        const total = BigInt(await t.read(token, 'TotalSupply') as string)
        const sum = Object.values(actual).reduce((a, v) => a + BigInt(v), 0n)
        expect(sum).to.equal(total)
        expect(total).to.equal(supply.value)
        for (const value of Object.values(actual)) expect(value).to.match(/^[1-9]\d*$/)
        const expected = Object.fromEntries([...model].filter(([, v]) => v > 0n).map(([k, v]) => [k, String(v)]))
        expect(actual).to.deep.equal(expected)
      }),
      { seed: 42, numRuns: propertyRuns(40) },
    )
  })

  it('a failed message never changes any balance', async () => {
    const { t, token } = await deploy()
    const addresses = WALLETS.map((name) => t.wallet(name))
    const bad = fc.record({
      kind: fc.constantFrom('Transfer', 'Mint', 'Burn'),
      from: fc.nat({ max: 3 }),
      quantity: fc.oneof(fc.constantFrom('0', '-1', '1.0', '0x10', '+5'), fc.string({ maxLength: 6 }).filter((s) => !/^[1-9]\d*$/.test(s))),
    })
    await fc.assert(
      fc.asyncProperty(bad, async (b) => {
        const before = await balances(t, token)
        const res = await t.send(addresses[b.from], token, b.kind, { Quantity: b.quantity, Recipient: addresses[0] })
        expect(res).to.have.errored()
        expect(await balances(t, token)).to.deep.equal(before)
      }),
      { seed: 42, numRuns: propertyRuns(30) },
    )
  })
})
