// The tree of messages one send caused: each node is a message as its target evaluated it, with its result and
// the messages that result delivered, in delivery order.
import type { AoMessage, AoOutboxMessage, AoResult } from '../vm/processVm.js'

export type MessageNode = {
  message: AoMessage
  result: AoResult
  children: MessageNode[]
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
