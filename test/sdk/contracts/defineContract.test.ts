// defineContract: typed actions over a process's handlers; reads are dry-runs, writes are sent and awaited, and
// failures throw typed errors.
import { expect } from 'chai'
import { ContractActionError, ProcessError } from '../../../sdk/actions/errors.js'
import { createClient } from '../../../sdk/client.js'
import { action, defineContract, tagOf } from '../../../sdk/contracts/defineContract.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork, type TestNetwork } from '../../../harness/testing/testNetwork.js'
import { fakeSign, fakeSigner } from '../actions/fakeSign.js'

const NOTES = `Notes = Notes or {}
Handlers.add('add', 'Add', function(msg)
  assert(msg.Data ~= 'boom', 'no boom notes')
  table.insert(Notes, msg.Data)
  ao.send({ Target = ao.id, Action = 'Log', Data = 'note added' })
  msg.reply({ Action = 'Added', Count = tostring(#Notes), Data = msg.Data })
end)
Handlers.add('count', 'Count', function(msg) msg.reply({ Action = 'Counted', Count = tostring(#Notes), ['Of-Tag'] = msg.Tags.Tag or '' }) end)
Handlers.add('refuse', 'Refuse', function(msg) msg.reply({ Action = 'Refuse-Error', Error = 'not today' }) end)
Handlers.add('log', 'Log', function() end)`

const notes = defineContract({
  add: action({ action: 'Add', kind: 'write', data: (p: { text: string }) => p.text, parse: ({ reply, id }) => ({ count: Number(tagOf(reply, 'Count')), id }) }),
  count: action({ action: 'Count', kind: 'read', tags: (p: { tag?: string } | void): Record<string, string> => (p?.tag ? { Tag: p.tag } : {}), parse: ({ reply }) => ({ count: Number(tagOf(reply, 'Count')), tag: tagOf(reply, 'Of-Tag') }) }),
  refuse: action({ action: 'Refuse', kind: 'read', parse: () => 'unreachable' }),
})

describe('defineContract', () => {
  let tn: TestNetwork
  let alice: string
  let pid: string
  let asAlice: ReturnType<typeof notes>

  beforeEach(async () => {
    tn = createTestNetwork()
    alice = tn.wallet('alice')
    pid = await tn.spawn({ name: 'notes', source: NOTES })
    asAlice = notes(createClient({ transport: local(tn), signer: fakeSigner(alice), sign: fakeSign(alice) }), pid)
  })

  it('names the process it is bound to', () => {
    expect(asAlice.process).to.equal(pid)
  })

  it('a write sends the action with its data, waits for the result and parses the reply to the caller', async () => {
    const added = await asAlice.add({ text: 'first' })
    // The reply to alice, not the Log message the handler sent before it.
    expect(added).to.deep.equal({ count: 1, id: 'fake-' + alice.slice(0, 6) + '-1' })
    expect(await tn.read(pid, 'Notes')).to.deep.equal(['first'])
  })

  it('a read is a dry-run: it answers from the state and changes neither state nor history', async () => {
    await asAlice.add({ text: 'first' })
    const history = tn.net.process(pid).scheduler.messages.length
    expect(await asAlice.count()).to.deep.equal({ count: 1, tag: '' })
    expect(await asAlice.count({ tag: 'mine' })).to.deep.equal({ count: 1, tag: 'mine' })
    expect(tn.net.process(pid).scheduler.messages.length).to.equal(history)
  })

  it('a failing handler throws ProcessError naming the process and message; nothing is kept', async () => {
    const error = await asAlice.add({ text: 'boom' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ProcessError).and.include({ process: pid, messageId: 'fake-' + alice.slice(0, 6) + '-1' })
    expect((error as ProcessError).details).to.contain('no boom notes')
    expect(await tn.read(pid, 'Notes')).to.deep.equal([])
  })

  it('a reply whose Action ends in -Error throws ContractActionError with the action, reply and error', async () => {
    const error = await asAlice.refuse().catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ContractActionError).and.include({ action: 'Refuse', replyAction: 'Refuse-Error', error: 'not today' })
    expect((error as ContractActionError).message).to.equal('Refuse failed: Refuse-Error (not today).')
  })

  it('without a signer, a read takes the first message of the result as the reply', async () => {
    const anonymous = notes(createClient({ transport: local(tn) }), pid)
    expect(await anonymous.count()).to.deep.equal({ count: 0, tag: '' })
  })
})

describe('tagOf', () => {
  const message = { Target: 'x', Tags: [{ name: 'Ticker', value: 'EXACT' }, { name: 'ticker', value: 'lower' }, { name: 'Denomination', value: 12 }] } as never

  it('reads the exact name first, then any case, as a string', () => {
    expect(tagOf(message, 'Ticker')).to.equal('EXACT')
    expect(tagOf(message, 'ticker')).to.equal('lower')
    expect(tagOf(message, 'TICKER')).to.equal('EXACT')
    expect(tagOf(message, 'denomination')).to.equal('12')
  })

  it('is undefined for a missing tag or message', () => {
    expect(tagOf(message, 'Logo')).to.equal(undefined)
    expect(tagOf(undefined, 'Ticker')).to.equal(undefined)
  })
})
