// What a push's outbox became (hyperbeam-api.md §3): HyperBEAM's push answer has one entry per outbox message,
// keyed by its position from 1: the slot and process it was scheduled at downstream, or an error map.
import type { MessageNode } from '../network/messageTree.js'
import { isPatch } from '../network/patch.js'
import type { AoOutboxMessage } from '../vm/processVm.js'

export type OutboxEntry = { slot: number; process: string } | { status: 400 | 404; error: string }

/**
 * @param root the pushed message's tree (Devnet.tree); its children are the local deliveries of its outbox, in
 *   outbox order. patch@1.0 messages are left out, as HyperBEAM takes them out of the outbox.
 * @param local whether a process is on this devnet.
 */
export function outboxEntries(root: MessageNode, local: (process: string) => boolean): Record<string, OutboxEntry> {
  const entries: Record<string, OutboxEntry> = {}
  // A failed evaluation delivers nothing: HyperBEAM pushes no outbox either.
  if (root.result.Error !== undefined) return entries
  const delivered = root.children
  let next = 0
  for (const [index, outbox] of (root.result.Messages ?? []).entries()) {
    if (isPatch(outbox as AoOutboxMessage)) continue
    const target = String((outbox as AoOutboxMessage).Target ?? '')
    const child = delivered[next]
    if (child && child.message.Target === target) {
      next += 1
      entries[String(index + 1)] = { slot: Number(child.message.Nonce), process: target }
    } else if (!local(target)) {
      entries[String(index + 1)] = { status: 404, error: `process ${target || '(no target)'} is not on this devnet` }
    } else {
      // Local but not delivered: the input reached a delivery limit (the tree's errors say which).
      entries[String(index + 1)] = { status: 400, error: `not delivered to ${target}: the input reached a delivery limit` }
    }
  }
  return entries
}
