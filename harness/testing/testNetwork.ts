// The test API over an AoNetwork: short calls for mocha tests (send by Action, eval as the owner, set state),
// names for every wallet and process so traces read as the test does.
import { AokitError } from '../../sdk/errors.js'
import { relative, sep } from 'node:path'
import { bundleLua } from '../bundle.js'
import { AoNetwork, type AoNetworkOptions, type SendResult, type TagsInput } from '../network/network.js'
import { networkErrors } from '../network/messageTree.js'
import type { MockHandler } from '../network/mockProcess.js'
import type { ScheduledMessage } from '../network/scheduler.js'
import type { NetworkSnapshot } from '../network/snapshot.js'
import type { AoMessage, AoResult } from '../vm/processVm.js'
import type { SourceOrigin } from '../bundle.js'
import type { EvaluationEvent } from '../network/network.js'
import { tagMap } from '../network/messageTree.js'
import { diagnosticsOf } from '../vm/diagnostics.js'
import { LoadedSources, stringOrigins } from './loadedSources.js'
import { TagNameLint, type WarningHandler } from './lintTagNames.js'
import { errorLocationOf, locateLuaError, rememberErrorLocation } from './luaLocation.js'
import { formatTrace } from './trace.js'
import { rememberResult, rememberTree, resultTree } from './traceContext.js'
import { dealLua, dealFailure, type DealOptions } from './deal.js'
import { ProcessVm, observeEvaluations, observedEvaluations } from '../vm/processVm.js'
import { registerCoverageSource } from './coverage.js'
import { GasRecorder, handlerLabel, runGasRecorder, type GasReport } from './gasReport.js'
import { stripAnsi } from '../ansi.js'

const DEFAULT_PAGE = 25

/** Lua the test asked a process to run (its code at spawn, a setState) returned an Error. */
export class LuaEvalError extends AokitError {
  override name = 'LuaEvalError'
  /** Where in the contract files it was raised (`contracts/escrow.lua:42`), when the position maps to one. */
  location?: string
  /** The contract frames of the Lua stack, innermost first, positions mapped to files. */
  frames: string[] = []
}

/** Options of a test network beyond the AoNetwork's. */
export type TestNetworkOptions = {
  /** Receives each tag-name lint warning once (default: console.warn); all are also in `t.warnings`. */
  onWarning?: WarningHandler
}

/** A setState path that names no global: it must start with a Lua name, and no key may be empty. */
export class InvalidStatePathError extends AokitError {
  override name = 'InvalidStatePathError'
  constructor(readonly path: string) {
    super(`setState path "${path}" must start with a global's name (letters, digits, _) followed by .key parts, none empty.`)
  }
}

export type SpawnOptions = {
  /** Lua to load into the process (as its owner, with an Eval). */
  source?: string
  /** A main Lua file, bundled with its local requires as `aos .load` does, then loaded like `source`. */
  file?: string
  /** Signer of the Process message and owner of the process (default: wallet "deployer"). */
  owner?: string
  tags?: TagsInput
  /** Shown in traces instead of the id; also the process's Name tag unless tags set one. */
  name?: string
  /** The Module the process runs (default AOS_MODULE); SQLITE_MODULE gives it require('lsqlite3'). */
  module?: string
}

export type ResultsPage = {
  /** Scheduled messages from nonce `from`, each with its result. */
  items: ScheduledMessage[]
  /** The nonce to pass as `from` for the next page, when there is one. */
  next?: number
}

export class TestNetwork {
  readonly net: AoNetwork
  private readonly names: Record<string, string> = {}
  /** The file each process was spawned from (for the gas report), relative to the working directory. */
  private readonly files: Record<string, string> = {}
  private readonly gas = new GasRecorder()

  /** Code each process was given, for error locations; the code an Eval in flight is loading. */
  private readonly sources = new LoadedSources()
  private loading: { source: string; origins: readonly (SourceOrigin | undefined)[] } | undefined
  private readonly lint: TagNameLint

  constructor(options: AoNetworkOptions & TestNetworkOptions = {}) {
    this.lint = new TagNameLint(options.onWarning)
    // The gas report needs the handlers each message ran: every process notes them from now on.
    if (!observedEvaluations().handlers) observeEvaluations({ ...observedEvaluations(), handlers: true })
    this.net = new AoNetwork({ ...options, onEvaluation: (event) => (options.onEvaluation?.(event), this.inspect(event), this.recordGas(event)) })
  }

  /** Tag-name lint warnings given so far (`aokit: contracts/vote.lua:12 reads msg.VoteID, but aos renames…`). */
  get warnings(): readonly string[] {
    return this.lint.warnings
  }

  /** A deterministic address for a name. Any address can sign a send: there are no keys to impersonate. */
  wallet(name: string): string {
    const address = this.net.wallet(name)
    this.names[address] = name
    return address
  }

  async spawn(options: SpawnOptions = {}): Promise<string> {
    const owner = options.owner ?? this.wallet('deployer')
    const tags = withName(options.tags, options.name)
    const id = await this.net.spawn({ owner, tags, module: options.module })
    if (options.name !== undefined) this.names[id] = options.name
    const bundle = options.file !== undefined ? bundleLua(options.file) : undefined
    if (bundle) {
      this.files[id] = relative(process.cwd(), options.file!).split(sep).join('/')
      await registerCoverageSource(bundle.source, bundle.origins)
    }
    const source = bundle?.source ?? options.source
    if (source !== undefined) await this.evalOrThrow(id, source, `loading the code of ${options.name ?? id}`, bundle?.origins)
    return id
  }

  /** Sends an Action (with more tags and Data) signed by `from`; returns the tree of everything it caused. */
  send(from: string, to: string, action: string, tags: Record<string, string | number | boolean> = {}, data?: string): Promise<SendResult> {
    return this.net.send({ from, to, tags: { Action: action, ...tags }, data }).then((tree) => this.named(tree))
  }

  /** As send, read-only: nothing is delivered and no state changes. */
  async dryrun(from: string, to: string, action: string, tags: Record<string, string | number | boolean> = {}, data?: string): Promise<AoResult> {
    const all = { Action: action, ...tags }
    const result = await this.net.dryrun({ from, to, tags: all, data })
    // Which message it answered, so a trace of it and chai's reply() know the sender.
    const message = { Id: '', From: from, Target: to, Tags: Object.entries(all).map(([name, value]) => ({ name, value: String(value) })) }
    rememberResult(result, { names: this.names, message, kind: 'dry-run' })
    this.inspect({ process: to, message: { ...message, Data: data } as AoMessage, result })
    return result
  }

  /** Runs Lua in a process as its owner (Action = Eval); the result may hold an Error. */
  eval(processId: string, lua: string): Promise<SendResult> {
    return this.load(processId, lua)
  }

  /** A Lua global (dotted path) as plain JSON, without sending a message. */
  read(processId: string, path: string): Promise<unknown> {
    return this.net.process(processId).vm.read(path)
  }

  /** What a process published with patch@1.0 messages (a deep copy; `{}` when none), as a mainnet reader sees it. */
  state(processId: string): Record<string, unknown> {
    return this.net.publishedState(processId)
  }

  /**
   * Sets globals to JSON values, with one owner Eval. A dotted path reaches into tables, and every key after the
   * global may be anything but a dot (an address with `-`: `'Balances.abc-123'`); the tables on the way must exist.
   */
  async setState(processId: string, assignments: Record<string, unknown>): Promise<void> {
    const lines = Object.entries(assignments).map(([path, value]) => `${luaPath(path)} = require('json').decode(${luaString(JSON.stringify(value))})`)
    await this.evalOrThrow(processId, lines.join('\n'), `setState on ${this.names[processId] ?? processId}`)
  }

  /**
   * Moves the clock forward, ticking crons on the way. Once the clock is there, throws the first limit error a
   * tick recorded (a MessageLoopError, a CronBacklogError…), as send does: a test should not pass over one.
   */
  advance(duration: string | number): Promise<SendResult[]> {
    return this.net.advance(duration).then((ticks) => throwFirstOfTicks(ticks.map((tick) => this.named(tick))))
  }

  /** Moves the clock to an instant (never backwards), ticking crons on the way; throws as advance does. */
  setTime(at: number | Date): Promise<SendResult[]> {
    return this.net.advance(Number(at) - this.net.clock.now).then((ticks) => throwFirstOfTicks(ticks.map((tick) => this.named(tick))))
  }

  snapshot(): NetworkSnapshot {
    return this.net.snapshot()
  }

  revert(snapshot: NetworkSnapshot): void {
    this.net.revert(snapshot)
  }

  async fork(processId: string, options: { name?: string } = {}): Promise<string> {
    const id = await this.net.fork(processId)
    this.sources.copy(processId, id)
    if (options.name !== undefined) this.names[id] = options.name
    return id
  }

  async mock(handler: MockHandler, options: { name?: string } = {}): Promise<string> {
    const id = await this.net.mock(handler, options)
    if (options.name !== undefined) this.names[id] = options.name
    return id
  }

  /**
   * The tree of a send, ids replaced by wallet and process names; coloured on a terminal unless `colors` says.
   * A dry-run's result traces as its message with what it would have sent (`⇢`: not delivered).
   */
  trace(result: SendResult | AoResult, options: { prints?: boolean; colors?: boolean } = {}): string {
    const tree = 'children' in result && Array.isArray(result.children) ? (result as SendResult) : resultTree(result as AoResult)
    return formatTrace(tree, { colors: options.colors, names: this.names, prints: options.prints })
  }

  /** The result a process gave for one message, by its id (undefined when the process never evaluated it). */
  result(processId: string, messageId: string): AoResult | undefined {
    const entry = this.net.process(processId).scheduler.messages.find((e) => e.message.Id === messageId)
    if (entry?.result) rememberResult(entry.result, { names: this.names, message: entry.message, kind: 'result' })
    return entry?.result
  }

  /** A page of a process's history: scheduled messages from nonce `from` (default 0), with their results. */
  results(processId: string, options: { from?: number; limit?: number } = {}): ResultsPage {
    const history = this.net.process(processId).scheduler.messages
    const from = options.from ?? 0
    const limit = options.limit ?? DEFAULT_PAGE
    const items = history.slice(from, from + limit)
    for (const e of items) if (e.result) rememberResult(e.result, { names: this.names, message: e.message, kind: 'result' })
    return from + limit < history.length ? { items, next: from + limit } : { items }
  }

  /**
   * Sets a token balance, as Foundry's `deal` does: `Balances[address] = amount` (a decimal string, as the aos
   * token blueprint keeps them), with one owner Eval. With `adjustSupply`, TotalSupply moves by the difference.
   *
   * @throws {DealError} the process has no such table (or no supply to adjust), or the amount is no integer ≥ 0.
   */
  async deal(processId: string, address: string, amount: string | bigint | number, options: DealOptions = {}): Promise<void> {
    const label = this.names[processId] ?? processId
    const sent = await this.eval(processId, dealLua(address, amount, options))
    if (sent.result.Error !== undefined) throw dealFailure(stripAnsi(String(sent.result.Error)), options, label)
  }

  /**
   * Gas per process and handler for every message this network evaluated (not dry-runs), as `forge test
   * --gas-report` gives it: calls, then gas min / median / mean / max. Processes go by name, else file, else id.
   */
  gasReport(): GasReport {
    return this.gas.report()
  }

  private recordGas({ process, result }: EvaluationEvent): void {
    if (typeof result.GasUsed !== 'number') return // a mock: no VM, no gas
    const entry = this.net.process(process)
    const nameTag = entry.env.Process.Tags.find((tag) => tag.name === 'Name')?.value
    const label = this.names[process] ?? nameTag ?? this.files[process] ?? process
    const handler = entry.vm instanceof ProcessVm ? handlerLabel(entry.vm.lastHandlers) : '(all messages)'
    this.gas.record(label, handler, result.GasUsed)
    runGasRecorder?.record(label, handler, result.GasUsed)
  }

  /** Registers a tree's nodes with this network's names, for chai failures. */
  private named(tree: SendResult): SendResult {
    rememberTree(tree, this.names)
    return tree
  }

  private async evalOrThrow(processId: string, lua: string, what: string, origins?: readonly (SourceOrigin | undefined)[]): Promise<SendResult> {
    const sent = await this.load(processId, lua, origins)
    if (sent.result.Error !== undefined) {
      const located = errorLocationOf(sent.result) ?? { frames: [] }
      const stack = located.frames.length > 0 ? '\nLua stack:\n' + located.frames.map((frame) => '  ' + frame).join('\n') : ''
      const where = located.location !== undefined ? ` at ${located.location}` : ''
      const error = new LuaEvalError(`Lua failed while ${what}${where}`, { details: stripAnsi(String(sent.result.Error)) + stack })
      error.location = located.location
      error.frames = located.frames
      throw error
    }
    return sent
  }

  /** An owner Eval; code the process kept is remembered with where each line came from (a file, or none). */
  private async load(processId: string, lua: string, origins: readonly (SourceOrigin | undefined)[] = stringOrigins(lua)): Promise<SendResult> {
    this.loading = { source: lua, origins }
    let sent: SendResult
    try {
      sent = await this.net.send({ from: this.net.process(processId).owner, to: processId, tags: { Action: 'Eval' }, data: lua })
    } finally {
      this.loading = undefined
    }
    if (sent.result.Error === undefined) this.sources.record(processId, lua, origins)
    return sent
  }

  /** After each evaluation: where its Error was raised in contract files; tag-name lint of what it read. */
  private inspect({ process, message, result }: EvaluationEvent): void {
    const diagnostics = diagnosticsOf(result)
    if (result.Error === undefined && diagnostics?.reads === undefined) return
    // An Eval's own lines are its code's: the file being loaded, or a string.
    const data = message.Data
    const isEval = tagMap(message).Action === 'Eval' && typeof data === 'string'
    const current = !isEval ? undefined : this.loading?.source === data ? this.loading.origins : stringOrigins(data)
    const origins = this.sources.originsFor(process, current)
    if (result.Error !== undefined) rememberErrorLocation(result, locateLuaError(String(result.Error), origins, diagnostics?.traceback))
    if (diagnostics?.reads !== undefined) this.lint.check(diagnostics.reads, origins, this.names[process] ?? process)
  }
}

/** A network for one test; the same seed and calls give byte-identical ids, results and traces. */
export function createTestNetwork(options: { seed?: string } & AoNetworkOptions & TestNetworkOptions = {}): TestNetwork {
  return new TestNetwork(options)
}

function throwFirstOfTicks(ticks: SendResult[]): SendResult[] {
  const [first] = ticks.flatMap(networkErrors)
  if (first) throw first
  return ticks
}

function withName(tags: TagsInput | undefined, name: string | undefined): TagsInput | undefined {
  if (name === undefined) return tags
  const list = Array.isArray(tags) ? tags : Object.entries(tags ?? {}).map(([n, value]) => ({ name: n, value }))
  return list.some((tag) => tag.name === 'Name') ? list : [...list, { name: 'Name', value: name }]
}

/** A Lua long string that no `]=…=]` inside the text can close early. */
/** `Balances.abc-123` → `Balances[ [[abc-123]] ]`: bracket keys, so a key need not be a Lua name (spaced, as `t[[s]]` is a call). */
function luaPath(path: string): string {
  const [global, ...keys] = path.split('.')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(global!) || keys.some((key) => key === '')) {
    throw new InvalidStatePathError(path)
  }
  return global + keys.map((key) => `[ ${luaString(key)} ]`).join('')
}

function luaString(text: string): string {
  let level = ''
  while (text.includes(`]${level}]`)) level += '='
  return `[${level}[${text}]${level}]`
}
