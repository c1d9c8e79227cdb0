import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork, InvalidStatePathError, LuaEvalError } from '../../harness/index.js'

chai.use(aokitChai)

const TOKEN = `
Balances = Balances or {}
Handlers.add('transfer', 'Transfer', function(m)
  local qty = tonumber(m.Quantity)
  assert((Balances[m.From] or 0) >= qty, 'Insufficient Balance')
  Balances[m.From] = Balances[m.From] - qty
  Balances[m.Recipient] = (Balances[m.Recipient] or 0) + qty
  Send({ Target = m.From, Action = 'Debit-Notice', Recipient = m.Recipient, Quantity = m.Quantity })
  Send({ Target = m.Recipient, Action = 'Credit-Notice', Sender = m.From, Quantity = m.Quantity })
end)`

const VAULT = `
Deposits = Deposits or {}
Handlers.add('credit', 'Credit-Notice', function(m)
  assert(m.From == Token, 'unknown token')
  Deposits[m.Sender] = (Deposits[m.Sender] or 0) + tonumber(m.Quantity)
  print('deposit from ' .. m.Sender)
  Send({ Target = m.Sender, Action = 'Deposited', Quantity = m.Quantity })
end)`

/** Alice deposits 25 tokens into the vault; returns the network, the ids and the send. */
async function depositScenario() {
  const t = createTestNetwork({ seed: 'scenario' })
  const alice = t.wallet('alice')
  const token = await t.spawn({ source: TOKEN, name: 'token' })
  const vault = await t.spawn({ source: VAULT, name: 'vault' })
  await t.setState(token, { Balances: { [alice]: 100 } })
  await t.setState(vault, { Token: token })
  const res = await t.send(alice, token, 'Transfer', { Recipient: vault, Quantity: '25' })
  return { t, alice, token, vault, res }
}

describe('test network (harness/index)', () => {
  it('runs a token → vault deposit, checked with the chai assertions', async () => {
    const { t, alice, token, vault, res } = await depositScenario()
    expect(res).to.have.sentMessage({ Target: vault, Action: 'Credit-Notice', Quantity: '25', Sender: alice })
    expect(res).to.have.reply({ Action: 'Debit-Notice', Quantity: '25' })
    expect(res).to.have.sentMessage({ Target: alice, Action: 'Deposited' })
    expect(res).to.not.have.errored()
    expect(await t.read(token, 'Balances')).to.deep.equal({ [alice]: 75, [vault]: 25 })
    expect(await t.read(vault, `Deposits.${alice}`)).to.equal(25)

    const overdraw = await t.send(alice, token, 'Transfer', { Recipient: vault, Quantity: '1000' })
    expect(overdraw).to.have.errored(/Insufficient Balance/)
    expect(await t.read(token, 'Balances')).to.deep.equal({ [alice]: 75, [vault]: 25 })
  })

  it('gives byte-identical traces on two runs, with wallet and process names', async () => {
    const one = await depositScenario()
    const two = await depositScenario()
    const trace = one.t.trace(one.res, { prints: true, colors: false })
    expect(trace).to.equal(two.t.trace(two.res, { prints: true, colors: false }))
    expect(trace.split('\n')[0]).to.equal('alice → token Transfer Quantity=25 Recipient=vault')
    expect(trace).to.include(`vault: deposit from ${one.alice}`)
  })

  it('fails loudly when the loaded code errors', async () => {
    const t = createTestNetwork()
    await t.spawn({ source: 'error("boom")' }).then(
      () => expect.fail('spawned'),
      (error) => expect(error).to.be.instanceOf(LuaEvalError).and.have.property('message').that.match(/boom/),
    )
  })

  it('lets any address send (impersonation) and dry-runs without changing state', async () => {
    const { t, token, vault } = await depositScenario()
    const res = await t.send(vault, token, 'Transfer', { Recipient: t.wallet('bob'), Quantity: '5' })
    expect(res).to.not.have.errored()
    const dry = await t.dryrun(t.wallet('bob'), token, 'Transfer', { Recipient: vault, Quantity: '5' })
    expect(dry).to.have.sentMessage({ Action: 'Credit-Notice', Quantity: '5' })
    // The test network tells chai whom the dry-run came from: its reply is a message to bob.
    expect(dry).to.have.reply({ Action: 'Debit-Notice', Quantity: '5' })
    expect(dry).to.not.have.reply({ Action: 'Transfer-Error' })
    expect(await t.read(token, `Balances.${t.wallet('bob')}`)).to.equal(5)
  })

  it('snapshots, reverts, forks and mocks through the same object', async () => {
    const { t, alice, token } = await depositScenario()
    const snap = t.snapshot()
    await t.send(alice, token, 'Transfer', { Recipient: t.wallet('bob'), Quantity: '75' })
    t.revert(snap)
    expect(await t.read(token, `Balances.${alice}`)).to.equal(75)

    const copy = await t.fork(token, { name: 'token-copy' })
    await t.send(alice, copy, 'Transfer', { Recipient: t.wallet('bob'), Quantity: '75' })
    expect(await t.read(copy, `Balances.${alice}`)).to.equal(0)
    expect(await t.read(token, `Balances.${alice}`)).to.equal(75)

    const oracle = await t.mock((msg) => ({ Messages: [{ Target: msg.From, Tags: { Action: 'Pong' } }] }), { name: 'oracle' })
    const res = await t.send(alice, oracle, 'Ping')
    expect(res).to.have.reply({ Action: 'Pong' })
    // A reply to a wallet leaves the network: the trace shows it as not delivered (⇢).
    expect(t.trace(res, { colors: false })).to.equal('alice → oracle Ping\n└─ oracle ⇢ alice Pong')
  })

  it('pages over a process history with results, and moves time', async () => {
    const { t, token } = await depositScenario()
    const first = t.results(token, { limit: 2 })
    expect(first.items.map((m) => m.nonce)).to.deep.equal([0, 1])
    expect(first.next).to.equal(2)
    const rest = t.results(token, { from: first.next })
    expect(rest.items.map((m) => m.nonce)).to.deep.equal([2, 3])
    expect(rest.next).to.equal(undefined)
    expect(rest.items[1].result).to.have.sentMessage({ Action: 'Credit-Notice' })

    const at = t.net.clock.now + 3_600_000
    await t.setTime(at)
    expect(t.net.clock.now).to.equal(at)
    const res = await t.eval(token, 'print(os.time())')
    expect(res).to.have.output(String(at))
  })

  it('setState reaches keys that are not Lua names (addresses with -) and names a bad path', async () => {
    const { t, token } = await depositScenario()
    const address = 'abc-123_Z'.padEnd(43, '-')
    await t.setState(token, { [`Balances.${address}`]: '7', Config: { 'ttl-seconds': 5 }, 'Config.ttl-seconds': 9 })
    expect(((await t.read(token, 'Balances')) as Record<string, string>)[address]).to.equal('7')
    expect(await t.read(token, 'Config')).to.deep.equal({ 'ttl-seconds': 9 })
    for (const path of ['1x', 'Balances..x', 'Balances.', 'a-b.c']) {
      const error = await t.setState(token, { [path]: 1 }).catch((e: unknown) => e)
      expect(error, path).to.be.instanceOf(InvalidStatePathError).and.to.have.property('path', path)
    }
  })
})


describe('test network: results by message id', () => {
  it('returns the result a process gave for a message id, as the send returned it', async () => {
    const { t, token, res } = await depositScenario()
    expect(t.result(token, res.message.Id)).to.deep.equal(res.result)
    expect(t.result(token, 'no-such-message')).to.equal(undefined)
  })
})
