import * as chai from 'chai'
import { expect } from 'chai'
import fc from 'fast-check'
import { aokitChai, createTestNetwork, type TestNetwork } from '../../harness/index.js'
import type { NetworkSnapshot } from '../../harness/index.js'
import { propertyRuns } from '../helpers/propertyRuns.js'

chai.use(aokitChai)

const TOKEN = 'contracts/token.lua'
const COORDINATOR = 'contracts/staking/staking.lua'
const SHARD = 'contracts/staking/shard.lua'
const SHARDS = 3
const REWARD_PER_EPOCH = 1000n
const BUDGET = 10_000n
const WALLET_STAKE = 1000n
const STAKERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']

type App = {
  t: TestNetwork
  deployer: string
  stk: string
  rwd: string
  coordinator: string
  shards: string[]
  /** Staker name → address. */
  who: Record<string, string>
  /** Staker address → the id of its shard, as the coordinator's Shard-Of answers. */
  home: Record<string, string>
}

const tagOf = (message: { Tags: { name: string; value: unknown }[] } | undefined, name: string) =>
  message?.Tags.find((tag) => tag.name === name)?.value as string | undefined

/** Two tokens, a coordinator with an hourly cron, three shards; the coordinator funded; every staker holds 1000 STK. */
async function deployApp(): Promise<App> {
  const t = createTestNetwork({ seed: 'staking' })
  const deployer = t.wallet('deployer')
  const stk = await t.spawn({ file: TOKEN, name: 'stk' })
  const rwd = await t.spawn({ file: TOKEN, name: 'rwd' })
  const coordinator = await t.spawn({ file: COORDINATOR, name: 'coordinator', tags: { 'Cron-Interval': '1-hour', 'Cron-Tag-Action': 'Distribute' } })
  const shards: string[] = []
  for (let i = 1; i <= SHARDS; i++) shards.push(await t.spawn({ file: SHARD, name: `shard-${i}`, tags: { Coordinator: coordinator } }))
  await t.send(deployer, coordinator, 'Configure', { 'Stake-Token': stk, 'Reward-Token': rwd, 'Reward-Per-Epoch': String(REWARD_PER_EPOCH), Shards: shards.join(',') })
  await t.send(deployer, rwd, 'Mint', { Quantity: String(BUDGET) })
  await t.send(deployer, rwd, 'Transfer', { Recipient: coordinator, Quantity: String(BUDGET) })
  await t.send(deployer, stk, 'Mint', { Quantity: String(WALLET_STAKE * BigInt(STAKERS.length)) })
  const who: Record<string, string> = {}
  const home: Record<string, string> = {}
  for (const name of STAKERS) {
    who[name] = t.wallet(name)
    await t.send(deployer, stk, 'Transfer', { Recipient: who[name], Quantity: String(WALLET_STAKE), Cast: 'true' })
    const answer = await t.dryrun(who[name], coordinator, 'Shard-Of')
    home[who[name]] = tagOf(answer.Messages?.[0], 'Shard')!
  }
  return { t, deployer, stk, rwd, coordinator, shards, who, home }
}

async function book(t: TestNetwork, pid: string, name: string): Promise<Record<string, string>> {
  const value = await t.read(pid, name)
  return Array.isArray(value) || value === null ? {} : (value as Record<string, string>)
}

const balanceOf = async (t: TestNetwork, token: string, account: string) => BigInt((await book(t, token, 'Balances'))[account] ?? '0')

const stake = (app: App, name: string, quantity: bigint, shard?: string) =>
  app.t.send(app.who[name], app.stk, 'Transfer', { Recipient: shard ?? app.home[app.who[name]], Quantity: String(quantity) })

/** A shard that is not `name`'s home shard. */
function otherShard(app: App, name: string): string {
  return app.shards.find((s) => s !== app.home[app.who[name]])!
}

describe('staking', () => {
  let app: App
  let base: NetworkSnapshot

  before(async () => {
    app = await deployApp()
    base = app.t.snapshot()
  })

  beforeEach(() => app.t.revert(base))

  describe('staking: deployment', () => {
    it('sends every shard a Join with its index, and each shard keeps it', async () => {
      for (const [i, shard] of app.shards.entries()) {
        expect(await app.t.read(shard, 'ShardIndex')).to.equal(i + 1)
        expect(await app.t.read(shard, 'StakeToken')).to.equal(app.stk)
        expect(await app.t.read(shard, 'Shards')).to.deep.equal(app.shards)
      }
    })

    it('routes stakers over more than one shard', () => {
      expect(new Set(Object.values(app.home)).size).to.be.greaterThan(1)
    })

    it('refuses a second Configure, keeping the shard list', async () => {
      const res = await app.t.send(app.deployer, app.coordinator, 'Configure', { 'Stake-Token': app.stk, 'Reward-Token': app.rwd, 'Reward-Per-Epoch': '1', Shards: app.shards[0] })
      expect(res).to.have.errored(/Already configured/)
      expect(await app.t.read(app.coordinator, 'Shards')).to.deep.equal(app.shards)
      expect(await app.t.read(app.coordinator, 'RewardPerEpoch')).to.equal(String(REWARD_PER_EPOCH))
    })

    it('refuses Configure from anyone but the Owner', async () => {
      const t = createTestNetwork()
      const coordinator = await t.spawn({ file: COORDINATOR })
      const res = await t.send(t.wallet('mallory'), coordinator, 'Configure', { 'Stake-Token': 'a', 'Reward-Token': 'b', 'Reward-Per-Epoch': '1', Shards: 'x' })
      expect(res).to.have.errored(/Only the Owner may configure/)
      expect(await t.read(coordinator, 'Shards')).to.deep.equal([])
    })

    it('refuses a Join, a Snapshot or an Epoch-Closed that does not come from the coordinator', async () => {
      const mallory = app.t.wallet('mallory')
      const shard = app.shards[0]
      for (const action of ['Join', 'Snapshot', 'Epoch-Closed']) {
        expect(await app.t.send(mallory, shard, action, { Epoch: '1' })).to.have.errored(/Only the coordinator may send/)
      }
      expect(await app.t.read(shard, 'Frozen')).to.deep.equal([])
    })

    it('answers Info with the budget and configuration', async () => {
      const res = await app.t.send(app.who.alice, app.coordinator, 'Info')
      expect(res).to.have.reply({ Action: 'Staking-Info', Epoch: '0', Budget: String(BUDGET), Distributed: '0', 'Reward-Per-Epoch': '1000', Shards: app.shards.join(','), 'Stake-Token': app.stk })
    })
  })

  describe('staking: stake', () => {
    it('takes a transfer to the staker\'s shard as a stake and tells the staker', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      const res = await stake(app, 'alice', 300n)
      expect(res).to.have.sentMessage({ Target: alice, Action: 'Staked', Quantity: '300', Stake: '300' })
      expect(await book(app.t, shard, 'Stakes')).to.deep.equal({ [alice]: '300' })
      expect(await app.t.read(shard, 'TotalStaked')).to.equal('300')
      expect(await balanceOf(app.t, app.stk, shard)).to.equal(300n)
      expect(await balanceOf(app.t, app.stk, alice)).to.equal(700n)
    })

    it('adds a second stake to the first', async () => {
      await stake(app, 'alice', 300n)
      const res = await stake(app, 'alice', 200n)
      expect(res).to.have.sentMessage({ Action: 'Staked', Quantity: '200', Stake: '500' })
    })

    it('never involves the coordinator: stake traffic is spread over the shards alone', async () => {
      const coordinatorBefore = app.t.results(app.coordinator, { limit: 1000 }).items.length
      const perShard = Object.fromEntries(app.shards.map((s) => [s, app.t.results(s, { limit: 1000 }).items.length]))
      for (const name of STAKERS) await stake(app, name, 10n)
      expect(app.t.results(app.coordinator, { limit: 1000 }).items.length).to.equal(coordinatorBefore)
      for (const shard of app.shards) {
        const stakersHere = STAKERS.filter((name) => app.home[app.who[name]] === shard).length
        expect(app.t.results(shard, { limit: 1000 }).items.length - perShard[shard]).to.equal(stakersHere)
      }
    })

    it('refunds a stake sent to the wrong shard, naming the right one', async () => {
      const alice = app.who.alice
      const wrong = otherShard(app, 'alice')
      const res = await stake(app, 'alice', 300n, wrong)
      expect(res).to.have.sentMessage({ Target: alice, Action: 'Credit-Notice', Quantity: '300', 'X-Refund': `Wrong-Shard: stake at ${app.home[alice]}` })
      expect(await balanceOf(app.t, app.stk, alice)).to.equal(WALLET_STAKE)
      expect(await book(app.t, wrong, 'Stakes')).to.deep.equal({})
    })

    it('refunds stake tokens sent to the coordinator', async () => {
      const res = await app.t.send(app.who.bob, app.stk, 'Transfer', { Recipient: app.coordinator, Quantity: '50' })
      expect(res).to.have.sentMessage({ Target: app.who.bob, Action: 'Credit-Notice', 'X-Refund': 'Stake-At-Your-Shard' })
      expect(await balanceOf(app.t, app.stk, app.who.bob)).to.equal(WALLET_STAKE)
    })

    it('refunds a token it does not know instead of counting it as stake', async () => {
      const other = await app.t.spawn({ file: TOKEN, name: 'other' })
      await app.t.send(app.deployer, other, 'Mint', { Quantity: '40' })
      const shard = app.shards[0]
      const res = await app.t.send(app.deployer, other, 'Transfer', { Recipient: shard, Quantity: '40' })
      expect(res).to.have.sentMessage({ Target: app.deployer, Action: 'Credit-Notice', 'X-Refund': 'Unsupported-Token' })
      expect(await balanceOf(app.t, other, app.deployer)).to.equal(40n)
      expect(await app.t.read(shard, 'TotalStaked')).to.equal('0')
    })

    it('does not count a Credit-Notice forged by a wallet', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await app.t.send(alice, shard, 'Credit-Notice', { Sender: alice, Quantity: '500' })
      expect(await book(app.t, shard, 'Stakes')).to.deep.equal({})
    })
  })

  describe('staking: unstake', () => {
    it('sends the stake token back and replies Unstaked with what is left', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 300n)
      const res = await app.t.send(alice, shard, 'Unstake', { Quantity: '120' })
      expect(res).to.have.reply({ Action: 'Unstaked', Quantity: '120', Stake: '180' })
      expect(res).to.have.sentMessage({ Target: alice, Action: 'Credit-Notice', Quantity: '120', 'X-Reason': 'Unstake' })
      expect(await balanceOf(app.t, app.stk, alice)).to.equal(820n)
      expect(await balanceOf(app.t, app.stk, shard)).to.equal(180n)
      expect(await app.t.read(shard, 'TotalStaked')).to.equal('180')
    })

    it('removes a staker who unstakes everything', async () => {
      const alice = app.who.alice
      await stake(app, 'alice', 300n)
      await app.t.send(alice, app.home[alice], 'Unstake', { Quantity: '300' })
      expect(await book(app.t, app.home[alice], 'Stakes')).to.deep.equal({})
    })

    it('replies Unstake-Error when the stake is short, and keeps the stake', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 300n)
      const res = await app.t.send(alice, shard, 'Unstake', { Quantity: '301' })
      expect(res).to.have.reply({ Action: 'Unstake-Error', 'Message-Id': res.message.Id, Error: 'Insufficient Stake!' })
      expect(res).not.to.have.sentMessage({ Action: 'Transfer' })
      expect(await book(app.t, shard, 'Stakes')).to.deep.equal({ [alice]: '300' })
    })

    it('fails on an invalid Quantity and rolls back', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 300n)
      const res = await app.t.send(alice, shard, 'Unstake', { Quantity: '-300' })
      expect(res).to.have.errored(/Quantity must be a positive integer string!/)
      expect(await book(app.t, shard, 'Stakes')).to.deep.equal({ [alice]: '300' })
    })
  })

  describe('staking: epochs and rewards', () => {
    it('pays each hour\'s reward to the shards in proportion to their stake, and to stakers within a shard', async () => {
      const { alice } = app.who
      const aliceShard = app.home[alice]
      // carol on a shard other than alice's
      const carolName = STAKERS.find((n) => app.home[app.who[n]] !== aliceShard)!
      const carol = app.who[carolName]
      await stake(app, 'alice', 100n)
      await stake(app, carolName, 300n)
      const ticks = await app.t.advance('1-hour')
      expect(ticks).to.have.length(1)
      expect(ticks[0]).to.have.sentMessage({ Action: 'Transfer', Recipient: aliceShard, Quantity: '250', 'X-Epoch': '1' })
      expect(ticks[0]).to.have.sentMessage({ Action: 'Transfer', Recipient: app.home[carol], Quantity: '750', 'X-Epoch': '1' })
      expect(await book(app.t, aliceShard, 'Rewards')).to.deep.equal({ [alice]: '250' })
      expect(await book(app.t, app.home[carol], 'Rewards')).to.deep.equal({ [carol]: '750' })
      expect(await app.t.read(app.coordinator, 'Budget')).to.equal('9000')
      expect(await app.t.read(app.coordinator, 'Distributed')).to.equal('1000')
      expect(await app.t.read(app.coordinator, 'LastTotalStaked')).to.equal('400')
    })

    it('splits a shard\'s reward over its stakers and keeps the rounding left-over for the next epoch', async () => {
      const shard = app.home[app.who.alice]
      const neighbours = STAKERS.filter((n) => app.home[app.who[n]] === shard)
      expect(neighbours.length, 'the fixed seed puts two stakers on alice\'s shard').to.be.at.least(2)
      await stake(app, neighbours[0], 1n)
      await stake(app, neighbours[1], 2n)
      await app.t.advance('1-hour')
      // 1000 over stakes 1 and 2: 333 and 666, 1 left over
      expect(await book(app.t, shard, 'Rewards')).to.deep.equal({ [app.who[neighbours[0]]]: '333', [app.who[neighbours[1]]]: '666' })
      expect(await app.t.read(shard, 'Unallocated')).to.equal('1')
      await app.t.advance('1-hour')
      // the left-over joins the next reward: 1001 over 1 and 2 is 333 and 667, 1 left over again
      expect(await book(app.t, shard, 'Rewards')).to.deep.equal({ [app.who[neighbours[0]]]: '666', [app.who[neighbours[1]]]: '1333' })
      expect(await app.t.read(shard, 'Unallocated')).to.equal('1')
    })

    it('gives nothing for an epoch to a stake made after its snapshot', async () => {
      const { alice } = app.who
      await stake(app, 'alice', 100n)
      await app.t.advance('1-hour')
      const late = STAKERS.find((n) => app.home[app.who[n]] === app.home[alice] && n !== 'alice')!
      await stake(app, late, 100n)
      expect(await book(app.t, app.home[alice], 'Rewards')).to.deep.equal({ [alice]: '1000' })
    })

    it('pays out no more than the budget, then stops asking the shards', async () => {
      const t = createTestNetwork({ seed: 'small-budget' })
      const deployer = t.wallet('deployer')
      const stk = await t.spawn({ file: TOKEN })
      const rwd = await t.spawn({ file: TOKEN })
      const coordinator = await t.spawn({ file: COORDINATOR, name: 'coordinator', tags: { 'Cron-Interval': '1-hour', 'Cron-Tag-Action': 'Distribute' } })
      const shard = await t.spawn({ file: SHARD, tags: { Coordinator: coordinator } })
      await t.send(deployer, coordinator, 'Configure', { 'Stake-Token': stk, 'Reward-Token': rwd, 'Reward-Per-Epoch': '1000', Shards: shard })
      await t.send(deployer, rwd, 'Mint', { Quantity: '1500' })
      await t.send(deployer, rwd, 'Transfer', { Recipient: coordinator, Quantity: '1500' })
      await t.send(deployer, stk, 'Mint', { Quantity: '10' })
      await t.send(deployer, stk, 'Transfer', { Recipient: shard, Quantity: '10' })
      const ticks = await t.advance('3-hours')
      expect(ticks.map((tick) => tick.children.length)).to.deep.equal([1, 1, 0])
      expect(await book(t, shard, 'Rewards')).to.deep.equal({ [deployer]: '1500' })
      expect(await t.read(coordinator, 'Budget')).to.equal('0')
      expect(await t.read(coordinator, 'Epoch')).to.equal(2)
    })

    it('tells a shard whose share rounds to zero that its epoch is closed, so it drops the frozen stakes', async () => {
      await app.t.eval(app.coordinator, `RewardPerEpoch = '10'`)
      const aliceShard = app.home[app.who.alice]
      const bigName = STAKERS.find((n) => app.home[app.who[n]] !== aliceShard)!
      await stake(app, 'alice', 1n)
      await stake(app, bigName, 500n)
      const [tick] = await app.t.advance('1-hour')
      expect(tick).to.have.sentMessage({ Target: aliceShard, Action: 'Epoch-Closed', Epoch: '1' })
      expect(await app.t.read(aliceShard, 'Frozen')).to.deep.equal([])
      // 10 × 1/501 rounds to 0 for alice's shard; 10 × 500/501 = 9 for the other
      expect(tick).not.to.have.sentMessage({ Action: 'Transfer', Recipient: aliceShard })
      expect(await book(app.t, app.home[app.who[bigName]], 'Rewards')).to.deep.equal({ [app.who[bigName]]: '9' })
      expect(await app.t.read(app.coordinator, 'Budget')).to.equal(String(BUDGET - 9n))
    })

    it('with nobody staked, spends an epoch but no budget', async () => {
      await app.t.advance('1-hour')
      expect(await app.t.read(app.coordinator, 'Budget')).to.equal(String(BUDGET))
      expect(await app.t.read(app.coordinator, 'Epoch')).to.equal(1)
    })

    it('keeps reward tokens sent by anyone but the coordinator for the next epoch\'s split', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 100n)
      await app.t.send(app.deployer, app.rwd, 'Mint', { Quantity: '30' })
      await app.t.send(app.deployer, app.rwd, 'Transfer', { Recipient: shard, Quantity: '30', 'X-Epoch': '1' })
      expect(await app.t.read(shard, 'Unallocated')).to.equal('30')
      expect(await book(app.t, shard, 'Rewards')).to.deep.equal({})
      await app.t.advance('1-hour')
      expect(await book(app.t, shard, 'Rewards')).to.deep.equal({ [alice]: '1030' })
    })

    it('refuses a Snapshot-Total from a process that is not a shard', async () => {
      await app.t.eval(app.coordinator, `Epoch = 1; require('lib.schedule').open(OpenEpochs, 1, Shards)`)
      const res = await app.t.send(app.who.alice, app.coordinator, 'Snapshot-Total', { Epoch: '1', Total: '5' })
      expect(res).to.have.errored(/Only a shard may report a total/)
      expect(await app.t.read(app.coordinator, 'OpenEpochs.1.Totals')).to.deep.equal([])
    })

    it('refuses Distribute from anyone but the Owner and its cron', async () => {
      const res = await app.t.send(app.who.alice, app.coordinator, 'Distribute')
      expect(res).to.have.errored(/Only the Owner or its cron may start an epoch/)
      expect(await app.t.read(app.coordinator, 'Epoch')).to.equal(0)
    })

    it('refuses a second report from the same shard for one epoch', async () => {
      // Open epoch 1 by hand and let shard 1 report twice through an Eval'd Send.
      await stake(app, 'alice', 10n)
      await app.t.eval(app.coordinator, `Epoch = 1; require('lib.schedule').open(OpenEpochs, 1, Shards)`)
      const first = await app.t.eval(app.shards[0], `Send({ Target = Coordinator, Action = 'Snapshot-Total', Epoch = '1', Total = '0' })`)
      expect(first).not.to.have.errored()
      const second = await app.t.eval(app.shards[0], `Send({ Target = Coordinator, Action = 'Snapshot-Total', Epoch = '1', Total = '5' })`)
      expect(second).to.have.errored(/Shard already reported for epoch 1/)
      expect(await app.t.read(`${app.coordinator}`, 'OpenEpochs.1.Totals')).to.deep.equal({ [app.shards[0]]: '0' })
    })
  })

  describe('staking: claim and position', () => {
    it('Claim sends the reward and clears it; a second Claim gets Claim-Error', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 100n)
      await app.t.advance('1-hour')
      const res = await app.t.send(alice, shard, 'Claim')
      expect(res).to.have.reply({ Action: 'Claimed', Quantity: '1000' })
      expect(res).to.have.sentMessage({ Target: alice, Action: 'Credit-Notice', Quantity: '1000', 'X-Reason': 'Claim' })
      expect(await balanceOf(app.t, app.rwd, alice)).to.equal(1000n)
      expect(await balanceOf(app.t, app.rwd, shard)).to.equal(0n)
      const again = await app.t.send(alice, shard, 'Claim')
      expect(again).to.have.reply({ Action: 'Claim-Error', Error: 'No Rewards!' })
    })

    it('Position reports stake and unclaimed reward for the sender or an Account', async () => {
      const alice = app.who.alice
      const shard = app.home[alice]
      await stake(app, 'alice', 100n)
      await app.t.advance('1-hour')
      expect(await app.t.send(alice, shard, 'Position')).to.have.reply({ Action: 'Position', Account: alice, Stake: '100', Reward: '1000' })
      expect(await app.t.send(app.who.bob, shard, 'Position', { Account: alice })).to.have.reply({ Stake: '100', Reward: '1000' })
    })
  })

  describe('staking: properties', () => {
    type Op =
      | { kind: 'stake'; who: number; quantity: bigint }
      | { kind: 'unstake'; who: number; quantity: bigint }
      | { kind: 'claim'; who: number }
      | { kind: 'hour' }
    const who = fc.nat({ max: STAKERS.length - 1 })
    const quantity = fc.bigInt({ min: 1n, max: 400n })
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('stake' as const), who, quantity }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('unstake' as const), who, quantity }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('claim' as const), who }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'hour' as const }) },
    )

    /** The expected state: wallets, stakes and rewards, computed in bigint by the rules the README states. */
    function model() {
      return {
        wallet: new Map<string, bigint>(STAKERS.map((n) => [app.who[n], WALLET_STAKE])),
        stakes: new Map<string, bigint>(),
        rewards: new Map<string, bigint>(),
        claimed: new Map<string, bigint>(),
        unallocated: new Map<string, bigint>(app.shards.map((s) => [s, 0n])),
        budget: BUDGET,
      }
    }
    type Model = ReturnType<typeof model>
    const get = (m: Map<string, bigint>, k: string) => m.get(k) ?? 0n

    function hour(m: Model) {
      if (m.budget === 0n) return
      const reward = m.budget < REWARD_PER_EPOCH ? m.budget : REWARD_PER_EPOCH
      const totals = app.shards.map((s) => [...m.stakes].filter(([a]) => app.home[a] === s).reduce((sum, [, v]) => sum + v, 0n))
      const all = totals.reduce((a, b) => a + b, 0n)
      if (all === 0n) return
      app.shards.forEach((shard, i) => {
        const share = (reward * totals[i]) / all
        if (share === 0n) return
        m.budget -= share
        const pot = share + get(m.unallocated, shard)
        let left = pot
        for (const [account, staked] of m.stakes) {
          if (app.home[account] !== shard) continue
          const part = (pot * staked) / totals[i]
          m.rewards.set(account, get(m.rewards, account) + part)
          left -= part
        }
        m.unallocated.set(shard, left)
      })
    }

    function apply(m: Model, o: Op) {
      if (o.kind === 'hour') return hour(m)
      const account = app.who[STAKERS[o.who]]
      if (o.kind === 'stake' && o.quantity <= get(m.wallet, account)) {
        m.wallet.set(account, get(m.wallet, account) - o.quantity)
        m.stakes.set(account, get(m.stakes, account) + o.quantity)
      } else if (o.kind === 'unstake' && o.quantity <= get(m.stakes, account)) {
        m.stakes.set(account, get(m.stakes, account) - o.quantity)
        m.wallet.set(account, get(m.wallet, account) + o.quantity)
      } else if (o.kind === 'claim') {
        m.claimed.set(account, get(m.claimed, account) + get(m.rewards, account))
        m.rewards.set(account, 0n)
      }
      for (const [k, v] of m.stakes) if (v === 0n) m.stakes.delete(k)
    }

    async function run(o: Op) {
      if (o.kind === 'hour') return app.t.advance('1-hour')
      const name = STAKERS[o.who]
      const account = app.who[name]
      if (o.kind === 'stake') return stake(app, name, o.quantity)
      if (o.kind === 'unstake') return app.t.send(account, app.home[account], 'Unstake', { Quantity: String(o.quantity) })
      return app.t.send(account, app.home[account], 'Claim')
    }

    const nonZero = (m: Map<string, bigint>) => Object.fromEntries([...m].filter(([, v]) => v > 0n).map(([k, v]) => [k, String(v)]))

    it('conserves both tokens, keeps every shard backed and matches a bigint model over random operations', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
          app.t.revert(base)
          const m = model()
          for (const o of ops) {
            await run(o)
            apply(m, o)
          }
          const stk = await book(app.t, app.stk, 'Balances')
          const rwd = await book(app.t, app.rwd, 'Balances')
          let staked = 0n
          let owed = 0n
          for (const shard of app.shards) {
            const stakes = await book(app.t, shard, 'Stakes')
            const rewards = await book(app.t, shard, 'Rewards')
            const sum = (b: Record<string, string>) => Object.values(b).reduce((a, v) => a + BigInt(v), 0n)
            // every shard holds exactly the stake it owes, and exactly the rewards it owes plus its left-over
            expect(BigInt(stk[shard] ?? '0')).to.equal(sum(stakes)).and.to.equal(BigInt(await app.t.read(shard, 'TotalStaked') as string))
            expect(BigInt(rwd[shard] ?? '0')).to.equal(sum(rewards) + BigInt(await app.t.read(shard, 'Unallocated') as string))
            for (const value of [...Object.values(stakes), ...Object.values(rewards)]) expect(value).to.match(/^[1-9]\d*$/)
            staked += sum(stakes)
            owed += sum(rewards)
          }
          // nothing created or lost: wallets + shards hold all STK; RWD is in the budget, the shards or claimed
          const wallets = STAKERS.reduce((a, n) => a + BigInt(stk[app.who[n]] ?? '0'), 0n)
          expect(wallets + staked).to.equal(WALLET_STAKE * BigInt(STAKERS.length))
          const budget = BigInt(await app.t.read(app.coordinator, 'Budget') as string)
          expect(BigInt(rwd[app.coordinator] ?? '0')).to.equal(budget)
          const claimed = STAKERS.reduce((a, n) => a + BigInt(rwd[app.who[n]] ?? '0'), 0n)
          const unallocated = await Promise.all(app.shards.map(async (s) => BigInt(await app.t.read(s, 'Unallocated') as string)))
          expect(budget + owed + claimed + unallocated.reduce((a, b) => a + b, 0n)).to.equal(BUDGET)
          // and exactly the amounts the model predicts
          expect(budget).to.equal(m.budget)
          const stakesSeen = Object.assign({}, ...(await Promise.all(app.shards.map((s) => book(app.t, s, 'Stakes')))))
          const rewardsSeen = Object.assign({}, ...(await Promise.all(app.shards.map((s) => book(app.t, s, 'Rewards')))))
          expect(stakesSeen).to.deep.equal(nonZero(m.stakes))
          expect(rewardsSeen).to.deep.equal(nonZero(m.rewards))
          expect(Object.fromEntries(STAKERS.map((n) => [n, BigInt(rwd[app.who[n]] ?? '0')]))).to.deep.equal(Object.fromEntries(STAKERS.map((n) => [n, get(m.claimed, app.who[n])])))
        }),
        { seed: 42, numRuns: propertyRuns(25) },
      )
    })
  })
})
