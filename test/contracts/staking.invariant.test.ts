// The staking app's accounting invariants (contracts/staking/README.md) over random sequences of stakes (to the
// right shard or a wrong one), unstakes, claims and epochs started by the owner, checked after every message.
import { expect } from 'chai'
import fc from 'fast-check'
import { checkInvariants, type TestNetwork } from '../../harness/index.js'

const TOKEN = 'contracts/token.lua'
const COORDINATOR = 'contracts/staking/staking.lua'
const SHARD = 'contracts/staking/shard.lua'
const BUDGET = 5000n
const WALLET_STAKE = 1000n
const STAKERS = ['alice', 'bob', 'carol'] as const

/** Two tokens, a coordinator, two shards; the coordinator funded with the reward budget; every staker holds 1000 STK. */
async function deployStaking(t: TestNetwork) {
  const deployer = t.wallet('deployer')
  const stk = await t.spawn({ file: TOKEN, name: 'stk' })
  const rwd = await t.spawn({ file: TOKEN, name: 'rwd' })
  const coordinator = await t.spawn({ file: COORDINATOR, name: 'coordinator' })
  const shards = [await t.spawn({ file: SHARD, name: 'shard-1', tags: { Coordinator: coordinator } }), await t.spawn({ file: SHARD, name: 'shard-2', tags: { Coordinator: coordinator } })]
  await t.send(deployer, coordinator, 'Configure', { 'Stake-Token': stk, 'Reward-Token': rwd, 'Reward-Per-Epoch': '700', Shards: shards.join(',') })
  await t.send(deployer, rwd, 'Mint', { Quantity: String(BUDGET) })
  await t.send(deployer, rwd, 'Transfer', { Recipient: coordinator, Quantity: String(BUDGET) })
  await t.send(deployer, stk, 'Mint', { Quantity: String(WALLET_STAKE * BigInt(STAKERS.length)) })
  /** Staker address → its shard, as the coordinator's Shard-Of answers. */
  const home: Record<string, string> = {}
  for (const name of STAKERS) {
    const address = t.wallet(name)
    await t.send(deployer, stk, 'Transfer', { Recipient: address, Quantity: String(WALLET_STAKE), Cast: 'true' })
    const answer = await t.dryrun(address, coordinator, 'Shard-Of')
    home[address] = String(answer.Messages![0]!.Tags.find((tag) => tag.name === 'Shard')!.value)
  }
  // Each token also holds its own initial supply (token.lua): the sums to conserve are the ones after setup.
  const supply = { stk: total(await book(t, stk, 'Balances')), rwd: total(await book(t, rwd, 'Balances')) }
  return { deployer, stk, rwd, coordinator, shards, home, supply }
}

async function book(t: TestNetwork, pid: string, name: string): Promise<Record<string, string>> {
  const value = await t.read(pid, name)
  return Array.isArray(value) || value === null ? {} : (value as Record<string, string>)
}
const total = (b: Record<string, string>) => Object.values(b).reduce((sum, v) => sum + BigInt(v), 0n)
const amount = fc.integer({ min: 1, max: 600 }).map(String)

describe('staking: invariants', function () {
  this.timeout(300_000)

  it('keeps every shard backed by its tokens and conserves both tokens over stakes, unstakes, claims and epochs', async () => {
    const result = await checkInvariants({
      name: 'staking',
      setup: deployStaking,
      actors: [...STAKERS],
      actions: {
        Stake: { action: 'Transfer', to: (ctx) => ctx.stk, tags: (ctx, from) => fc.record({ Recipient: fc.constant(ctx.home[from]!), Quantity: amount }), weight: 3 },
        'Stake-Wrong-Shard': { action: 'Transfer', to: (ctx) => ctx.stk, tags: (ctx, from) => fc.record({ Recipient: fc.constant(ctx.shards.find((s) => s !== ctx.home[from])!), Quantity: amount }) },
        Unstake: { to: (ctx, from) => ctx.home[from]!, tags: () => fc.record({ Quantity: amount }), weight: 2 },
        Claim: { to: (ctx, from) => ctx.home[from]! },
        Distribute: { from: (ctx) => [ctx.deployer], to: (ctx) => ctx.coordinator, weight: 2 },
      },
      invariants: {
        shardsHoldTheirStakes: async (t, ctx) => {
          const stk = await book(t, ctx.stk, 'Balances')
          for (const shard of ctx.shards) {
            const staked = total(await book(t, shard, 'Stakes'))
            if (BigInt(stk[shard] ?? '0') !== staked || String(await t.read(shard, 'TotalStaked')) !== String(staked)) return false
          }
        },
        shardsHoldTheirRewards: async (t, ctx) => {
          const rwd = await book(t, ctx.rwd, 'Balances')
          for (const shard of ctx.shards) {
            const owed = total(await book(t, shard, 'Rewards')) + BigInt(String(await t.read(shard, 'Unallocated')))
            if (BigInt(rwd[shard] ?? '0') !== owed) return false
          }
        },
        coordinatorHoldsTheBudget: async (t, ctx) => (await book(t, ctx.rwd, 'Balances'))[ctx.coordinator] === String(await t.read(ctx.coordinator, 'Budget')),
        stakeTokenConserved: async (t, ctx) => total(await book(t, ctx.stk, 'Balances')) === ctx.supply.stk,
        rewardTokenConserved: async (t, ctx) => total(await book(t, ctx.rwd, 'Balances')) === ctx.supply.rwd,
        stakersKeepTheirStake: async (t, ctx) => {
          // Whatever they did, each staker's wallet plus its stake is the 1000 STK it started with.
          const stk = await book(t, ctx.stk, 'Balances')
          for (const staker of ctx.actors) {
            const staked = BigInt((await book(t, ctx.home[staker]!, 'Stakes'))[staker] ?? '0')
            if (BigInt(stk[staker] ?? '0') + staked !== WALLET_STAKE) return false
          }
        },
      },
      target: (ctx) => ctx.coordinator,
      runs: 20,
      maxMessages: 8,
      seed: 42,
      replayDir: false,
    })
    expect(result).to.deep.equal({ seed: 42, runs: 20 })
  })
})
