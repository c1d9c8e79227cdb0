// The SU's JSON: a scheduled message with its assignment, as `GET /su/{msgId}` and `GET /su/{pid}` pages show it.
import type { Devnet } from './devnet.js'
import type { Evaluation } from './devnetStore.js'

type Tag = { name: string; value: string }

/** `{ message, assignment }` for one scheduled message. */
export function scheduledMessage(devnet: Devnet, evaluation: Evaluation) {
  const m = evaluation.message as Record<string, unknown>
  const assignmentTags: Tag[] = [
    { name: 'Process', value: evaluation.process },
    { name: 'Epoch', value: String(m.Epoch ?? 0) },
    { name: 'Nonce', value: String(evaluation.nonce) },
    { name: 'Timestamp', value: String(evaluation.timestamp) },
    { name: 'Block-Height', value: String(m['Block-Height'] ?? '') },
    { name: 'Hash-Chain', value: String(m['Hash-Chain'] ?? '') },
    { name: 'Message', value: String(evaluation.messageId) },
  ]
  return {
    message: {
      id: evaluation.messageId,
      owner: { address: m.Owner },
      target: m.Target,
      anchor: m.Anchor ?? '',
      tags: m.Tags as Tag[],
      data: m.Data ?? '',
    },
    assignment: {
      id: `${evaluation.process}/${evaluation.nonce}`,
      owner: { address: devnet.scheduler },
      tags: assignmentTags,
      data: '',
    },
  }
}

/**
 * Where a history page starts or ends: a bare timestamp (ms, as AO's SU and CU pass it) or an edge's exact
 * cursor. Many messages can share one timestamp, so a timestamp alone cannot say where a page ended.
 */
export type SuCursor = { timestamp: number; nonce?: number }

/** An edge's cursor, `<timestamp>-<nonce>`: unique, and increasing along the history as both parts are. */
export function suCursorOf(evaluation: Evaluation): string {
  return `${evaluation.timestamp}-${evaluation.nonce}`
}

/** Reads a cursor or a bare timestamp; undefined when it is neither. */
export function parseSuCursor(text: string): SuCursor | undefined {
  const match = /^(\d{1,16})(?:-(\d{1,16}))?$/.exec(text)
  if (!match) return undefined
  const timestamp = Number(match[1])
  const nonce = match[2] === undefined ? undefined : Number(match[2])
  if (!Number.isSafeInteger(timestamp) || (nonce !== undefined && !Number.isSafeInteger(nonce))) return undefined
  return nonce === undefined ? { timestamp } : { timestamp, nonce }
}

/** A page of a process's history: edges with their cursors, and whether more follow. */
export function assignmentPage(devnet: Devnet, rows: Evaluation[], limit: number) {
  return {
    page_info: { has_next_page: rows.length > limit },
    edges: rows.slice(0, limit).map((evaluation) => ({ cursor: suCursorOf(evaluation), node: scheduledMessage(devnet, evaluation) })),
  }
}
