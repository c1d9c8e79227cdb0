// The token's invariants over random sequences of messages from three holders and a stranger: no sequence of
// transfers (good, overdrawn or malformed), mints by anyone but the owner, or queries creates or loses a token.
import { expect } from 'chai'
import fc from 'fast-check'
import { checkInvariants, createTestNetwork, InvariantError, type TestNetwork } from '../../harness/index.js'

const TOKEN = 'contracts/token.lua'
const SUPPLY = 3000n

async function setup(t: TestNetwork) {
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const carol = t.wallet('carol')
  const token = await t.spawn({ file: TOKEN, name: 'token' })
  await t.setState(token, { Balances: { [alice]: '1500', [bob]: '1000', [carol]: '500' }, TotalSupply: String(SUPPLY) })
  return { token, alice, bob, carol }
}

const balances = async (t: TestNetwork, token: string) => (await t.read(token, 'Balances')) as Record<string, string> | unknown[]
const sum = (book: Record<string, string> | unknown[]) => (Array.isArray(book) ? 0n : Object.values(book).reduce((total, v) => total + BigInt(v), 0n))

/** A quantity: mostly in range, sometimes zero, over the balance, negative, fractional or not a number. */
const quantity = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-5', '1.5', 'lots', '007') },
)

describe('token: invariants', function () {
  this.timeout(120_000)

  it('keeps the supply: the balances always add up to the initial supply and TotalSupply, and are positive integers', async () => {
    const result = await checkInvariants({
      name: 'token',
      setup,
      actors: ['alice', 'bob', 'carol', 'mallory'],
      actions: {
        Transfer: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors), Quantity: quantity }),
        'Transfer-Cast': { action: 'Transfer', tags: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors), Quantity: quantity, Cast: fc.constant('true') }) },
        Mint: { tags: () => fc.record({ Quantity: quantity }), weight: 1 },
        Balance: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors) }),
      },
      invariants: {
        supplyConserved: async (t, ctx) => sum(await balances(t, ctx.token)) === SUPPLY,
        totalSupplyUnchanged: async (t, ctx) => (await t.read(ctx.token, 'TotalSupply')) === String(SUPPLY),
        balancesArePositiveIntegers: async (t, ctx) => Object.values(await balances(t, ctx.token)).every((v) => /^[1-9]\d*$/.test(String(v))),
        onlyActorsHold: async (t, ctx) => Object.keys(await balances(t, ctx.token)).every((holder) => ctx.actors.includes(holder)),
      },
      target: (ctx) => ctx.token,
      runs: 60,
      maxMessages: 15,
      seed: 42,
      replayDir: false,
    })
    expect(result).to.deep.equal({ seed: 42, runs: 60 })
  })

  it("finds the one message that does change the supply, the owner's Mint, and shrinks it to a Mint of 1", async () => {
    const found = await checkInvariants({
      name: 'token-owner',
      setup: async (t) => ({ ...(await setup(t)), deployer: t.wallet('deployer') }),
      actors: ['alice', 'bob'],
      actions: {
        Transfer: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors), Quantity: quantity }),
        OwnerMint: { action: 'Mint', from: (ctx) => [ctx.deployer], tags: () => fc.record({ Quantity: quantity }) },
      },
      invariants: { supplyConserved: async (t, ctx) => sum(await balances(t, ctx.token)) === SUPPLY },
      target: (ctx) => ctx.token,
      runs: 60,
      maxMessages: 15,
      seed: 42,
      replayDir: false,
    }).then(
      () => expect.fail('the owner can mint: the invariant should break'),
      (error: unknown) => error as InvariantError,
    )
    const t = createTestNetwork()
    const { token } = await setup(t)
    expect(found).to.be.instanceOf(InvariantError)
    expect(found.invariant).to.equal('supplyConserved')
    expect(found.sequence).to.deep.equal([{ from: t.wallet('deployer'), action: 'OwnerMint', to: token, tags: { Action: 'Mint', Quantity: '1' } }])
    expect(found.test.split('\n').filter((line) => line.includes('t.send'))).to.deep.equal(["  await t.send(deployer, token, 'Mint', { Quantity: '1' })"])
  })
})
