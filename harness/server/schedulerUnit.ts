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

/** A page of a process's history: edges by timestamp cursor, and whether more follow. */
export function assignmentPage(devnet: Devnet, rows: Evaluation[], limit: number) {
  return {
    page_info: { has_next_page: rows.length > limit },
    edges: rows.slice(0, limit).map((evaluation) => ({ cursor: String(evaluation.timestamp), node: scheduledMessage(devnet, evaluation) })),
  }
}
