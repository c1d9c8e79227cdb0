import { expect } from 'chai'
import { resolve } from 'node:path'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

const TOKEN = resolve(import.meta.dirname, '../../../contracts/token.lua')

// Spawns a child and messages a wallet and itself, to see where each lands in the trace.
const FACTORY = `
Handlers.add('make', 'Make', function(msg)
  Send({ Target = msg.From, Action = 'Making' })
  Spawn(ao.env.Module.Id, { Name = 'child' })
  Send({ Target = ao.id, Action = 'Self' })
end)`

describe('harness/testing: traces of messages to wallets', () => {
  async function token() {
    const t = createTestNetwork({ seed: 'trace-wallets' })
    const alice = t.wallet('alice')
    const bob = t.wallet('bob')
    const pid = await t.spawn({ name: 'token', file: TOKEN })
    await t.deal(pid, alice, '100')
    return { t, alice, bob, token: pid }
  }

  it('shows the notices to wallets as leaves, ⇢ for not delivered', async () => {
    const { t, alice, bob, token: pid } = await token()
    const res = await t.send(alice, pid, 'Transfer', { Recipient: bob, Quantity: '25' })
    expect(t.trace(res, { colors: false })).to.equal(
      ['alice → token Transfer Quantity=25 Recipient=bob', '├─ token ⇢ alice Debit-Notice Quantity=25 Recipient=bob', '└─ token ⇢ bob Credit-Notice Quantity=25 Sender=alice'].join('\n'),
    )
  })

  it('keeps the outbox order between a leaf and a delivered message', async () => {
    const { t, alice, token: pid } = await token()
    const vault = await t.spawn({ name: 'vault' })
    const res = await t.send(alice, pid, 'Transfer', { Recipient: vault, Quantity: '25' })
    expect(t.trace(res, { colors: false })).to.equal(
      ['alice → token Transfer Quantity=25 Recipient=vault', '├─ token ⇢ alice Debit-Notice Quantity=25 Recipient=vault', '└─ token → vault Credit-Notice Quantity=25 Sender=alice'].join('\n'),
    )
  })

  it('marks a message to an id no process has as not delivered, with the short id', async () => {
    const { t, alice, token: pid } = await token()
    const res = await t.send(alice, pid, 'Transfer', { Recipient: 'no-such-process', Quantity: '5' })
    expect(t.trace(res, { colors: false }).split('\n')[2]).to.equal('└─ token ⇢ no-su…cess Credit-Notice Quantity=5 Sender=alice')
  })

  it('puts the outbox (leaves and deliveries, in order) before spawns', async () => {
    const t = createTestNetwork({ seed: 'trace-wallets' })
    const factory = await t.spawn({ name: 'factory', source: FACTORY })
    const res = await t.send(t.wallet('alice'), factory, 'Make')
    const lines = t.trace(res, { colors: false }).split('\n')
    expect(lines.slice(0, 3)).to.deep.equal(['alice → factory Make', '├─ factory ⇢ alice Making', '├─ factory → factory Self'])
    expect(lines[3]).to.match(/^└─ factory → \S+ \(no Action\)$/)
    expect(lines[4]).to.match(/^ {3}└─ factory → factory Spawned Process=\S+$/)
    expect(lines).to.have.length(5)
  })

  it('shows nothing sent for a message that failed (its outbox is dropped)', async () => {
    const { t, alice, bob, token: pid } = await token()
    const res = await t.send(alice, pid, 'Transfer', { Recipient: bob, Quantity: 'lots' })
    expect(t.trace(res, { colors: false }).split('\n')[0]).to.match(/^alice → token Transfer Quantity=lots Recipient=bob ✗ .*Quantity must be a positive integer string!$/)
    expect(t.trace(res, { colors: false })).to.not.contain('⇢')
  })

  it('traces a dry-run: its message and what it would send', async () => {
    const { t, alice, token: pid } = await token()
    const dry = await t.dryrun(alice, pid, 'Balance')
    expect(t.trace(dry, { colors: false })).to.equal(['alice → token Balance', '└─ token ⇢ alice (no Action)'].join('\n'))
  })
})
