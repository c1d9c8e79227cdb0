import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai } from '../../../harness/testing/chai.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

chai.use(aokitChai)

const COUNTER = `
Count = Count or 0
Handlers.add('inc', 'Increment', function(msg)
  Count = Count + 1
  msg.reply({ Action = 'Count', Data = tostring(Count) })
end)
Handlers.add('get', 'Get', function(msg)
  msg.reply({ Action = 'Count', Data = tostring(Count) })
  Send({ Target = msg.Watcher, Action = 'Watched' })
end)`

/** The message an assertion fails with. */
function failure(assertion: () => void): string {
  try {
    assertion()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('the assertion passed')
}

describe('harness/testing: chai failures name wallets and processes as the test does', () => {
  async function counter() {
    const t = createTestNetwork({ seed: 'trace-context' })
    const alice = t.wallet('alice')
    const pid = await t.spawn({ name: 'counter', source: COUNTER })
    return { t, alice, counter: pid }
  }

  it('a send: the trace of the failure uses the network names', async () => {
    const { t, alice, counter: pid } = await counter()
    const res = await t.send(alice, pid, 'Increment')
    expect(failure(() => expect(res).to.have.reply({ Action: 'Nope' }))).to.equal(
      'expected a reply to the sender matching {"Action":"Nope"}\n\nTrace of the send:\nalice → counter Increment\n└─ counter ⇢ alice Count',
    )
    expect(failure(() => expect(res).to.not.have.sentMessage({ Action: 'Count' }))).to.match(/^expected no message matching \{"Action":"Count"\}, but counter → alice Count matches\n/)
  })

  it('a name given after the send counts too', async () => {
    const { t, counter: pid } = await counter()
    const res = await t.send(t.net.wallet('carol'), pid, 'Increment')
    t.wallet('carol')
    expect(failure(() => expect(res).to.not.have.reply())).to.contain('carol → counter Increment')
  })

  it('a dry-run: its trace shows the message, and reply() means a message to its sender', async () => {
    const { t, alice, counter: pid } = await counter()
    const bob = t.wallet('bob')
    const dry = await t.dryrun(alice, pid, 'Get', { Watcher: bob })
    expect(dry).to.have.reply({ Action: 'Count', Data: '0' })
    expect(dry).to.not.have.reply({ Action: 'Watched' })
    expect(dry).to.have.sentMessage({ Target: bob, Action: 'Watched' })
    expect(failure(() => expect(dry).to.have.reply({ Action: 'Watched' }))).to.equal(
      'expected a reply to the sender matching {"Action":"Watched"}\n\nTrace of the dry-run:\nalice → counter Get\n├─ counter ⇢ alice Count\n└─ counter ⇢ bob Watched',
    )
  })

  it('a history entry (results, result): its message and names', async () => {
    const { t, alice, counter: pid } = await counter()
    const res = await t.send(alice, pid, 'Increment')
    const [entry] = t.results(pid, { from: Number(res.message.Nonce) }).items
    expect(entry!.result).to.have.reply({ Action: 'Count', Data: '1' })
    expect(failure(() => expect(t.result(pid, res.message.Id)).to.have.errored())).to.equal(
      'expected an Error\n\nTrace of the result:\nalice → counter Increment\n└─ counter ⇢ alice Count',
    )
  })

  it('a subtree of a send', async () => {
    const { t, alice, counter: pid } = await counter()
    const relay = await t.spawn({ name: 'relay', source: `Handlers.add('go', 'Go', function(msg) Send({ Target = msg.To, Action = 'Increment' }) end)` })
    const res = await t.send(alice, relay, 'Go', { To: pid })
    // relay is a process: the reply is delivered (→), and relay prints aos's default notice of it.
    expect(failure(() => expect(res.children[0]).to.have.errored())).to.match(/^expected an Error\n\nTrace of the send:\nrelay → counter Increment\n└─ counter → relay Count\n {3}│ relay: New Message From/)
  })
  it('a cron tick from advance', async () => {
    const t = createTestNetwork({ seed: 'trace-context' })
    await t.spawn({
      name: 'clock',
      tags: { 'Cron-Interval': '10-seconds', 'Cron-Tag-Action': 'Tick' },
      source: `Handlers.add('tick', 'Tick', function(msg) Send({ Target = Owner, Action = 'Tock' }) end)`,
    })
    const [tick] = await t.advance('10-seconds')
    expect(tick).to.have.sentMessage({ Action: 'Tock' })
    expect(failure(() => expect(tick).to.not.have.sentMessage({ Action: 'Tock' }))).to.match(/, but clock → deployer Tock matches\n/)
    expect(t.trace(tick!, { colors: false }).split('\n')[1]).to.equal('└─ clock ⇢ deployer Tock')
  })
})
