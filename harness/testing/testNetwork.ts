// The test API over an AoNetwork: short calls for mocha tests (send by Action, eval as the owner, set state),
// names for every wallet and process so traces read as the test does.
import { AokitError } from '../../sdk/errors.js'
import { bundleLua } from '../bundle.js'
import { AoNetwork, type AoNetworkOptions, type SendResult, type TagsInput } from '../network/network.js'
import { networkErrors } from '../network/messageTree.js'
import type { MockHandler } from '../network/mockProcess.js'
import type { ScheduledMessage } from '../network/scheduler.js'
import type { NetworkSnapshot } from '../network/snapshot.js'
import type { AoResult } from '../vm/processVm.js'
import { formatTrace } from './trace.js'

const ANSI = /\u001b\[[0-9;]*m/g
const DEFAULT_PAGE = 25

/** Lua the test asked a process to run (its code at spawn, a setState) returned an Error. */
export class LuaEvalError extends AokitError {
  override name = 'LuaEvalError'
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

  constructor(options: AoNetworkOptions = {}) {
    this.net = new AoNetwork(options)
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
    const id = await this.net.spawn({ owner, tags })
    if (options.name !== undefined) this.names[id] = options.name
    const source = options.file !== undefined ? bundleLua(options.file).source : options.source
    if (source !== undefined) await this.evalOrThrow(id, source, `loading the code of ${options.name ?? id}`)
    return id
  }

  /** Sends an Action (with more tags and Data) signed by `from`; returns the tree of everything it caused. */
  send(from: string, to: string, action: string, tags: Record<string, string | number | boolean> = {}, data?: string): Promise<SendResult> {
    return this.net.send({ from, to, tags: { Action: action, ...tags }, data })
  }

  /** As send, read-only: nothing is delivered and no state changes. */
  dryrun(from: string, to: string, action: string, tags: Record<string, string | number | boolean> = {}, data?: string): Promise<AoResult> {
    return this.net.dryrun({ from, to, tags: { Action: action, ...tags }, data })
  }

  /** Runs Lua in a process as its owner (Action = Eval); the result may hold an Error. */
  eval(processId: string, lua: string): Promise<SendResult> {
    return this.net.send({ from: this.net.process(processId).owner, to: processId, tags: { Action: 'Eval' }, data: lua })
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
    return this.net.advance(duration).then(throwFirstOfTicks)
  }

  /** Moves the clock to an instant (never backwards), ticking crons on the way; throws as advance does. */
  setTime(at: number | Date): Promise<SendResult[]> {
    return this.net.advance(Number(at) - this.net.clock.now).then(throwFirstOfTicks)
  }

  snapshot(): NetworkSnapshot {
    return this.net.snapshot()
  }

  revert(snapshot: NetworkSnapshot): void {
    this.net.revert(snapshot)
  }

  async fork(processId: string, options: { name?: string } = {}): Promise<string> {
    const id = await this.net.fork(processId)
    if (options.name !== undefined) this.names[id] = options.name
    return id
  }

  async mock(handler: MockHandler, options: { name?: string } = {}): Promise<string> {
    const id = await this.net.mock(handler, options)
    if (options.name !== undefined) this.names[id] = options.name
    return id
  }

  /** The tree of a send, ids replaced by wallet and process names; coloured on a terminal unless `colors` says. */
  trace(result: SendResult, options: { prints?: boolean; colors?: boolean } = {}): string {
    return formatTrace(result, { colors: options.colors, names: this.names, prints: options.prints })
  }

  /** The result a process gave for one message, by its id (undefined when the process never evaluated it). */
  result(processId: string, messageId: string): AoResult | undefined {
    return this.net.process(processId).scheduler.messages.find((entry) => entry.message.Id === messageId)?.result
  }

  /** A page of a process's history: scheduled messages from nonce `from` (default 0), with their results. */
  results(processId: string, options: { from?: number; limit?: number } = {}): ResultsPage {
    const history = this.net.process(processId).scheduler.messages
    const from = options.from ?? 0
    const limit = options.limit ?? DEFAULT_PAGE
    const items = history.slice(from, from + limit)
    return from + limit < history.length ? { items, next: from + limit } : { items }
  }

  private async evalOrThrow(processId: string, lua: string, what: string): Promise<SendResult> {
    const sent = await this.eval(processId, lua)
    if (sent.result.Error !== undefined) {
      throw new LuaEvalError(`Lua failed while ${what}`, { details: String(sent.result.Error).replace(ANSI, '') })
    }
    return sent
  }
}

/** A network for one test; the same seed and calls give byte-identical ids, results and traces. */
export function createTestNetwork(options: { seed?: string } & AoNetworkOptions = {}): TestNetwork {
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
