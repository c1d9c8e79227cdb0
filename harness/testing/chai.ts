// chai assertions for AO results: `chai.use(aokitChai)`, then
//   expect(res).to.have.sentMessage({ Target: bob, Action: 'Credit-Notice', Quantity: '25' })
//   expect(res).to.have.errored(/Insufficient Balance/)   expect(res).to.have.output('42')
//   expect(res).to.have.spawned({ Name: 'child' })        expect(res).to.have.reply({ Action: 'Debit-Notice' })
//   expect(res).to.have.patched({ cache: { balances: { [bob]: '25' } } })
// `res` is a send's message tree, an object holding one as `tree`, or a bare result (a dry-run).
// A failure prints the trace of the send.
import { sentMessages, tagMap, walk, type MessageNode } from '../network/messageTree.js'
import { patchView } from '../network/patch.js'
import { formatTrace } from './trace.js'
import type { AoOutboxMessage, AoResult } from '../vm/processVm.js'

/** Field or tag name → expected value; a RegExp matches a string value. */
export type MessageMatch = Record<string, unknown>

const FIELDS = new Set(['Target', 'Data', 'Anchor'])
const ANSI = /\u001b\[[0-9;]*m/g

function asTree(subject: unknown): MessageNode {
  const s = subject as Record<string, unknown>
  if (s && Array.isArray(s.children) && s.result) return s as unknown as MessageNode
  if (s && s.tree) return asTree(s.tree)
  return { message: { Id: '', Tags: [] }, result: (s ?? {}) as AoResult, children: [] }
}

function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual)
  return actual === expected || (actual !== undefined && typeof expected === 'string' && String(actual) === expected)
}

/** True when every key of `match` equals the message's field (Target, Data, Anchor) or tag of that name. */
export function matchesMessage(message: AoOutboxMessage, match: MessageMatch): boolean {
  const tags = tagMap(message)
  return Object.entries(match).every(([key, expected]) =>
    sameValue(expected, FIELDS.has(key) ? (message as Record<string, unknown>)[key] : tags[key]),
  )
}

/**
 * Deep inclusion: every key of an expected table is in the actual one and deep-includes its value; a list must
 * match element by element; a leaf compares as in sentMessage (a RegExp tests a string, '25' matches 25).
 */
export function deepIncludes(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => deepIncludes(actual[i], e))
  if (typeof expected === 'object' && expected !== null && !(expected instanceof RegExp)) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false
    const table = actual as Record<string, unknown>
    return Object.entries(expected).every(([key, value]) => Object.prototype.hasOwnProperty.call(table, key) && deepIncludes(table[key], value))
  }
  return sameValue(expected, actual)
}

function describe(match: unknown): string {
  return JSON.stringify(match, (_k, v) => (v instanceof RegExp ? String(v) : v))
}

function outputText(result: AoResult): string {
  const output = result.Output as { data?: unknown } | string | undefined
  const text = typeof output === 'string' ? output : output?.data
  return typeof text === 'string' ? text.replace(ANSI, '') : ''
}

/** What the plugin uses of an assertion: its subject and chai's assert (no dependency on @types/chai). */
type AssertionContext = {
  _obj: unknown
  assert(ok: boolean, message: string, negatedMessage: string, expected?: unknown, actual?: unknown): void
}

/** The part of chai the plugin needs, so `aokit/testing` type-checks with or without @types/chai. */
export type ChaiLike = {
  Assertion: { addMethod(name: string, method: (this: AssertionContext, ...args: any[]) => void): void }
}

/** The chai plugin: `chai.use(aokitChai)`. */
export function aokitChai(chai: ChaiLike, _utils?: unknown): void {
  const { Assertion } = chai
  const trace = (tree: MessageNode) => '\n\nTrace of the send:\n' + formatTrace(tree, { colors: false, prints: true })

  Assertion.addMethod('sentMessage', function (this: AssertionContext, match: MessageMatch) {
    const tree = asTree(this._obj)
    const found = sentMessages(tree).some((m) => matchesMessage(m, match))
    this.assert(found, `expected a message matching ${describe(match)}${trace(tree)}`, `expected no message matching ${describe(match)}${trace(tree)}`, match)
  })

  Assertion.addMethod('spawned', function (this: AssertionContext, match: MessageMatch = {}) {
    const tree = asTree(this._obj)
    const found = walk(tree).some((n) => (n.result.Spawns ?? []).some((s) => matchesMessage(s, match)))
    this.assert(found, `expected a spawn matching ${describe(match)}${trace(tree)}`, `expected no spawn matching ${describe(match)}${trace(tree)}`, match)
  })

  Assertion.addMethod('reply', function (this: AssertionContext, match: MessageMatch = {}) {
    const tree = asTree(this._obj)
    // A bare result (a dry-run's) carries no message: then every message it sends counts as the reply.
    const sender = tree.message.From
    const found = (tree.result.Messages ?? []).some((m) => (sender === undefined || m.Target === sender) && matchesMessage(m, match))
    this.assert(found, `expected a reply to the sender matching ${describe(match)}${trace(tree)}`, `expected no reply to the sender matching ${describe(match)}${trace(tree)}`, match)
  })

  // A patch at a `patch-to` path is matched as it sits in the published state: under that path.
  Assertion.addMethod('patched', function (this: AssertionContext, match: Record<string, unknown> = {}) {
    const tree = asTree(this._obj)
    const found = walk(tree).some((n) => (n.patches ?? []).some((patch) => deepIncludes(patchView(patch), match)))
    this.assert(found, `expected a patch including ${describe(match)}${trace(tree)}`, `expected no patch including ${describe(match)}${trace(tree)}`, match)
  })

  Assertion.addMethod('errored', function (this: AssertionContext, pattern?: RegExp | string) {
    const tree = asTree(this._obj)
    const errors = walk(tree).map((n) => n.result.Error).filter((e) => e !== undefined).map((e) => String(e).replace(ANSI, ''))
    const found = errors.some((e) => pattern === undefined || (pattern instanceof RegExp ? pattern.test(e) : e.includes(pattern)))
    const what = pattern === undefined ? 'an Error' : `an Error matching ${String(pattern)}`
    this.assert(found, `expected ${what}${trace(tree)}`, `expected no ${what.replace(/^an /, '')}${trace(tree)}`, pattern)
  })

  Assertion.addMethod('output', function (this: AssertionContext, expected: RegExp | string) {
    const tree = asTree(this._obj)
    const text = outputText(tree.result)
    const ok = expected instanceof RegExp ? expected.test(text) : text === expected
    this.assert(ok, `expected output ${describe(expected)} but it was ${JSON.stringify(text)}${trace(tree)}`, `expected output other than ${describe(expected)}${trace(tree)}`, expected, text)
  })
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      sentMessage(match: MessageMatch): Assertion
      spawned(match?: MessageMatch): Assertion
      reply(match?: MessageMatch): Assertion
      errored(pattern?: RegExp | string): Assertion
      output(expected: RegExp | string): Assertion
      patched(match?: Record<string, unknown>): Assertion
    }
  }
}
