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

/** A spawn tag the network cannot honour (a Cron-Interval it cannot read, or below its minimum). */
export class InvalidSpawnTagError extends AokitError {
  override name = 'InvalidSpawnTagError'
  constructor(
    readonly tag: string,
    readonly value: string,
    /** The rule the value broke, e.g. "at least 1000 ms (minCronInterval)". */
    readonly rule: string,
  ) {
    super(`${tag}: ${JSON.stringify(value)} must be ${rule}`)
  }
}

/** More spawns than the network allows in one message's result, or in one input's deliveries. */
export class SpawnLimitError extends AokitError {
  override name = 'SpawnLimitError'
  constructor(
    readonly limit: number,
    readonly scope: 'message' | 'input',
  ) {
    const option = scope === 'message' ? 'maxSpawnsPerMessage' : 'maxSpawnsPerInput'
    super(`Spawn limit: more than ${limit} spawns in one ${scope} (${option}); the rest were not created`)
  }
}

/** A spawn refused because the network already holds its maximum number of processes. */
export class ProcessLimitError extends AokitError {
  override name = 'ProcessLimitError'
  constructor(readonly limit: number) {
    super(`Process limit: the network already holds ${limit} processes (maxProcesses)`)
  }
}

/** An advance that passed more cron work than it may do: the boundaries past the bound were skipped. */
export class CronBacklogError extends AokitError {
  override name = 'CronBacklogError'
  constructor(
    /** The option whose bound was reached: maxCronTicksPerAdvance or maxCronDeliveriesPerAdvance. */
    readonly option: 'maxCronTicksPerAdvance' | 'maxCronDeliveriesPerAdvance',
    readonly limit: number,
    /** Cron ticks skipped. */
    readonly skipped: number,
  ) {
    const what = option === 'maxCronTicksPerAdvance' ? 'cron ticks' : 'cron deliveries'
    super(`Cron backlog: ${limit} ${what} in one advance (${option}); ${skipped} ticks skipped`)
  }
}

/** A network option out of its range. */
export class NetworkOptionError extends AokitError {
  override name = 'NetworkOptionError'
}
