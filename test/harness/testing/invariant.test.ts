// checkInvariants on a token with a planted bug (a transfer to oneself mints): the runner finds it with a fixed
// seed, shrinks it to one message, prints a test and writes a replay file that redoes the failing history.
import { expect } from 'chai'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkInvariants, createTestNetwork, InvariantError, InvariantOptionsError, type CheckInvariantsOptions, type TestNetwork } from '../../../harness/index.js'
import { replay, type ReplayFile } from '../../../harness/replay.js'
import { reproductionTest } from '../../../harness/testing/invariant/reproductionTest.js'

const BUGGY = 'test/harness/testing/fixtures/buggyToken.lua'
const SUPPLY = 1500n

const sum = (balances: unknown) => Object.values((balances ?? {}) as Record<string, string>).reduce((total, v) => total + BigInt(v), 0n)

async function setup(t: TestNetwork) {
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const token = await t.spawn({ file: BUGGY, name: 'buggy-token' })
  await t.setState(token, { Balances: { [alice]: '1000', [bob]: '500' } })
  return { token, alice, bob }
}

const invariants = {
  supplyConserved: async (t: TestNetwork, ctx: { token: string }) => sum(await t.read(ctx.token, 'Balances')) === SUPPLY,
}

/** The runner's options on the buggy token; replay files go to `replayDir`. */
function buggyOptions(replayDir: string | false): CheckInvariantsOptions<Awaited<ReturnType<typeof setup>>> {
  return {
    name: 'buggy-token',
    setup,
    actors: ['alice', 'bob', 'carol'],
    actions: {
      Transfer: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors), Quantity: fc.integer({ min: 0, max: 1200 }).map(String) }),
      Balance: (ctx) => fc.record({ Recipient: fc.constantFrom(...ctx.actors) }),
    },
    invariants,
    target: (ctx) => ctx.token,
    runs: 100,
    maxMessages: 10,
    seed: 42,
    replayDir,
  }
}

async function failure(promise: Promise<unknown>): Promise<InvariantError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(InvariantError)
    return error as InvariantError
  }
  throw new Error('expected checkInvariants to throw an InvariantError')
}

const EXPECTED_TEST = `it('buggy-token: supplyConserved holds (seed 42)', async () => {
  const t = createTestNetwork()
  const ctx = { ...(await setup(t)), actors: ['alice', 'bob', 'carol'].map((name) => t.wallet(name)) }
  const { token, alice } = ctx
  await t.send(alice, token, 'Transfer', { Recipient: alice, Quantity: '1' })
  expect(await invariants.supplyConserved(t, ctx)).to.not.equal(false)
})`

describe('checkInvariants', function () {
  this.timeout(60_000)
  let dir: string
  let found: InvariantError

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aokit-fuzz-'))
    found = await failure(checkInvariants(buggyOptions(dir)))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('finds the planted bug and shrinks it to one transfer to oneself of 1', async () => {
    const t = createTestNetwork()
    const { token, alice } = await setup(t)
    expect(found.invariant).to.equal('supplyConserved')
    expect(found.seed).to.equal(42)
    expect(found.sequence).to.have.length.at.most(3)
    expect(found.sequence).to.deep.equal([{ from: alice, action: 'Transfer', to: token, tags: { Action: 'Transfer', Recipient: alice, Quantity: '1' } }])
  })

  it('prints the invariant, the seed and path, the shrunk sequence as a mocha test and the replay file', () => {
    const file = join(dir, 'buggy-token-42.json')
    expect(found.test).to.equal(EXPECTED_TEST)
    expect(found.replayFile).to.equal(file)
    expect(found.message).to.equal(
      [
        `buggy-token: invariant "supplyConserved" broke after 1 message (seed 42, path '${found.path}').`,
        'It returned false.',
        `Rerun it with the options seed: 42, path: '${found.path}', or paste this test (setup and invariants as given to checkInvariants):`,
        '',
        EXPECTED_TEST,
        '',
        `The target's history, as an ao-replay/1 file: ${file} (npx aokit replay ${file})`,
      ].join('\n'),
    )
    expect(found.path).to.match(/^\d+(:\d+)*$/)
  })

  it('prints a test that fails as pasted: it rebuilds the network and breaks the invariant', async () => {
    let body: (() => Promise<void>) | undefined
    const it = (_title: string, fn: () => Promise<void>) => (body = fn)
    // The printed test is plain JavaScript too: run it with the names a test file would have in scope.
    new Function('it', 'createTestNetwork', 'setup', 'invariants', 'expect', found.test)(it, createTestNetwork, setup, invariants, expect)
    let thrown: unknown
    await body!().catch((error: unknown) => (thrown = error))
    expect(String(thrown)).to.equal('AssertionError: expected false to not equal false')
  })

  it('writes a replay file whose replay gives the failing run its results, message by message, and its minted balance', async () => {
    const file = JSON.parse(readFileSync(found.replayFile!, 'utf8')) as ReplayFile
    // The same history on a fresh network: setup, then the shrunk sequence.
    const t = createTestNetwork()
    const { token, alice, bob } = await setup(t)
    for (const step of found.sequence) {
      const { Action, ...tags } = step.tags
      await t.send(step.from, step.to, Action!, tags, step.data)
    }
    const history = t.results(token, { limit: 100 }).items
    expect(file.process.Id).to.equal(token)
    expect([file.process, ...file.messages].map((m) => m.Id)).to.deep.equal(history.map((entry) => entry.message.Id))
    const { results } = await replay(file)
    expect(results.map((r) => JSON.stringify({ Messages: r.Messages, Output: r.Output, Error: r.Error }))).to.deep.equal(
      history.map(({ result }) => JSON.stringify({ Messages: result!.Messages, Output: result!.Output, Error: result!.Error })),
    )
    // One more message, an owner's Eval, reads the balances the replay ends with: alice has 1 token from nothing.
    const last = file.messages.at(-1)!
    const read = { ...last, Id: 'read-balances'.padEnd(43, '0'), From: file.process.Owner, Owner: file.process.Owner, Nonce: Number(last.Nonce) + 1, Data: "return require('json').encode(Balances)", Tags: [{ name: 'Action', value: 'Eval' }] }
    const after = await replay({ ...file, messages: [...file.messages, read] })
    const output = after.results.at(-1)!.Output as { data: string }
    const balances = JSON.parse(output.data) as Record<string, string>
    expect(balances).to.deep.equal({ [alice]: '1001', [bob]: '500' })
    expect(sum(balances)).to.equal(SUPPLY + 1n)
  })

  it('prints the same text when run again with the same seed, and with the path only the counterexample', async () => {
    const again = await failure(checkInvariants(buggyOptions(dir)))
    expect(again.message).to.equal(found.message)
    const byPath = await failure(checkInvariants({ ...buggyOptions(dir), path: found.path }))
    expect(byPath.message).to.equal(found.message)
  })

  it('resolves with the seed and the runs when every invariant holds', async () => {
    const options = buggyOptions(false)
    // Without transfers to oneself the bug cannot show.
    const others = (ctx: { actors: string[] }, from: string) => ctx.actors.filter((a) => a !== from)
    const result = await checkInvariants({
      ...options,
      actions: { Transfer: (ctx, from) => fc.record({ Recipient: fc.constantFrom(...others(ctx, from)), Quantity: fc.integer({ min: 0, max: 1200 }).map(String) }) },
      runs: 30,
    })
    expect(result).to.deep.equal({ seed: 42, runs: 30 })
  })

  it('reports an invariant broken by the setup itself, with no message sent', async () => {
    const error = await failure(checkInvariants({ ...buggyOptions(false), invariants: { empty: async (t, ctx) => sum(await t.read(ctx.token, 'Balances')) === 0n } }))
    expect(error.invariant).to.equal('empty')
    expect(error.sequence).to.deep.equal([])
    expect(error.message.split('\n')[0]).to.equal('buggy-token: invariant "empty" broke after 0 messages (seed 42).')
    expect(error.message).to.include('No replay file (replayDir: false).')
  })

  it('reports what a throwing invariant threw, as its cause', async () => {
    const error = await failure(
      checkInvariants({
        ...buggyOptions(false),
        invariants: {
          supplyConserved: async (t, ctx) => {
            const total = sum(await t.read(ctx.token, 'Balances'))
            if (total !== SUPPLY) throw new RangeError(`supply is ${total}`)
          },
        },
      }),
    )
    expect(error.message.split('\n')[1]).to.equal('It threw: RangeError: supply is 1501')
    expect(error.cause).to.be.instanceOf(RangeError)
  })

  it('reports a send that throws (a message loop), with the Action and target given per action', async () => {
    const LOOP = `Handlers.add('ping', 'Ping', function(msg) Send({ Target = ao.id, Action = 'Ping' }) end)`
    const error = await failure(
      checkInvariants({
        name: 'loop',
        network: { seed: 'loop', maxMessagesPerSend: 20 },
        setup: async (t) => ({ looper: await t.spawn({ source: LOOP, name: 'looper' }), deployer: t.wallet('deployer') }),
        actors: ['mallory'],
        actions: { ping: { action: 'Ping', from: (ctx) => [ctx.deployer], tags: () => fc.constant({}) } },
        invariants: {},
        target: (ctx) => ctx.looper,
        seed: 7,
        runs: 5,
        replayDir: false,
      }),
    )
    expect(error.invariant).to.equal(undefined)
    expect(error.message.split('\n')[0]).to.match(/^loop: a message could not be delivered after 1 message \(seed 7, path '[\d:]+'\)\.$/)
    expect(error.message.split('\n')[1]).to.match(/^The last send threw: MessageLoopError: /)
    expect(error.test).to.equal(`it('loop: every message is delivered (seed 7)', async () => {
  const t = createTestNetwork({ seed: 'loop' } /* and the other network options given to checkInvariants */)
  const ctx = { ...(await setup(t)), actors: ['mallory'].map((name) => t.wallet(name)) }
  const { looper, deployer } = ctx
  await t.send(deployer, looper, 'Ping')
})`)
  })
})

describe('checkInvariants: options', function () {
  this.timeout(30_000)

  it('refuses actions that give nothing to send: none at all, or one nobody may send', async () => {
    const none = await checkInvariants({ ...buggyOptions(false), actions: {} }).catch((e: unknown) => e)
    expect(none).to.be.instanceOf(InvariantOptionsError).and.to.have.property('field', 'actions')
    const nobody = await checkInvariants({ ...buggyOptions(false), actions: { Transfer: { from: () => [] } } }).catch((e: unknown) => e)
    expect(nobody).to.be.instanceOf(InvariantOptionsError).and.to.have.property('field', 'actions.Transfer')
    expect((nobody as Error).message.split('\n')[0]).to.equal('checkInvariants: actions.Transfer has no sender (its `from`, or `actors`, is empty).')
  })
})

describe('checkInvariants: the printed test', () => {
  it('names ids by setup keys (list elements too), quotes addresses it has no name for, calls t.wallet for actor names that are not identifiers, and passes Data', () => {
    const text = reproductionTest({
      title: "it's",
      otherNetworkOptions: false,
      setupName: 'deploy',
      invariantsName: 'checks',
      actors: ['mallory-2', 'carol'],
      actorAddresses: ['M', 'C'],
      context: { token: 'T', count: 3, shards: ['S1', 'S2'] },
      sequence: [
        { from: 'M', action: 'note', to: 'T', tags: { Action: 'Note', 'X-Ref': 'C', Other: 'Z' }, data: 'line\n2' },
        { from: 'C', action: 'note', to: 'S2', tags: { Action: 'Note' }, data: '' },
      ],
      invariant: 'no-loss',
    })
    expect(text).to.equal(`it('it\\'s', async () => {
  const t = createTestNetwork()
  const ctx = { ...(await deploy(t)), actors: ['mallory-2', 'carol'].map((name) => t.wallet(name)) }
  const { token, shards } = ctx
  const carol = t.wallet('carol')
  await t.send(t.wallet('mallory-2'), token, 'Note', { 'X-Ref': carol, Other: 'Z' }, 'line\\n2')
  await t.send(carol, shards[1], 'Note', {}, '')
  expect(await checks['no-loss'](t, ctx)).to.not.equal(false)
})`)
  })
})
