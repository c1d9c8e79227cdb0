// The tree of messages one send caused: each node is a message as its target evaluated it, with its result and
// the messages that result delivered, in delivery order.
import type { AokitError } from '../../sdk/errors.js'
import type { AoMessage, AoOutboxMessage, AoResult } from '../vm/processVm.js'
import type { Patch } from './patch.js'

export type MessageNode = {
  message: AoMessage
  result: AoResult
  children: MessageNode[]
  /**
   * What the network refused or stopped while delivering this node's outbox (a limit passed, a spawn tag it
   * cannot honour); absent when nothing was. The result above is still what the process returned.
   */
  errors?: AokitError[]
  /**
   * The patch@1.0 messages of the result, in outbox order, as applied to the process's published state (they
   * stay in result.Messages, as the process returned them, but were not delivered); absent when none.
   */
  patches?: Patch[]
}

/** Every node of the tree, depth-first, the root first. */
export function walk(root: MessageNode): MessageNode[] {
  return [root, ...root.children.flatMap(walk)]
}

/** A message's tags as a map (first value of a name wins, as aos's msg.Tags does). */
export function tagMap(message: { Tags?: { name: string; value: unknown }[] }): Record<string, unknown> {
  const map: Record<string, unknown> = {}
  for (const tag of message.Tags ?? []) if (!(tag.name in map)) map[tag.name] = tag.value
  return map
}

/** Every outbox message of every result in the tree (delivered or not). */
export function sentMessages(root: MessageNode): AoOutboxMessage[] {
  return walk(root).flatMap((node) => node.result.Messages ?? [])
}

/** Every error the network recorded in a tree (limits, refused spawns), depth-first, the root's first. */
export function networkErrors(root: MessageNode): AokitError[] {
  return walk(root).flatMap((node) => node.errors ?? [])
}
