// What a chai failure needs to print a result the way `t.trace` does: the names of the network it came from, and
// for a bare result (a dry-run's, a history entry's) the message it answered. Kept per result object, weakly: two
// networks on one seed give the same ids to different things, so a global id → name map could lie.
import { walk, type MessageNode } from '../network/messageTree.js'
import { isPatch, patchOf } from '../network/patch.js'
import type { AoMessage, AoOutboxMessage, AoResult } from '../vm/processVm.js'

export type TraceContext = {
  /** The network's names for ids; the live object, so a name given after the send counts too. */
  names: Record<string, string>
  /** For a bare result: the message it is the result of (its sender is who a reply goes to). */
  message?: AoMessage
  /** What the result is, for the heading of a failure's trace. */
  kind: 'send' | 'dry-run' | 'result'
}

const contexts = new WeakMap<object, TraceContext>()

/** Remembers the names for every node of a tree, so an assertion on any subtree prints names too. */
export function rememberTree(tree: MessageNode, names: Record<string, string>): void {
  for (const node of walk(tree)) contexts.set(node, { names, kind: 'send' })
}

/** Remembers a bare result with the message it answered. */
export function rememberResult(result: AoResult, context: TraceContext): void {
  contexts.set(result, context)
}

/** The context of a result or tree an aokit TestNetwork returned; undefined for anything else. */
export function traceContextOf(subject: unknown): TraceContext | undefined {
  return typeof subject === 'object' && subject !== null ? contexts.get(subject) : undefined
}

/**
 * A bare result as a one-node tree: under the message a TestNetwork said it answered (else one naming nobody),
 * with the patch@1.0 messages of its outbox as the patches it would apply (a dry-run applies none).
 */
export function resultTree(result: AoResult): MessageNode {
  const message: AoMessage = traceContextOf(result)?.message ?? { Id: '', Tags: [] }
  const outbox = (Array.isArray(result.Messages) ? result.Messages : []).filter((m): m is AoOutboxMessage => typeof m === 'object' && m !== null)
  const patches = result.Error === undefined ? outbox.filter(isPatch).map(patchOf) : []
  return patches.length > 0 ? { message, result, children: [], patches } : { message, result, children: [] }
}
