// Small pieces of message delivery: how a signed message becomes the message a process evaluates, what its
// outbox entries are, the hop a loop error shows, and how errors are recorded on a message tree.
import type { AokitError } from '../../sdk/errors.js'
import type { AoMessage } from '../vm/processVm.js'
import type { Hop } from './errors.js'
import type { NetworkMessage } from './messenger.js'
import { networkErrors, type MessageNode } from './messageTree.js'
import { tagValue } from './networkTypes.js'

/** How many hops a MessageLoopError shows. */
export const LOOP_HOPS_SHOWN = 6

/**
 * The id Pushed-For names for what a message causes: the message that started the chain. A message the
 * messenger pushed passes its own Pushed-For on; a signed (user) message starts a chain itself.
 */
export function chainRoot(message: NetworkMessage): string | undefined {
  return message['Forwarded-By'] ? tagValue(message.Tags, 'Pushed-For') : message.Id
}

/**
 * The entries of an outbox list Lua code may have set to anything: only tables, in a list. The rest could not
 * become a data item, so nothing is sent for them.
 */
export function entries<T>(list: unknown): T[] {
  return Array.isArray(list) ? (list.filter((entry) => typeof entry === 'object' && entry !== null) as T[]) : []
}

export function addError(node: MessageNode, error: AokitError): void {
  ;(node.errors ??= []).push(error)
}

/** The test API's way: the first error the tree recorded, thrown once everything is delivered. */
export function throwFirst(root: MessageNode): MessageNode {
  const [first] = networkErrors(root)
  if (first) throw first
  return root
}

export function hop(message: NetworkMessage, to: string): Hop {
  return { from: message.From, to, action: tagValue(message.Tags, 'Action') }
}

export function toAoMessage(message: NetworkMessage): AoMessage {
  return { ...message, Cron: false, 'Read-Only': false } as AoMessage
}

/** The compute unit removes tags named exactly From or Owner before evaluation. */
export function forEvaluation(message: AoMessage): AoMessage {
  return { ...message, Tags: message.Tags.filter((tag) => tag.name !== 'From' && tag.name !== 'Owner') }
}
