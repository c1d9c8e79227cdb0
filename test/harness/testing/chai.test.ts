import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai } from '../../../harness/testing/chai.js'
import type { MessageNode } from '../../../harness/network/messageTree.js'
import { formatTrace } from '../../../harness/testing/trace.js'

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
    expect(text).to.equal(['alice → Token Transfer Quantity=25 Recipient=bob', '└─ Token → bob Credit-Notice Quantity=25 ✗ handler failed: [string "aos"]:3: no wallet for bob'].join('\n'))
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
