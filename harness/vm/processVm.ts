// One AO process's evaluator: a runtime VM plus the compute unit's rule that a result with an Error leaves
// the state exactly as it was before that message.
//
// Rollback without copying memory per message: the VM keeps a checkpoint (a memory image, at first the shared
// boot image) and the log of messages evaluated since. On an Error it restores the checkpoint and re-evaluates
// the log — evaluation is deterministic — then checkpoints there. The happy path only appends to the log and
// copies memory once every CHECKPOINT_EVERY messages.
import { ComputeLimitError, MemoryLimitError, OutputLimitError, VmCrashError, VmSettingError } from './errors.js'
import { DEFAULT_COMPUTE_LIMIT, DEFAULT_MAX_OUTPUT, LuaVm, checkpointFromBytes, type Checkpoint, type LuaInput } from './luaVm.js'
import { hostFunctions, runtimeImage } from './runtimeImage.js'
import { SQLITE_MODULES, SqliteEngine, warmSqlJs, type DbImages, type SqliteOptions } from './sqlite/sqliteEngine.js'
import { withSqliteEngine } from './sqlite/sqliteHost.js'
import { takeDiagnostics } from './diagnostics.js'

/** What a process returns for one message, as the aos module does. */
export type AoResult = {
  Output?: unknown
  Messages?: AoOutboxMessage[]
  Spawns?: AoOutboxMessage[]
  Assignments?: { Processes: string[]; Message: string }[]
  Error?: string
  /** Gas the evaluation used (WebAssembly instructions), as AO's compute unit reports it. */
  GasUsed?: number
  [key: string]: unknown
}
export type AoTag = { name: string; value: unknown }
export type AoOutboxMessage = { Target?: string; Data?: unknown; Anchor?: string; Tags: AoTag[] }

/** A message as the compute unit hands it to the module (spec §6). */
export type AoMessage = Record<string, unknown> & { Id: string; Tags: { name: string; value: string }[] }
/** The environment of an evaluation: the process and module records. */
export type AoEnv = {
  Process: { Id: string; Owner: string; Tags: { name: string; value: string }[] }
  Module: { Id: string; Owner: string; Tags: { name: string; value: string }[] }
}

export type ProcessVmOptions = {
  /** Bytes of memory the process may use; default from its Memory-Limit tag, else maxMemoryLimit. */
  memoryLimit?: number
  /** The host's ceiling on memoryLimit and the Memory-Limit tag (default 1 GiB): a tag can only lower it. */
  maxMemoryLimit?: number
  /** Gas one message may use, in WebAssembly instructions, C library included (default 2 billion). */
  computeLimit?: number
  /** Bytes of result (Output, Messages, Spawns…) one message may return (default 100 MB). */
  maxOutput?: number
  /** Run the gas-metered module (default true); false only to measure metering's cost (no compute limit then). */
  metered?: boolean
  /** Limits of the SQLite engine of aos-sqlite processes (lsqlite3): gas per message, database size. */
  sqlite?: SqliteOptions
}

const CHECKPOINT_EVERY = 64
/** Growth past twice the checkpoint that a rollback gives back by rebuilding the instance. */
const REBUILD_SLACK = 64 * 1024 * 1024
const GiB = 1024 ** 3
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: GiB, tb: 1024 ** 4 }

/** Parses a Memory-Limit tag (`1-gb`, `512-mb`, `65536`) into bytes. */
export function parseMemoryLimit(value: string): number | undefined {
  const match = /^\s*(\d+)(?:-(b|kb|mb|gb|tb))?\s*$/i.exec(value)
  if (!match) return undefined
  return Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]
}

function memoryLimitOf(env: AoEnv, options: ProcessVmOptions): number {
  const tag = env.Process.Tags.find((t) => t.name === 'Memory-Limit')
  const max = options.maxMemoryLimit ?? GiB
  return Math.min(options.memoryLimit ?? (tag && parseMemoryLimit(tag.value)) ?? max, max)
}

function limitsOf(env: AoEnv, options: ProcessVmOptions): Limits {
  return {
    memoryLimit: memoryLimitOf(env, options),
    computeLimit: options.computeLimit ?? DEFAULT_COMPUTE_LIMIT,
    maxOutput: options.maxOutput ?? DEFAULT_MAX_OUTPUT,
    metered: options.metered ?? true,
  }
}

export type LogEntry = { readonly message: AoMessage; readonly env: AoEnv }

/**
 * The SQLite databases each checkpoint of an aos-sqlite process holds, as bytes. The same bytes sit (base64) in the
 * checkpoint's Lua memory, so a stored image carries them; this map spares reading them back from there.
 */
const checkpointDatabases = new WeakMap<Checkpoint, DbImages>()

/**
 * A process's state at one instant, immutable: a memory image, the messages kept after it (lazy snapshots only) and
 * the generation it was taken at. Reverting to it is one memory copy plus replaying those messages; reverting a
 * process that has kept no message since is free (same generation).
 */
export type ProcessSnapshot = {
  readonly checkpoint: Checkpoint
  /** Messages kept after `checkpoint` that the state includes, replayed by a revert; empty unless taken lazily. */
  readonly log: readonly LogEntry[]
  readonly generation: number
}

/**
 * A lazy snapshot leaves at most this many kept messages for its revert to replay instead of copying memory now:
 * new chunks cost page faults, replaying a message or two costs less (1, 2 and 3 measured on the bench: 2 is best).
 * A snapshot reverted to a second time is turned into a checkpoint then, so a fixture that every test reverts to
 * replays nothing from then on.
 */
const LAZY_SNAPSHOT_MESSAGES = 2
const revertedOnce = new WeakSet<ProcessSnapshot>()
const materialised = new WeakMap<ProcessSnapshot, ProcessSnapshot>()

/** Generations are unique across every VM of the host process, so two states never share one by accident. */
let lastGeneration = 0

/** A contract function's lines run by one message: `key` is its dumped bytecode (hex), `hits` is [line, count, …]. */
export type CoveredFunction = { key: string; hits: number[] }

/** What aokit's test tools ask to observe of each evaluation; nothing (the default) adds no work at all. */
export type ObserveOptions = {
  /** Note the handlers each message ran (`ProcessVm.lastHandlers`), for the gas report. */
  handlers?: boolean
  /** Count the contract lines each message runs (a Lua line hook: costs gas); called after each one. */
  coverage?: (functions: CoveredFunction[]) => void
  /** Which messages to count lines of, when not all (a hook on a long loop of a test's own Eval would cost much). */
  coverMessage?: (message: AoMessage) => boolean
}

let observing: ObserveOptions = {}

/** Sets what every ProcessVm of this host observes from its next message on (see ObserveOptions). */
export function observeEvaluations(options: ObserveOptions): void {
  observing = { ...options }
}

/** What every ProcessVm of this host observes now. */
export function observedEvaluations(): ObserveOptions {
  return { ...observing }
}

/**
 * Live wasm instances are the expensive part of a process (its touched linear memory). Past `maxLive`, the least
 * recently used idle process hibernates: its state is committed to its checkpoint and its instance goes to a
 * small pool that the next spawn or wake-up reuses (any instance can hold any process: they share one layout).
 */
// Weak: a process whose network was dropped must not be kept alive by this list.
const live = new Set<WeakRef<ProcessVm>>() // insertion order is recency order
const spares: LuaVm[] = []
const MAX_SPARES = 8
/** A recycled instance keeps the memory it grew to; only small ones are worth keeping. */
const SPARE_MEMORY_MAX = 32 * 1024 * 1024
let maxLive = 256

/** How many processes of this host keep a live instance (default 256); the rest hibernate until used. */
export function setMaxLiveProcesses(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new VmSettingError('maxLive', count, 'a positive integer')
  maxLive = count
  evictIdle()
}

/** Processes with a live instance now (for tests and benchmarks). */
export function liveProcessCount(): number {
  return [...live].filter((ref) => ref.deref()?.isLive).length
}

function evictIdle(): void {
  for (const ref of live) {
    if (live.size <= maxLive) return
    const vm = ref.deref()
    if (!vm) live.delete(ref)
    else if (!vm.busy) vm.hibernate()
  }
}

type Limits = { memoryLimit: number; computeLimit: number; maxOutput: number; metered: boolean }

/** An instance holding `checkpoint`: a spare one when the pool has one that fits, else a new one. */
async function instanceFor(checkpoint: Checkpoint, limits: Limits): Promise<LuaVm> {
  const index = spares.findIndex((spare) => spare.memorySize <= limits.memoryLimit && spare.metered === limits.metered)
  if (index >= 0) {
    const vm = spares.splice(index, 1)[0]!
    vm.memoryLimit = limits.memoryLimit
    vm.computeLimit = limits.computeLimit
    vm.maxOutput = limits.maxOutput
    vm.restore(checkpoint)
    return vm
  }
  const image = { ...(await runtimeImage()), checkpoint }
  return LuaVm.fromImage(image, hostFunctions, limits)
}

export class ProcessVm {
  private checkpoint: Checkpoint
  private log: LogEntry[] = []
  /** Names the current state; a new one after each kept message, the snapshot's after a revert. */
  private generation = ++lastGeneration
  /** The instance while the process is live; undefined while it hibernates (its state is `checkpoint`). */
  private vm: LuaVm | undefined
  /** Inside an evaluation: never hibernated then. */
  busy = false
  private readonly ref = new WeakRef(this)

  private constructor(
    vm: LuaVm,
    checkpoint: Checkpoint,
    private readonly limits: Limits,
  ) {
    this.vm = vm
    this.checkpoint = checkpoint
    this.markLive()
  }

  /** A process VM at the booted runtime, before its first message (which must be its Process message). */
  static async create(env: AoEnv, options: ProcessVmOptions = {}): Promise<ProcessVm> {
    const limits = limitsOf(env, options)
    const boot = (await runtimeImage()).checkpoint
    const processVm = new ProcessVm(await instanceFor(boot, limits), boot, limits)
    processVm.attachSqlite(env, options)
    return processVm
  }

  /** A new VM (its own instance) holding a snapshot's state: a fork starts here. */
  static async fromSnapshot(snapshot: ProcessSnapshot, env: AoEnv, options: ProcessVmOptions = {}): Promise<ProcessVm> {
    const limits = limitsOf(env, options)
    const processVm = new ProcessVm(await instanceFor(snapshot.checkpoint, limits), snapshot.checkpoint, limits)
    processVm.generation = snapshot.generation
    processVm.attachSqlite(env, options)
    processVm.log = [...snapshot.log]
    processVm.replayLog()
    return processVm
  }

  /** A new VM from memory bytes a snapshot's checkpoint held (a devnet restoring from disk). */
  static fromMemory(bytes: Uint8Array, env: AoEnv, options: ProcessVmOptions = {}): Promise<ProcessVm> {
    return ProcessVm.fromSnapshot({ checkpoint: checkpointFromBytes(bytes), log: [], generation: ++lastGeneration }, env, options)
  }

  /**
   * The current state, kept: the (never mutated) checkpoint, and with `lazy` the few messages kept since it (see
   * LAZY_SNAPSHOT_MESSAGES); otherwise the log is committed first. A hibernating process cannot commit: one reverted
   * to a lazy snapshot hands its messages on (settle() first to have none).
   */
  snapshot({ lazy = false }: { lazy?: boolean } = {}): ProcessSnapshot {
    if (this.vm && (!lazy || this.sqlite || this.log.length > LAZY_SNAPSHOT_MESSAGES)) this.commit()
    return { checkpoint: this.checkpoint, log: [...this.log], generation: this.generation }
  }

  /** Commits the kept messages into the checkpoint, waking the process if it hibernates with some to replay. */
  async settle(): Promise<void> {
    if (this.log.length === 0) return
    await this.whileBusy(async () => this.commit())
  }

  /** Puts the state back to a snapshot of this VM; a no-op when nothing was kept since it was taken. */
  revert(snapshot: ProcessSnapshot): void {
    if (this.generation === snapshot.generation) return
    const target = materialised.get(snapshot) ?? snapshot
    this.checkpoint = target.checkpoint
    this.log = [...target.log]
    this.generation = snapshot.generation
    // A hibernating process only needs the checkpoint and log: waking restores and replays them.
    if (!this.vm) return
    this.vm.restore(target.checkpoint)
    this.resetSqlite()
    this.replayLog()
    if (target.log.length === 0) return
    if (!revertedOnce.has(snapshot)) {
      revertedOnce.add(snapshot)
      return
    }
    this.commit()
    materialised.set(snapshot, { checkpoint: this.checkpoint, log: [], generation: snapshot.generation })
  }

  /** Evaluates a message and keeps its effects, unless its result has an Error: then the state is as before it. */
  async evaluate(message: AoMessage, env: AoEnv): Promise<AoResult> {
    return this.whileBusy(async () => {
      const entry = { message, env }
      const result = this.runObserved(entry, true)
      if (result.Error !== undefined) {
        await this.rollback()
        return result
      }
      this.log.push(entry)
      this.generation = ++lastGeneration
      if (this.log.length >= CHECKPOINT_EVERY) this.commit()
      return result
    })
  }

  /** Evaluates a message against the current state and forgets everything it did. */
  async dryRun(message: AoMessage, env: AoEnv): Promise<AoResult> {
    return this.whileBusy(async () => {
      this.commit()
      const result = this.runObserved({ message, env }, true)
      await this.rollback()
      return result
    })
  }

  /**
   * A Lua global (dotted path, e.g. `Balances` or `ao.id`) as plain JSON, without sending a message: tables become
   * arrays or objects, functions "<function>". The state, memory included, is left exactly as it was.
   */
  async read(path: string): Promise<unknown> {
    return this.whileBusy(async () => {
      this.commit()
      try {
        return (this.vm!.callValue('read', path) as { value?: unknown }).value ?? null
      } finally {
        await this.rollback()
      }
    })
  }

  /** Bytes of memory the process may grow to: its Memory-Limit tag, capped by the host's maxMemoryLimit. */
  get memoryLimit(): number {
    return this.limits.memoryLimit
  }

  /** Bytes of linear memory the process's instance holds (its checkpoint's size while it hibernates). */
  get memorySize(): number {
    return this.vm?.memorySize ?? this.checkpoint.length
  }

  /** Whether the process holds a live instance now. */
  get isLive(): boolean {
    return this.vm !== undefined
  }

  /** Commits the state and gives the instance up (to the spare pool when it is small). */
  hibernate(): void {
    if (!this.vm || this.busy) return
    this.commit()
    const vm = this.vm
    this.vm = undefined
    this.sqlite?.release()
    live.delete(this.ref)
    if (spares.length < MAX_SPARES && vm.memorySize <= SPARE_MEMORY_MAX) spares.push(vm)
  }

  /** Runs `fn` with a live instance, marked busy so no other wake-up hibernates this process meanwhile. */
  private async whileBusy<T>(fn: () => Promise<T>): Promise<T> {
    this.busy = true
    try {
      if (this.sqlite) await warmSqlJs()
      if (!this.vm) {
        this.vm = await instanceFor(this.checkpoint, this.limits)
        this.resetSqlite()
        this.replayLog()
      }
      this.markLive()
      return await fn()
    } finally {
      this.busy = false
    }
  }

  private markLive(): void {
    live.delete(this.ref)
    live.add(this.ref)
    evictIdle()
  }

  private run(entry: LogEntry): AoResult {
    const vm = this.vm!
    vm.clock = Number(entry.message.Timestamp ?? 0)
    const engine = this.sqlite
    engine?.beginMessage(entry.message)
    try {
      const result = withSqliteEngine(engine, () => vm.callValue('handle', entry.message as LuaInput, entry.env as LuaInput, engine !== undefined)) as AoResult
      // A query past its limits stops the engine for the message: the message fails even if the contract caught it.
      engine?.endMessage()
      if (engine?.failure) return { Error: engine.failure.message, GasUsed: vm.gasUsed }
      if (typeof result === 'object' && result !== null) {
        takeDiagnostics(result)
        result.GasUsed = vm.gasUsed
      }
      return result
    } catch (error) {
      if (error instanceof ComputeLimitError || error instanceof OutputLimitError) return { Error: error.shortMessage, GasUsed: vm.gasUsed }
      // Wasm memory cannot shrink: a process that grew to its limit goes back to its checkpoint in a fresh instance.
      if (error instanceof MemoryLimitError || error instanceof VmCrashError) {
        this.crashed = true
        return { Error: error.shortMessage, GasUsed: vm.gasUsed }
      }
      throw error
    } finally {
      engine?.endMessage()
    }
  }

  /** The instance must be replaced at rollback: it trapped, or grew to its memory limit. */
  private crashed = false

  /** The handlers the last evaluation or dry-run ran, in order; set while observeEvaluations asks for them. */
  lastHandlers: string[] | undefined

  /**
   * run(), observed as observeEvaluations asks: what it ran is read before any rollback (never after a trap, when
   * memory is undefined). A rollback's replay observes too, unreported, so its memory ends as the original's did.
   */
  private runObserved(entry: LogEntry, report: boolean): AoResult {
    const options = observing
    if (!options.handlers && !options.coverage) return this.run(entry)
    const vm = this.vm!
    vm.call('observe', options.coverage !== undefined && (options.coverMessage?.(entry.message) ?? true))
    const result = this.run(entry)
    const trapped = this.crashed || (vm.metered && vm.gasUsed >= vm.computeLimit)
    let seen: { handlers?: string[]; functions?: CoveredFunction[] } = {}
    if (!trapped) {
      try {
        seen = vm.callValue('observed') as typeof seen
      } catch {
        // Observing must never fail a message: its report is lost, the message's result stands.
      }
    }
    if (report) {
      this.lastHandlers = seen.handlers
      if (seen.functions) options.coverage?.(seen.functions)
    }
    return result
  }

  /** Makes the current state the checkpoint. */
  private commit(): void {
    if (this.log.length === 0) return
    this.checkpoint = this.takeCheckpoint()
    this.log = []
  }

  /** Back to the state after the last kept message: checkpoint, then the kept messages since, again. */
  private async rollback(): Promise<void> {
    const vm = this.vm!
    // Wasm memory cannot shrink: an instance that grew far past its checkpoint (a memory or compute bomb) is
    // replaced by a fresh one rather than kept at that size.
    if (this.crashed || vm.memorySize > 2 * this.checkpoint.length + REBUILD_SLACK) {
      await vm.rebuild(this.checkpoint, hostFunctions)
      this.crashed = false
    } else {
      vm.restore(this.checkpoint)
    }
    if (this.sqlite) await warmSqlJs()
    this.resetSqlite()
    if (this.log.length === 0) return
    this.replayLog()
    this.checkpoint = this.takeCheckpoint()
    this.log = []
  }

  /** Evaluates the kept messages of the log again, on memory holding the checkpoint (evaluation is deterministic). */
  private replayLog(): void {
    for (const entry of this.log) {
      const result = this.runObserved(entry, false)
      if (result.Error !== undefined) throw new Error(`replaying a kept message failed: ${result.Error}`)
    }
  }

  /** The SQLite engine of an aos-sqlite process (its Module id is one of SQLITE_MODULES); others have none. */
  private sqlite: SqliteEngine | undefined

  private attachSqlite(env: AoEnv, options: ProcessVmOptions): void {
    if (!SQLITE_MODULES.has(env.Module.Id)) return
    this.sqlite = new SqliteEngine(options.sqlite)
    this.resetSqlite()
  }

  /** Memory as a checkpoint, with the databases that changed since the last one exported into the Lua state first. */
  private takeCheckpoint(): Checkpoint {
    const vm = this.vm!
    const engine = this.sqlite
    if (!engine) return vm.checkpoint()
    const before = engine.databases
    const after = engine.capture()
    if (after) {
      const changes: Record<string, string | false> = {}
      for (const [handle, bytes] of after) if (before.get(handle) !== bytes) changes[handle] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
      for (const handle of before.keys()) if (!after.has(handle)) changes[handle] = false
      vm.call('sqliteSave', changes)
    }
    const checkpoint = vm.checkpoint()
    checkpointDatabases.set(checkpoint, engine.databases)
    return checkpoint
  }

  /** Puts the databases back as the current checkpoint holds them (memory must be exactly that checkpoint). */
  private resetSqlite(): void {
    const engine = this.sqlite
    if (!engine || !this.vm) return
    let databases = checkpointDatabases.get(this.checkpoint)
    if (!databases) {
      // A checkpoint from stored bytes: its databases are in its Lua state; reading them changes memory, so restore.
      const saved = this.vm.callValue('sqliteLoad') as Record<string, string> | unknown[]
      this.vm.restore(this.checkpoint)
      const map = new Map<number, Uint8Array>()
      if (!Array.isArray(saved)) for (const [handle, text] of Object.entries(saved)) map.set(Number(handle), new Uint8Array(Buffer.from(text, 'base64')))
      databases = map
      checkpointDatabases.set(this.checkpoint, databases)
    }
    engine.resetTo(databases)
  }
}
