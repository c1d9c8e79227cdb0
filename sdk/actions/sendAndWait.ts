import type { Client } from '../client.js'
import type { AoResult } from '../types.js'
import { ProcessError, ReplyTimeoutError, ResultNotFoundError, ResultTimeoutError } from './errors.js'
import { message, type MessageParameters } from './message.js'

/** An outbox message of a result (what a process sent). */
export type OutboxMessage = NonNullable<AoResult['Messages']>[number]

/**
 * What a reply must look like: fields (`Target`, `Data`, `Anchor`) and tags that must all be equal, or a
 * predicate over the outbox message.
 */
export type ReplyPattern = Record<string, string> | ((message: OutboxMessage) => boolean)

/** Time as sendAndWait sees it; inject one in tests so waiting costs nothing. */
export type WaitClock = { now(): number; sleep(ms: number): Promise<void> }

/** Parameters of {@link sendAndWait}. */
export type SendAndWaitParameters = MessageParameters & {
  /** Give up after this many ms, for the result and again for the reply (default 30 s). */
  timeout?: number
  /** Between polls, in ms (default 500). */
  pollInterval?: number
  /** Also wait for a message `process` sends (after this one was sent) matching `match`, e.g. a Credit-Notice. */
  reply?: { process: string; match: ReplyPattern }
  clock?: WaitClock
}
export type SendAndWaitReturnType = {
  id: string
  /** The result of the message at its process (it may hold an Error; sendAndWait does not throw for it). */
  result: AoResult
  /** The matching outbox message of `reply.process`, when `reply` was given. */
  reply?: OutboxMessage
}

const wallClock: WaitClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }

/**
 * Sends a message and polls its result until the transport has it; with `reply`, then polls the results of
 * `reply.process` for a matching message. Throws ResultTimeoutError / ReplyTimeoutError, and ProcessError when the
 * message failed and a reply was asked for (none can come); without `reply`, a failed result is returned.
 */
export async function sendAndWait(client: Client, params: SendAndWaitParameters): Promise<SendAndWaitReturnType> {
  const { timeout = 30_000, pollInterval = 500, clock = wallClock, reply, ...send } = params
  // Only replies sent after our message count: remember where the replier's history ends now.
  let cursor = reply ? (await client.transport.results({ process: reply.process, sort: 'DESC', limit: 1 })).edges[0]?.cursor : undefined
  const id = await message(client, send)

  let start = clock.now()
  let result: AoResult | undefined
  for (;;) {
    try {
      result = await client.transport.result({ process: send.process, message: id })
      break
    } catch (error) {
      if (!(error instanceof ResultNotFoundError)) throw error
      if (clock.now() - start >= timeout) throw new ResultTimeoutError(id, timeout, { cause: error })
    }
    await clock.sleep(pollInterval)
  }
  if (!reply) return { id, result }
  // A failed message sends nothing (its outbox is dropped), so no reply can follow it: say so now, not at the timeout.
  if (result.Error !== undefined) throw new ProcessError(send.process, id, result.Error)

  const matches = toPredicate(reply.match)
  start = clock.now()
  for (;;) {
    const page = await client.transport.results({ process: reply.process, from: cursor, sort: 'ASC' })
    for (const edge of page.edges) {
      const found = edge.node.Messages?.find(matches)
      if (found) return { id, result, reply: found }
      cursor = edge.cursor
    }
    // A full page may have more behind it: read on before waiting.
    if (page.edges.length > 0) continue
    if (clock.now() - start >= timeout) throw new ReplyTimeoutError(id, reply.process, timeout)
    await clock.sleep(pollInterval)
  }
}

function toPredicate(pattern: ReplyPattern): (message: OutboxMessage) => boolean {
  if (typeof pattern === 'function') return pattern
  return (message) =>
    Object.entries(pattern).every(([name, value]) => {
      if (name === 'Target' || name === 'Data' || name === 'Anchor') return String(message[name]) === value
      return message.Tags.some((tag) => tag.name === name && String(tag.value) === value)
    })
}
