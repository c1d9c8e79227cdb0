// chai assertions for AO results: `chai.use(aokitChai)`, then
//   expect(res).to.have.sentMessage({ Target: bob, Action: 'Credit-Notice', Quantity: '25' })
//   expect(res).to.have.errored(/Insufficient Balance/)   expect(res).to.have.output('42')
//   expect(res).to.have.spawned({ Name: 'child' })        expect(res).to.have.reply({ Action: 'Debit-Notice' })
//   expect(res).to.have.patched({ cache: { balances: { [bob]: '25' } } })
// `res` is a send's message tree, an object holding one as `tree`, or a bare result (a dry-run). Each works with
// `.not`. A failure prints the trace of the send, with the names of the TestNetwork the result came from.
import { tagMap, walk, type MessageNode } from '../network/messageTree.js'
import { patchLabels, patchView } from '../network/patch.js'
import { formatTrace } from './trace.js'
import { luaErrorReport } from './luaLocation.js'
import { resultTree, traceContextOf, type TraceContext } from './traceContext.js'
import type { AoOutboxMessage, AoResult } from '../vm/processVm.js'
import { stripAnsi } from '../ansi.js'

/** Field or tag name → expected value; a RegExp matches a string value. */
export type MessageMatch = Record<string, unknown>

const FIELDS = new Set(['Target', 'Data', 'Anchor'])

/** What an assertion looks at: a tree (a bare result becomes a root with no children) and where it came from. */
type Subject = { tree: MessageNode; context: TraceContext | undefined }

function subjectOf(value: unknown): Subject {
  const s = value as Record<string, unknown>
  if (s && Array.isArray(s.children) && s.result) return { tree: s as unknown as MessageNode, context: traceContextOf(s) }
  if (s && s.tree) return subjectOf(s.tree)
  // A result alone names no message unless a TestNetwork said which one it answered (its dryrun, results).
  return { tree: resultTree((s ?? {}) as AoResult), context: traceContextOf(s) }
}

/** The process that evaluated a node's message (a Process message's is its own id). */
function processOf(node: MessageNode): string {
  return String(tagMap(node.message).Type === 'Process' ? node.message.Id : (node.message.Target ?? '?'))
}

/** A result's outbox messages (patch@1.0 ones too: they are in it, though never delivered). */
function outboxOf(node: MessageNode): AoOutboxMessage[] {
  const list = Array.isArray(node.result.Messages) ? node.result.Messages : []
  return list.filter((m): m is AoOutboxMessage => typeof m === 'object' && m !== null)
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

/** `token → alice Debit-Notice`: one message for a failure's first line, with the network's names. */
function oneLine(from: unknown, message: { Target?: unknown; Tags?: { name: string; value: unknown }[] }, names: Record<string, string>): string {
  const name = (id: unknown) => (typeof id === 'string' && id !== '' ? (names[id] ?? id) : '?')
  const action = tagMap(message).Action
  return `${name(from)} → ${name(message.Target)} ${typeof action === 'string' ? action : '(no Action)'}`
}

function outputText(result: AoResult): string {
  const output = result.Output as { data?: unknown } | string | undefined
  const text = typeof output === 'string' ? output : output?.data
  return typeof text === 'string' ? stripAnsi(text) : ''
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
  const trace = ({ tree, context }: Subject) => {
    const heading = context?.kind ?? (tree.message.Id !== '' ? 'send' : 'result')
    return `\n\nTrace of the ${heading}:\n` + formatTrace(tree, { colors: false, prints: true, names: context?.names }) + luaErrorReport(tree)
  }
  const namesOf = (subject: Subject) => subject.context?.names ?? {}

  Assertion.addMethod('sentMessage', function (this: AssertionContext, match: MessageMatch) {
    const subject = subjectOf(this._obj)
    const sent = walk(subject.tree).flatMap((node) => outboxOf(node).map((message) => ({ from: processOf(node), message })))
    const found = sent.find(({ message }) => matchesMessage(message, match))
    const seen = found ? `, but ${oneLine(found.from, found.message, namesOf(subject))} matches` : ''
    this.assert(found !== undefined, `expected a message matching ${describe(match)}${trace(subject)}`, `expected no message matching ${describe(match)}${seen}${trace(subject)}`, match)
  })

  Assertion.addMethod('spawned', function (this: AssertionContext, match: MessageMatch = {}) {
    const subject = subjectOf(this._obj)
    const spawns = walk(subject.tree).flatMap((node) => (Array.isArray(node.result.Spawns) ? node.result.Spawns : []).map((spawn) => ({ from: processOf(node), spawn })))
    const found = spawns.find(({ spawn }) => matchesMessage(spawn, match))
    const name = found && tagMap(found.spawn).Name
    const seen = found ? `, but ${namesOf(subject)[found.from] ?? found.from} spawned ${typeof name === 'string' ? name : 'one'}` : ''
    this.assert(found !== undefined, `expected a spawn matching ${describe(match)}${trace(subject)}`, `expected no spawn matching ${describe(match)}${seen}${trace(subject)}`, match)
  })

  Assertion.addMethod('reply', function (this: AssertionContext, match: MessageMatch = {}) {
    const subject = subjectOf(this._obj)
    const { tree } = subject
    // A bare result (a dry-run's) carries no message: then every message it sends counts as the reply.
    const sender = tree.message.From
    const found = outboxOf(tree).find((m) => (sender === undefined || m.Target === sender) && matchesMessage(m, match))
    const seen = found ? `, but ${oneLine(processOf(tree), found, namesOf(subject))} matches` : ''
    this.assert(found !== undefined, `expected a reply to the sender matching ${describe(match)}${trace(subject)}`, `expected no reply to the sender matching ${describe(match)}${seen}${trace(subject)}`, match)
  })

  // A patch at a `patch-to` path is matched as it sits in the published state: under that path.
  Assertion.addMethod('patched', function (this: AssertionContext, match: Record<string, unknown> = {}) {
    const subject = subjectOf(this._obj)
    const patches = walk(subject.tree).flatMap((node) => (node.patches ?? []).map((patch) => ({ from: processOf(node), patch })))
    const found = patches.find(({ patch }) => deepIncludes(patchView(patch), match))
    const seen = found ? `, but ${namesOf(subject)[found.from] ?? found.from} patched ${patchLabels(found.patch).join(' ') || '(nothing)'}` : ''
    this.assert(found !== undefined, `expected a patch including ${describe(match)}${trace(subject)}`, `expected no patch including ${describe(match)}${seen}${trace(subject)}`, match)
  })

  Assertion.addMethod('errored', function (this: AssertionContext, pattern?: RegExp | string) {
    const subject = subjectOf(this._obj)
    const failed = walk(subject.tree)
      .filter((node) => node.result.Error !== undefined)
      .map((node) => ({ node, error: stripAnsi(String(node.result.Error)) }))
    const found = failed.find(({ error }) => pattern === undefined || (pattern instanceof RegExp ? pattern.test(error) : error.includes(pattern)))
    const what = pattern === undefined ? 'an Error' : `an Error matching ${String(pattern)}`
    const last = found?.error.split('\n').filter(Boolean).pop()
    const seen = found ? `, but ${oneLine(found.node.message.From, found.node.message, namesOf(subject))} failed: ${last ?? ''}` : ''
    this.assert(found !== undefined, `expected ${what}${trace(subject)}`, `expected no ${what.replace(/^an /, '')}${seen}${trace(subject)}`, pattern)
  })

  Assertion.addMethod('output', function (this: AssertionContext, expected: RegExp | string) {
    const subject = subjectOf(this._obj)
    const text = outputText(subject.tree.result)
    const ok = expected instanceof RegExp ? expected.test(text) : text === expected
    this.assert(ok, `expected output ${describe(expected)} but it was ${JSON.stringify(text)}${trace(subject)}`, `expected output other than ${describe(expected)}, but it was ${JSON.stringify(text)}${trace(subject)}`, expected, text)
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
