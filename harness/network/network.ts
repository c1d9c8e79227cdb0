// An in-memory AO network: processes (one ProcessVm each), a scheduler per process, a messenger that pushes
// outbox messages between them until the network is quiet, crons driven by a virtual clock. Deterministic:
// no wall clock, no randomness; the same calls on the same seed give byte-identical results.
import { checkpointBytes } from '../vm/luaVm.js'
import { ProcessVm, type AoEnv, type AoMessage, type AoOutboxMessage, type AoResult, type ProcessVmOptions } from '../vm/processVm.js'
import { parseDuration, InvalidDurationError, VirtualClock } from './clock.js'
import { DuplicateMessageError, ForkError, MessageLoopError, SpawnError, UnknownProcessError, type Hop } from './errors.js'
import type { ProcessEvaluator } from './evaluator.js'
import { Ids } from './ids.js'
import { Messenger, hasAuthority, stringTags, type NetworkMessage, type Sender, type Tag } from './messenger.js'
import type { MessageNode } from './messageTree.js'
import { MockProcess, type MockHandler } from './mockProcess.js'
import { Scheduler } from './scheduler.js'
import type { NetworkImage } from './networkImage.js'
import { truncateMap, type NetworkSnapshot } from './snapshot.js'

/** The aos module most processes run; any module id runs on aokit's aos runtime. */
export const AOS_MODULE = 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s'
/** The Module tag of a mock process: not a wasm module, a handler in the test. */
export const MOCK_MODULE = 'aokit-mock'
const DEFAULT_MAX_MESSAGES = 10_000
/** How many hops a MessageLoopError shows. */
const LOOP_HOPS_SHOWN = 6

export type TagsInput = Record<string, string | number | boolean> | { name: string; value: unknown }[]

export type AoNetworkOptions = {
  /** Every id and address derives from it (default "aokit"). */
  seed?: string
  /** Deliveries one send (or one cron tick) may cause before a MessageLoopError (default 10,000). */
  maxMessagesPerSend?: number
  /** Limits for every process's VM. */
  vm?: ProcessVmOptions
  /** The messenger's and scheduler's addresses (default: derived from the seed). */
  addresses?: { messenger?: string; scheduler?: string }
  /** Called after every evaluation that changes state (scheduled messages and cron ticks; not dry-runs), in order. */
  onEvaluation?: (evaluation: EvaluationEvent) => void
}

/** One evaluation at one process, as `onEvaluation` reports it. */
export type EvaluationEvent = { process: string; message: AoMessage; result: AoResult }

/** The first message of a send (or a cron tick) and everything it caused. */
export type SendResult = MessageNode

/** What left the network: messages to processes it does not hold, assignments it could not deliver. */
export type ExternalEntry =
  | { kind: 'message'; from: string; message: NetworkMessage }
  | { kind: 'assignment'; from: string; processId: string; messageId: string }

export type CronSchedule = { interval: number; next: number; tags: Tag[] }

/** One process of the network. */
export type NetworkProcess = {
  id: string
  /** The signer of its Process message (a wallet for net.spawn, the messenger for a spawn from Lua). */
  owner: string
  module: string
  env: AoEnv
  /** A Lua ProcessVm, or a MockProcess for net.mock. */
  vm: ProcessEvaluator
  scheduler: Scheduler
  cron?: CronSchedule
}

type Delivery =
  | { kind: 'message'; message: NetworkMessage; into: MessageNode[] }
  | { kind: 'spawn'; spawn: AoOutboxMessage; sender: NetworkProcess; pushedFor: string | undefined; into: MessageNode[] }
  | { kind: 'assignment'; processId: string; messageId: string; from: string; into: MessageNode[] }

const toTags = (tags: TagsInput | undefined): Tag[] =>
  Array.isArray(tags) ? stringTags(tags) : Object.entries(tags ?? {}).map(([name, value]) => ({ name, value: String(value) }))

const tagValue = (tags: Tag[], name: string) => tags.find((tag) => tag.name === name)?.value

export class AoNetwork {
  readonly clock = new VirtualClock()
  readonly ids: Ids
  readonly messenger: Messenger
  /** Outbox messages whose Target is not a process of this network, and undeliverable assignments. */
  readonly externalOutbox: ExternalEntry[] = []
  private readonly processes = new Map<string, NetworkProcess>()
  /** Every message the network has seen, by id, as signed (before scheduling): assignments resend them. */
  private readonly messages = new Map<string, NetworkMessage>()
  private readonly maxMessages: number
  private readonly vmOptions: ProcessVmOptions
  private readonly onEvaluation: AoNetworkOptions['onEvaluation']
  /** Calls run one at a time, in call order, whatever the caller awaits. */
  private tail: Promise<unknown> = Promise.resolve()

  constructor(options: AoNetworkOptions = {}) {
    this.ids = new Ids(options.seed ?? 'aokit', options.addresses)
    this.messenger = new Messenger(this.ids.messenger)
    this.maxMessages = options.maxMessagesPerSend ?? DEFAULT_MAX_MESSAGES
    this.vmOptions = options.vm ?? {}
    this.onEvaluation = options.onEvaluation
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

  /** A message the network has seen (as signed, before scheduling). */
  message(id: string): NetworkMessage | undefined {
    return this.messages.get(id)
  }

  /**
   * Spawns a process signed by `owner`: Process message tags Data-Protocol, Variant, Type=Process, Module,
   * Scheduler, Authority=<messenger> (as the aos CLI adds it), then `tags` (a same-named tag replaces a default
   * one; Authority tags add to it). Evaluates its Process message; returns its id.
   */
  spawn(options: { owner: string; tags?: TagsInput; data?: string; module?: string }): Promise<string> {
    return this.serial(async () => {
      const module = options.module ?? AOS_MODULE
      const userTags = toTags(options.tags)
      const defaults: Tag[] = [
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Variant', value: 'ao.TN.1' },
        { name: 'Type', value: 'Process' },
        { name: 'Module', value: module },
        { name: 'Scheduler', value: this.ids.scheduler },
      ].filter((tag) => !userTags.some((user) => user.name === tag.name))
      const tags = [...defaults, ...userTags]
      if (!hasAuthority(tags, this.messenger.address)) tags.splice(defaults.length, 0, { name: 'Authority', value: this.messenger.address })
      const id = this.ids.next('process')
      const message: NetworkMessage = { Id: id, Owner: options.owner, From: options.owner, Target: id, Anchor: '', Data: options.data ?? '', Tags: tags }
      await this.create(message, options.owner)
      const node = await this.run(message)
      if (node.result.Error !== undefined) throw new SpawnError(`The Process message of ${id} failed`, { details: node.result.Error })
      return id
    })
  }

  /**
   * A process implemented in TypeScript: messages to it call `handler`, and the messages it returns are delivered
   * like any outbox. Its Process message is scheduled (nonce 0) but not handed to the handler. Returns its id.
   */
  mock(handler: MockHandler, options: { name?: string; owner?: string } = {}): Promise<string> {
    return this.serial(async () => {
      const id = this.ids.next('process')
      const owner = options.owner ?? this.ids.wallet('~mock-owner')
      const tags: Tag[] = [
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Variant', value: 'ao.TN.1' },
        { name: 'Type', value: 'Process' },
        { name: 'Module', value: MOCK_MODULE },
        { name: 'Scheduler', value: this.ids.scheduler },
        { name: 'Authority', value: this.messenger.address },
        ...(options.name === undefined ? [] : [{ name: 'Name', value: options.name }]),
      ]
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
      if (!(source.vm instanceof ProcessVm)) throw new ForkError(`Cannot fork ${processId}`, { details: 'it is a mock: its state is the handler\'s closure' })
      const id = this.ids.next('process')
      const env: AoEnv = { ...source.env, Process: { ...source.env.Process, Id: id } }
      const vm = await ProcessVm.fromSnapshot(source.vm.snapshot(), env, this.vmOptions)
      const cron = source.cron && { ...source.cron, tags: [...source.cron.tags] }
      this.processes.set(id, { id, owner: source.owner, module: source.module, env, vm, scheduler: new Scheduler(id, this.clock), cron })
      return id
    })
  }

  /**
   * The whole network now: clock, id counters, every process's state, scheduler and cron, seen messages,
   * external outbox. Synchronous: take it between awaited calls, not while one is running.
   */
  snapshot(): NetworkSnapshot {
    return {
      clock: this.clock.now,
      ids: this.ids.snapshot(),
      processes: [...this.processes.values()].map((process) => ({
        process,
        vm: process.vm.snapshot(),
        scheduler: process.scheduler.state(),
        cronNext: process.cron?.next,
      })),
      messages: this.messages.size,
      externalOutbox: this.externalOutbox.length,
    }
  }

  /**
   * Back to a snapshot of this network: processes spawned since are gone, the rest are as they were; ids and
   * times repeat, so the same calls give the same results again. A process that kept no message since costs nothing.
   */
  revert(snapshot: NetworkSnapshot): void {
    this.clock.revert(snapshot.clock)
    this.ids.revert(snapshot.ids)
    this.processes.clear()
    for (const entry of snapshot.processes) {
      const { process } = entry
      process.vm.revert(entry.vm)
      process.scheduler.revert(entry.scheduler)
      if (process.cron && entry.cronNext !== undefined) process.cron.next = entry.cronNext
      this.processes.set(process.id, process)
    }
    truncateMap(this.messages, snapshot.messages)
    this.externalOutbox.length = snapshot.externalOutbox
  }

  /**
   * The whole network copied out as plain data (memory bytes, scheduler heads, seen messages), for a store on
   * disk. Processes' histories are not included: whoever stores the image keeps them. Mocks cannot be imaged.
   */
  exportImage(): Promise<NetworkImage> {
    return this.serial(async () => ({
      seed: this.ids.seed,
      clock: this.clock.now,
      ids: [...this.ids.snapshot()],
      processes: [...this.processes.values()].map((process) => {
        if (!(process.vm instanceof ProcessVm)) throw new ForkError(`Cannot image ${process.id}`, { details: 'it is a mock' })
        return {
          id: process.id,
          owner: process.owner,
          module: process.module,
          env: process.env,
          cron: process.cron && { ...process.cron, tags: [...process.cron.tags] },
          scheduler: process.scheduler.state(),
          memory: checkpointBytes(process.vm.snapshot().checkpoint),
        }
      }),
      messages: [...this.messages.values()],
    }))
  }

  /** A network that goes on from an image: same ids, clock, states; new messages continue each history. */
  static async fromImage(image: NetworkImage, options: AoNetworkOptions = {}): Promise<AoNetwork> {
    const network = new AoNetwork({ ...options, seed: image.seed })
    network.clock.set(image.clock)
    network.ids.revert(new Map(image.ids))
    for (const message of image.messages) network.messages.set(message.Id, message)
    for (const saved of image.processes) {
      const vm = await ProcessVm.fromMemory(saved.memory, saved.env, network.vmOptions)
      network.processes.set(saved.id, {
        id: saved.id,
        owner: saved.owner,
        module: saved.module,
        env: saved.env,
        vm,
        scheduler: Scheduler.resume(saved.id, network.clock, saved.scheduler),
        cron: saved.cron && { ...saved.cron, tags: [...saved.cron.tags] },
      })
    }
    return network
  }

  /**
   * Sends a message signed by `from` (a wallet) to process `to`, then delivers everything it causes,
   * breadth-first, until the network is quiet. Data defaults to a single space, as the messenger's does.
   */
  send(options: { from: string; to: string; tags?: TagsInput; data?: string }): Promise<SendResult> {
    return this.serial(async () => {
      this.process(options.to)
      const message = this.userMessage(options, this.ids.next('message'))
      return this.run(message)
    })
  }

  /**
   * Delivers a message signed outside the network (a devnet's data item), keeping its own Id, Owner and Anchor:
   * a `Type: Process` item spawns a process whose id is the item's, anything else is sent to its Target.
   * Returns the root of what it caused; a Process message that fails leaves the process spawned, as on AO.
   */
  submit(message: NetworkMessage): Promise<SendResult> {
    return this.serial(async () => {
      if (this.messages.has(message.Id)) throw new DuplicateMessageError(message.Id)
      if (tagValue(message.Tags, 'Type') === 'Process') {
        await this.create(message, message.Owner)
      } else {
        this.process(message.Target)
      }
      return this.run(message)
    })
  }

  /**
   * Assigns a message the network already holds (by id) to a process, as an SU assignment does, and delivers
   * everything it causes. The process runs it only if it accepts it (aos's ao.addAssignable).
   */
  assign(options: { process: string; message: string }): Promise<MessageNode[]> {
    return this.serial(async () => {
      this.process(options.process)
      const into: MessageNode[] = []
      await this.drain([{ kind: 'assignment', processId: options.process, messageId: options.message, from: '', into }], 0, [])
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
   */
  advance(duration: string | number): Promise<SendResult[]> {
    return this.serial(async () => {
      const target = this.clock.now + parseDuration(duration)
      const ticks: SendResult[] = []
      for (;;) {
        let due: NetworkProcess | undefined
        for (const process of this.processes.values()) {
          if (process.cron && process.cron.next <= target && (!due || process.cron.next < due.cron!.next)) due = process
        }
        if (!due) break
        const cron = due.cron!
        this.clock.set(cron.next)
        cron.next += cron.interval
        ticks.push(await this.tick(due, cron))
      }
      this.clock.set(target)
      return ticks
    })
  }

  private async tick(process: NetworkProcess, cron: CronSchedule): Promise<SendResult> {
    // A cron message carries only these fields (spec §0); it is not scheduled, so it has no Nonce or Id.
    const message = {
      Owner: process.owner,
      Target: process.id,
      From: process.owner,
      Tags: cron.tags,
      Timestamp: this.clock.now,
      'Block-Height': this.clock.blockHeight,
      Cron: true,
    } as unknown as AoMessage
    const root: MessageNode = { message, result: await process.vm.evaluate(message, process.env), children: [] }
    this.onEvaluation?.({ process: process.id, message, result: root.result })
    const queue: Delivery[] = []
    // A cron message has no id, so what its tick sends carries no Pushed-For.
    this.collect(process, root.result, root.children, queue, undefined)
    await this.drain(queue, 1, [{ from: process.owner, to: process.id, action: 'Cron' }])
    return root
  }

  private userMessage(options: { from: string; to: string; tags?: TagsInput; data?: string }, id: string): NetworkMessage {
    return { Id: id, Owner: options.from, From: options.from, Target: options.to, Anchor: '', Data: options.data ?? ' ', Tags: toTags(options.tags) }
  }

  /** Delivers a signed message, then everything it causes; returns its node. */
  private async run(root: NetworkMessage): Promise<MessageNode> {
    const into: MessageNode[] = []
    this.messages.set(root.Id, root)
    await this.drain([{ kind: 'message', message: root, into }], 0, [])
    return into[0]
  }

  /** Breadth-first FIFO delivery until the queue is empty or the per-send bound is passed. */
  private async drain(queue: Delivery[], delivered: number, hops: Hop[]): Promise<void> {
    while (queue.length > 0) {
      const delivery = queue.shift()!
      if (delivered >= this.maxMessages) throw new MessageLoopError(this.maxMessages, hops.slice(-LOOP_HOPS_SHOWN))
      delivered += 1
      if (delivery.kind === 'message') {
        const target = this.process(delivery.message.Target)
        hops.push(hop(delivery.message, target.id))
        await this.deliver(target, delivery.message, delivery.into, queue)
      } else if (delivery.kind === 'assignment') {
        const message = this.messages.get(delivery.messageId)!
        hops.push(hop(message, delivery.processId))
        await this.deliver(this.process(delivery.processId), message, delivery.into, queue)
      } else {
        const { spawn, sender, pushedFor } = delivery
        const id = this.ids.next('process')
        const message = this.messenger.processMessage(spawn, sender, id, pushedFor, this.ids.scheduler)
        this.messages.set(id, message)
        hops.push(hop(message, id))
        const process = await this.create(message, this.messenger.address)
        const node = await this.evaluate(process, message, delivery.into)
        // The spawner hears of the new process before anything the new process sends is delivered.
        const notice = this.messenger.spawnedNotice(spawn, sender, id, this.ids.next('message'), pushedFor)
        this.messages.set(notice.Id, notice)
        queue.push({ kind: 'message', message: notice, into: node.children })
        this.collect(process, node.result, node.children, queue, pushedFor)
      }
    }
  }

  /** Schedules and evaluates a message at a process (creating none), then queues its outbox. */
  private async deliver(process: NetworkProcess, message: NetworkMessage, into: MessageNode[], queue: Delivery[]) {
    const node = await this.evaluate(process, message, into)
    this.collect(process, node.result, node.children, queue, chainRoot(message))
  }

  private async evaluate(process: NetworkProcess, message: NetworkMessage, into: MessageNode[]): Promise<MessageNode> {
    const scheduled = process.scheduler.assign(toAoMessage(message))
    const evaluated = forEvaluation(scheduled)
    const node: MessageNode = { message: evaluated, result: await process.vm.evaluate(evaluated, process.env), children: [] }
    process.scheduler.recordResult(Number(evaluated.Nonce), node.result)
    this.onEvaluation?.({ process: process.id, message: evaluated, result: node.result })
    into.push(node)
    return node
  }

  /** Queues (or sends out of the network) everything a result asked for: messages, spawns, assignments. */
  private collect(process: NetworkProcess, result: AoResult, into: MessageNode[], queue: Delivery[], pushedFor: string | undefined) {
    if (result.Error !== undefined) return
    const sender: Sender = { id: process.id, module: process.module }
    for (const outbox of result.Messages ?? []) {
      const message = this.messenger.message(outbox, sender, this.ids.next('message'), pushedFor)
      this.messages.set(message.Id, message)
      if (this.processes.has(message.Target)) queue.push({ kind: 'message', message, into })
      else this.externalOutbox.push({ kind: 'message', from: process.id, message })
    }
    for (const spawn of result.Spawns ?? []) queue.push({ kind: 'spawn', spawn, sender: process, pushedFor, into })
    for (const assignment of result.Assignments ?? []) {
      for (const processId of assignment.Processes ?? []) {
        if (this.processes.has(processId) && this.messages.has(assignment.Message)) {
          queue.push({ kind: 'assignment', processId, messageId: assignment.Message, from: process.id, into })
        } else {
          this.externalOutbox.push({ kind: 'assignment', from: process.id, processId, messageId: assignment.Message })
        }
      }
    }
  }

  /** Registers a process for a Process message (its VM, scheduler, cron); does not evaluate it. */
  private async create(message: NetworkMessage, owner: string, mock?: MockProcess): Promise<NetworkProcess> {
    const module = tagValue(message.Tags, 'Module') ?? AOS_MODULE
    const env: AoEnv = {
      Process: { Id: message.Id, Owner: owner, Tags: message.Tags },
      Module: {
        Id: module,
        Owner: this.ids.moduleOwner,
        Tags: [
          { name: 'Data-Protocol', value: 'ao' },
          { name: 'Type', value: 'Module' },
          { name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' },
        ],
      },
    }
    const process: NetworkProcess = {
      id: message.Id,
      owner,
      module,
      env,
      vm: mock ?? (await ProcessVm.create(env, this.vmOptions)),
      scheduler: new Scheduler(message.Id, this.clock),
      cron: this.cronSchedule(message.Tags),
    }
    this.processes.set(process.id, process)
    return process
  }

  /** Cron-Interval and Cron-Tag-<Name> tags → a schedule whose first tick is one interval after now. */
  private cronSchedule(tags: Tag[]): CronSchedule | undefined {
    const value = tagValue(tags, 'Cron-Interval')
    if (value === undefined) return undefined
    const interval = parseDuration(value)
    if (interval <= 0) throw new InvalidDurationError(value)
    const cronTags = tags.filter((tag) => tag.name.startsWith('Cron-Tag-')).map((tag) => ({ name: tag.name.slice('Cron-Tag-'.length), value: tag.value }))
    return { interval, next: this.clock.now + interval, tags: cronTags }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

/**
 * The id Pushed-For names for what a message causes: the message that started the chain. A message the
 * messenger pushed passes its own Pushed-For on; a signed (user) message starts a chain itself.
 */
function chainRoot(message: NetworkMessage): string | undefined {
  return message['Forwarded-By'] ? tagValue(message.Tags, 'Pushed-For') : message.Id
}

function hop(message: NetworkMessage, to: string): Hop {
  return { from: message.From, to, action: tagValue(message.Tags, 'Action') }
}

function toAoMessage(message: NetworkMessage): AoMessage {
  return { ...message, Cron: false, 'Read-Only': false } as AoMessage
}

/** The compute unit removes tags named exactly From or Owner before evaluation. */
function forEvaluation(message: AoMessage): AoMessage {
  return { ...message, Tags: message.Tags.filter((tag) => tag.name !== 'From' && tag.name !== 'Owner') }
}
