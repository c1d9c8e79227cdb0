// Delivery: breadth-first, FIFO, from a first message until the network is quiet or the input's bound is reached;
// each delivery is scheduled and evaluated at its process, and what the result asks for (messages, spawns,
// assignments, patches) is queued, sent out of the network or applied.
import type { AokitError } from '../../sdk/errors.js'
import type { AoOutboxMessage } from '../vm/processVm.js'
import { addError, chainRoot, entries, forEvaluation, hop, LOOP_HOPS_SHOWN, toAoMessage } from './delivery.js'
import { MessageLoopError, SpawnLimitError } from './errors.js'
import type { Ids } from './ids.js'
import type { NetworkLimits } from './limits.js'
import type { Messenger, NetworkMessage, Sender, Tag } from './messenger.js'
import type { MessageNode } from './messageTree.js'
import type { Budget, Delivery, EvaluationEvent, ExternalEntry, NetworkProcess } from './networkTypes.js'
import { applyPatch, isPatch, patchOf } from './patch.js'

/** What a Router works on: the network's maps and lists (by reference), and its spawning rules. */
export type RouterHost = {
  readonly limits: Readonly<NetworkLimits>
  readonly ids: Ids
  readonly messenger: Messenger
  readonly processes: ReadonlyMap<string, NetworkProcess>
  /** Every message the network has seen, by id; the router adds what it sends. */
  readonly messages: Map<string, NetworkMessage>
  readonly externalOutbox: ExternalEntry[]
  readonly onEvaluation: ((evaluation: EvaluationEvent) => void) | undefined
  /** A process of the network; throws UnknownProcessError. */
  process(id: string): NetworkProcess
  /** Why a Process message with these tags may not be created now, if it may not. */
  refuseSpawn(tags: Tag[], budget?: Budget): AokitError | undefined
  /** Registers a process for a Process message; does not evaluate it. */
  create(message: NetworkMessage, owner: string): Promise<NetworkProcess>
}

export class Router {
  constructor(private readonly host: RouterHost) {}

  /**
   * Breadth-first FIFO delivery until the queue is empty or the input's delivery bound is reached. Past the bound
   * it drops the rest of the queue and returns a MessageLoopError: the deliveries done stay done, as on AO, where
   * a process keeps what it evaluated whatever happens downstream.
   */
  async drain(queue: Delivery[], budget: Budget): Promise<MessageLoopError | undefined> {
    while (queue.length > 0) {
      if (budget.delivered >= this.host.limits.maxMessagesPerSend) {
        queue.length = 0
        return new MessageLoopError(this.host.limits.maxMessagesPerSend, budget.hops.slice(-LOOP_HOPS_SHOWN))
      }
      const delivery = queue.shift()!
      budget.delivered += 1
      const hops = budget.hops
      if (delivery.kind === 'message') {
        const target = this.host.process(delivery.message.Target)
        hops.push(hop(delivery.message, target.id))
        await this.deliver(target, delivery.message, delivery.into, queue)
      } else if (delivery.kind === 'assignment') {
        const message = this.host.messages.get(delivery.messageId)!
        hops.push(hop(message, delivery.processId))
        await this.deliver(this.host.process(delivery.processId), message, delivery.into, queue)
      } else {
        const { spawn, sender, pushedFor } = delivery
        const id = this.host.ids.next('process')
        const message = this.host.messenger.processMessage(spawn, sender, id, pushedFor, this.host.ids.scheduler)
        this.host.messages.set(id, message)
        hops.push(hop(message, id))
        // A refused spawn creates nothing and its spawner hears nothing; the tree shows why.
        const refusal = this.host.refuseSpawn(message.Tags, budget)
        if (refusal) {
          delivery.into.push({ message: toAoMessage(message), result: { Error: refusal.shortMessage }, children: [], errors: [refusal] })
          continue
        }
        budget.spawns += 1
        const process = await this.host.create(message, this.host.messenger.address)
        const node = await this.evaluate(process, message, delivery.into)
        // The spawner hears of the new process before anything the new process sends is delivered.
        const notice = this.host.messenger.spawnedNotice(spawn, sender, id, this.host.ids.next('message'), pushedFor)
        this.host.messages.set(notice.Id, notice)
        queue.push({ kind: 'message', message: notice, into: node.children })
        this.collect(process, node, queue, pushedFor)
      }
    }
    return undefined
  }

  /** Schedules and evaluates a message at a process (creating none), then queues its outbox. */
  private async deliver(process: NetworkProcess, message: NetworkMessage, into: MessageNode[], queue: Delivery[]) {
    const node = await this.evaluate(process, message, into)
    this.collect(process, node, queue, chainRoot(message))
  }

  private async evaluate(process: NetworkProcess, message: NetworkMessage, into: MessageNode[]): Promise<MessageNode> {
    const scheduled = process.scheduler.assign(toAoMessage(message))
    const evaluated = forEvaluation(scheduled)
    const node: MessageNode = { message: evaluated, result: await process.vm.evaluate(evaluated, process.env), children: [] }
    process.scheduler.recordResult(Number(evaluated.Nonce), node.result)
    this.host.onEvaluation?.({ process: process.id, message: evaluated, result: node.result })
    into.push(node)
    return node
  }

  /** Queues (or sends out of the network) everything a result asked for: messages, spawns, assignments. */
  collect(process: NetworkProcess, node: MessageNode, queue: Delivery[], pushedFor: string | undefined) {
    const { result, children: into } = node
    if (result.Error !== undefined) return
    const sender: Sender = { id: process.id, module: process.module }
    for (const outbox of entries<AoOutboxMessage>(result.Messages)) {
      // Applied at once, in outbox order, and never delivered: HyperBEAM takes it out of the outbox.
      if (isPatch(outbox)) {
        const patch = patchOf(outbox)
        process.published = applyPatch(process.published, patch)
        ;(node.patches ??= []).push(patch)
        continue
      }
      const message = this.host.messenger.message(outbox, sender, this.host.ids.next('message'), pushedFor)
      this.host.messages.set(message.Id, message)
      if (this.host.processes.has(message.Target)) queue.push({ kind: 'message', message, into })
      else this.host.externalOutbox.push({ kind: 'message', from: process.id, message })
    }
    const spawns = entries<AoOutboxMessage>(result.Spawns)
    for (const spawn of spawns.slice(0, this.host.limits.maxSpawnsPerMessage)) queue.push({ kind: 'spawn', spawn, sender: process, pushedFor, into })
    if (spawns.length > this.host.limits.maxSpawnsPerMessage) addError(node, new SpawnLimitError(this.host.limits.maxSpawnsPerMessage, 'message'))
    for (const assignment of entries<{ Processes?: unknown; Message?: unknown }>(result.Assignments)) {
      if (typeof assignment.Message !== 'string' || !Array.isArray(assignment.Processes)) continue
      for (const processId of assignment.Processes.filter((id): id is string => typeof id === 'string')) {
        if (this.host.processes.has(processId) && this.host.messages.has(assignment.Message)) {
          queue.push({ kind: 'assignment', processId, messageId: assignment.Message, from: process.id, into })
        } else {
          this.host.externalOutbox.push({ kind: 'assignment', from: process.id, processId, messageId: assignment.Message })
        }
      }
    }
  }
}
