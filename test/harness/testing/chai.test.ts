import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai } from '../../../harness/testing/chai.js'
import type { MessageNode } from '../../../harness/network/messageTree.js'
import { formatTrace } from '../../../harness/testing/trace.js'
import type { AoResult } from '../../../harness/vm/processVm.js'

chai.use(aokitChai)

const tag = (name: string, value: string) => ({ name, value })
// alice → token Transfer; token replies Debit-Notice to alice and sends Credit-Notice to bob, whose handler fails.
const tree: MessageNode = {
  message: { Id: 'm1', From: 'alice', Target: 'token', Tags: [tag('Action', 'Transfer'), tag('Quantity', '25'), tag('Recipient', 'bob')] },
  result: {
    Output: { data: '\u001b[32mmoved\u001b[0m', prompt: '> ', print: true },
    Messages: [
      { Target: 'alice', Anchor: '1', Tags: [tag('Action', 'Debit-Notice'), tag('Quantity', '25')] },
      { Target: 'bob', Anchor: '2', Data: 'hi', Tags: [tag('Action', 'Credit-Notice'), tag('Sender', 'alice'), tag('Quantity', '25')] },
    ],
    Spawns: [{ Data: 'NODATA', Tags: [tag('Type', 'Process'), tag('Name', 'child')] }],
    Assignments: [],
  },
  children: [
    {
      message: { Id: 'm2', From: 'token', Target: 'bob', Tags: [tag('Action', 'Credit-Notice'), tag('Quantity', '25')] },
      result: { Error: 'handler failed: [string "aos"]:3: no wallet for bob' },
      children: [],
    },
  ],
}

describe('harness/testing: chai assertions for AO results', () => {
  it('finds a sent message by Target and tags anywhere in the tree', () => {
    expect(tree).to.have.sentMessage({ Target: 'bob', Action: 'Credit-Notice', Quantity: '25', Data: 'hi' })
    expect(tree).not.to.have.sentMessage({ Target: 'bob', Action: 'Refund' })
  })

  it('accepts a RegExp for a value', () => {
    expect(tree).to.have.sentMessage({ Action: /-Notice$/, Target: 'alice' })
  })

  it('fails with the trace of the send when no message matches', () => {
    expect(() => expect(tree).to.have.sentMessage({ Action: 'Refund' })).to.throw(/expected a message matching \{"Action":"Refund"\}[\s\S]*alice → token Transfer/)
  })

  it('tells a reply to the sender from other messages', () => {
    expect(tree).to.have.reply({ Action: 'Debit-Notice' })
    expect(tree).not.to.have.reply({ Action: 'Credit-Notice' })
  })

  it('finds an Error anywhere in the tree, by RegExp or substring', () => {
    expect(tree).to.have.errored(/no wallet for bob/)
    expect(tree).to.have.errored('no wallet')
    expect(tree).not.to.have.errored(/timeout/)
  })

  it('compares the output text without ANSI colours', () => {
    expect(tree).to.have.output('moved')
    expect(tree).to.have.output(/mov/)
  })

  it('finds a spawn by its tags', () => {
    expect(tree).to.have.spawned({ Name: 'child' })
    expect(tree).not.to.have.spawned({ Name: 'other' })
  })

  it('accepts a bare result, as a dry-run returns', () => {
    expect(tree.result).to.have.sentMessage({ Target: 'alice', Action: 'Debit-Notice' })
  })
})

describe('harness/testing: traces', () => {
  it('prints one line per message, children indented, errors marked, names for ids', () => {
    const text = formatTrace(tree, { colors: false, names: { alice: 'alice', token: 'Token', bob: 'bob' } })
    expect(text).to.equal(
      [
        'alice → Token Transfer Quantity=25 Recipient=bob',
        '├─ Token ⇢ alice Debit-Notice Quantity=25',
        '└─ Token → bob Credit-Notice Quantity=25 ✗ handler failed: [string "aos"]:3: no wallet for bob',
      ].join('\n'),
    )
  })

  it('adds what each process printed when asked, with the process name', () => {
    const text = formatTrace(tree, { colors: false, prints: true, names: { token: 'Token' } })
    expect(text.split('\n')[1]).to.equal('│ Token: moved')
  })

  it('colours the trace only when asked', () => {
    expect(formatTrace(tree, { colors: true })).to.contain('\u001b[34mTransfer\u001b[0m')
    expect(formatTrace(tree, { colors: false })).not.to.contain('\u001b[')
  })
})

/** The first line of the message an assertion fails with (the trace follows it). */
function failure(assertion: () => void): string {
  try {
    assertion()
  } catch (error) {
    return (error as Error).message.split('\n')[0]!
  }
  throw new Error('the assertion passed')
}

// A node that applied a patch@1.0 (the network records it in `patches`), to check patched() under .not.
const patchedTree: MessageNode = {
  message: { Id: 'm3', From: 'alice', Target: 'token', Tags: [tag('Action', 'Transfer')] },
  result: { Messages: [] },
  children: [],
  patches: [{ path: [], fields: { cache: { balances: { bob: '25' } } } }],
}

describe('harness/testing: negated assertions name what matched', () => {
  it('not.sentMessage names the message, at any depth', () => {
    expect(failure(() => expect(tree).to.not.have.sentMessage({ Action: 'Credit-Notice' }))).to.equal(
      'expected no message matching {"Action":"Credit-Notice"}, but token → bob Credit-Notice matches',
    )
  })

  it('not.reply names the reply', () => {
    expect(failure(() => expect(tree).to.not.have.reply({ Quantity: '25' }))).to.equal('expected no reply to the sender matching {"Quantity":"25"}, but token → alice Debit-Notice matches')
  })

  it('not.errored names the message that failed and its last error line', () => {
    expect(failure(() => expect(tree).to.not.have.errored())).to.equal('expected no Error, but token → bob Credit-Notice failed: handler failed: [string "aos"]:3: no wallet for bob')
    expect(failure(() => expect(tree).to.not.have.errored(/wallet/))).to.match(/^expected no Error matching \/wallet\/, but token → bob Credit-Notice failed/)
  })

  it('not.spawned names the spawner and the spawn', () => {
    expect(failure(() => expect(tree).to.not.have.spawned({ Name: 'child' }))).to.equal('expected no spawn matching {"Name":"child"}, but token spawned child')
  })

  it('not.patched names the process and the keys it patched', () => {
    expect(patchedTree).to.not.have.patched({ cache: { balances: { bob: '26' } } })
    expect(failure(() => expect(patchedTree).to.not.have.patched({ cache: {} }))).to.equal('expected no patch including {"cache":{}}, but token patched cache.balances')
  })

  it('not.output says what the output was', () => {
    expect(failure(() => expect(tree).to.not.have.output('moved'))).to.equal('expected output other than "moved", but it was "moved"')
  })

  it('prints the trace of the send after the first line', () => {
    expect(() => expect(tree).to.not.have.reply()).to.throw(/matches\n\nTrace of the send:\nalice → token Transfer Quantity=25 Recipient=bob\n│ token: moved\n├─ token ⇢ alice Debit-Notice/)
  })
})

describe('harness/testing: every matcher on a dry-run result (no message tree)', () => {
  const dry: AoResult = {
    Output: { data: 'balance: 5', print: true },
    Messages: [
      { Target: 'alice', Tags: [tag('Action', 'Balance-Notice'), tag('Balance', '5')] },
      { Target: 'token', Tags: [{ name: 'device', value: 'patch@1.0' }, { name: 'cache', value: { balances: { alice: '5' } } }] },
    ],
    Spawns: [{ Tags: [tag('Name', 'child')] }],
  }
  const failed: AoResult = { Error: '[string "aos"]:7: Quantity is required!' }

  it('sentMessage and reply: its outbox (it names no sender, so any message is a reply)', () => {
    expect(dry).to.have.sentMessage({ Target: 'alice', Balance: '5' })
    expect(dry).to.not.have.sentMessage({ Action: 'Credit-Notice' })
    expect(dry).to.have.reply({ Action: 'Balance-Notice' })
    expect(dry).to.not.have.reply({ Action: 'Transfer-Error' })
  })

  it('patched: the patch@1.0 messages of its outbox, never applied', () => {
    expect(dry).to.have.patched({ cache: { balances: { alice: '5' } } })
    expect(dry).to.not.have.patched({ cache: { balances: { bob: /./ } } })
  })

  it('spawned, output and errored', () => {
    expect(dry).to.have.spawned({ Name: 'child' })
    expect(dry).to.not.have.spawned({ Name: 'other' })
    expect(dry).to.have.output('balance: 5')
    expect(dry).to.not.have.output('balance: 6')
    expect(dry).to.not.have.errored()
    expect(failed).to.have.errored(/Quantity is required/)
    expect(failed).to.not.have.errored(/Insufficient/)
  })

  it('fails with the result as a trace: ? for the message it does not know', () => {
    expect(() => expect(dry).to.have.reply({ Action: 'Nope' })).to.throw('expected a reply to the sender matching {"Action":"Nope"}\n\nTrace of the result:\n? → ? (no Action)\n│ ?: balance: 5\n├─ ? ⇢ patch cache.balances\n└─ ? ⇢ alice Balance-Notice')
  })
})

