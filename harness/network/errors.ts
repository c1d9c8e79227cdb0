// Errors the in-memory network throws.
import { AokitError } from '../../sdk/errors.js'

/** One delivery in a chain: which process sent to which, and the Action tag if any. */
export type Hop = { from: string; to: string; action?: string }

/** A send that kept causing messages past the network's maxMessagesPerSend. */
export class MessageLoopError extends AokitError {
  override name = 'MessageLoopError'
  constructor(
    readonly limit: number,
    /** The last deliveries before the network stopped, oldest first. */
    readonly hops: Hop[],
  ) {
    super(`Message loop: more than ${limit} messages delivered for one send`, {
      details: `last hops: ${hops.map((h) => `${h.from} → ${h.to} (Action = ${h.action ?? 'none'})`).join('; ')}`,
    })
  }
}

/** A send, dry-run or lookup naming a process the network does not hold. */
export class UnknownProcessError extends AokitError {
  override name = 'UnknownProcessError'
  constructor(readonly processId: string) {
    super(`Unknown process: ${processId}`, { details: 'spawn it on this network first (net.spawn)' })
  }
}

/** A fork of a process whose state aokit cannot copy (a mock: its state lives in the test's closure). */
export class ForkError extends AokitError {
  override name = 'ForkError'
}

/** A Process message the process itself rejected (its result had an Error). */
export class SpawnError extends AokitError {
  override name = 'SpawnError'
}

/** A signed message whose id the network has already seen: the same item sent twice runs once. */
export class DuplicateMessageError extends AokitError {
  override name = 'DuplicateMessageError'
  constructor(readonly messageId: string) {
    super(`Message ${messageId} was already delivered`, { details: 'a data item is delivered once; resending it changes nothing' })
  }
}
