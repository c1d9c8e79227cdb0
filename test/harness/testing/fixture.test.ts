import * as chai from 'chai'
import { expect } from 'chai'
import { resolve } from 'node:path'
import { aokitChai } from '../../../harness/testing/chai.js'
import { AnonymousFixtureError, loadFixture } from '../../../harness/testing/fixture.js'
import type { TestNetwork } from '../../../harness/testing/testNetwork.js'

chai.use(aokitChai)

const TOKEN = resolve(import.meta.dirname, '../../../contracts/token.lua')

let builds = 0
async function deployToken(t: TestNetwork) {
  builds += 1
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const token = await t.spawn({ name: 'token', file: TOKEN })
  await t.deal(token, alice, '1000')
  return { t, alice, bob, token }
}

// The three tests below run in order and share deployToken's one build: each sees the state it left, fresh.
describe('harness/testing: loadFixture builds once and gives every test a fresh copy', () => {
  let first: Awaited<ReturnType<typeof deployToken>>
  let extra: string

  it('builds on the first call', async () => {
    first = await loadFixture(deployToken)
    expect(builds).to.equal(1)
    const { t, alice, bob, token } = first
    await t.send(alice, token, 'Transfer', { Recipient: bob, Quantity: '400' })
    expect(await t.read(token, `Balances.${bob}`)).to.equal('400')
    // Spawned after the snapshot: gone by the next call.
    extra = await t.spawn({ name: 'extra' })
  })

  it('does not run the fixture again, and the last test’s transfer and spawn are gone', async () => {
    const again = await loadFixture(deployToken)
    expect(builds).to.equal(1)
    expect(again).to.equal(first)
    const { t, alice, bob, token } = again
    expect(await t.read(token, `Balances.${alice}`)).to.equal('1000')
    expect(await t.read(token, `Balances.${bob}`)).to.equal(null)
    expect(t.net.processIds).to.deep.equal([token])
    await t.send(alice, token, 'Burn', { Quantity: '1000' })
  })

  it('returns the same ids and addresses, which name the same processes and wallets', async () => {
    const { t, alice, bob, token } = await loadFixture(deployToken)
    expect(builds).to.equal(1)
    expect([alice, bob, token]).to.deep.equal([first.alice, first.bob, first.token])
    expect(await t.dryrun(alice, token, 'Balance')).to.have.reply({ Balance: '1000' })
    // Ids repeat after a revert: a spawn gets the id the last test's `extra` had.
    expect(await t.spawn({ name: 'extra-again' })).to.equal(extra)
  })
})

describe('harness/testing: loadFixture options and errors', () => {
  it('builds once per set of network options (a seed is another network)', async () => {
    let runs = 0
    async function deployCounter(t: TestNetwork) {
      runs += 1
      return { t, counter: await t.spawn({ name: 'counter', source: 'Count = 0' }) }
    }
    const one = await loadFixture(deployCounter, { seed: 'fixture-one' })
    const two = await loadFixture(deployCounter, { seed: 'fixture-two' })
    const oneAgain = await loadFixture(deployCounter, { seed: 'fixture-one' })
    expect(runs).to.equal(2)
    expect(one.counter).to.not.equal(two.counter)
    expect(oneAgain).to.equal(one)
  })

  it('refuses an inline arrow: it would be a new fixture on every call', async () => {
    const error = await loadFixture(async (t) => t).then(
      () => expect.fail('resolved'),
      (e: Error) => e,
    )
    expect(error).to.be.instanceOf(AnonymousFixtureError)
    expect(error.message).to.match(/^loadFixture needs a named function/)
  })

  it('does not keep a fixture that threw: the next call runs it again', async () => {
    let runs = 0
    async function flaky(t: TestNetwork) {
      runs += 1
      if (runs === 1) throw new Error('first build fails')
      return t
    }
    await loadFixture(flaky).then(
      () => expect.fail('resolved'),
      (e: Error) => expect(e.message).to.equal('first build fails'),
    )
    const t = await loadFixture(flaky)
    expect(runs).to.equal(2)
    expect(await loadFixture(flaky)).to.equal(t)
    expect(runs).to.equal(2)
  })
})
