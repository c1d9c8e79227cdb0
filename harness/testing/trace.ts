// A readable tree of a send: who sent what to whom, the Action and key tags, errors and (optionally) prints.
// Colours only on a terminal; the plain form is what tests and CI logs see.
import { tagMap, type MessageNode } from '../network/messageTree.js'
import { errorLocationOf } from './luaLocation.js'
import { isPatch, patchLabels } from '../network/patch.js'
import type { AoOutboxMessage } from '../vm/processVm.js'
import { stripAnsi } from '../ansi.js'

export type TraceOptions = {
  /** ANSI colours (default: when stdout is a terminal). */
  colors?: boolean
  /** Names for ids (process or wallet), shown instead of the raw 43-character id. */
  names?: Record<string, string>
  /** Include what each evaluation printed. */
  prints?: boolean
}

const KEY_TAGS = ['Quantity', 'Recipient', 'Sender', 'Process', 'Error']

function paint(enabled: boolean) {
  const code = (n: number) => (text: string) => (enabled ? `\u001b[${n}m${text}\u001b[0m` : text)
  return { red: code(31), green: code(32), blue: code(34), gray: code(90) }
}

function shortId(id: unknown, names: Record<string, string>): string {
  if (typeof id !== 'string') return '?'
  return names[id] ?? (id.length > 12 ? `${id.slice(0, 5)}…${id.slice(-4)}` : id)
}

function printed(node: MessageNode): string {
  const output = node.result.Output as { data?: unknown } | undefined
  return typeof output?.data === 'string' ? stripAnsi(output.data) : ''
}

/**
 * Formats the tree of a send, one line per message, children indented under the message that caused them.
 * `a → b` is a message b evaluated; `a ⇢ b` one left in a's outbox, not delivered: b is a wallet, or no process
 * of the network (or a loop limit stopped delivery first). `a ⇢ patch` is a patch@1.0 a applied.
 */
export function formatTrace(root: MessageNode, options: TraceOptions = {}): string {
  const names = options.names ?? {}
  const c = paint(options.colors ?? Boolean(process.stdout.isTTY))
  const lines: string[] = []
  // The Action and key tags of a message (names for ids in values).
  const label = (message: { Tags?: { name: string; value: unknown }[] }) => {
    const tags = tagMap(message)
    const action = typeof tags.Action === 'string' ? c.blue(tags.Action) : c.gray('(no Action)')
    const keys = KEY_TAGS.filter((k) => tags[k] !== undefined).map((k) => `${k}=${names[String(tags[k])] ?? String(tags[k])}`)
    return `${action}${keys.length ? ' ' + c.gray(keys.join(' ')) : ''}`
  }
  const visit = (node: MessageNode, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 ? '' : prefix + (last ? '└─ ' : '├─ ')
    const from = shortId(node.message.From, names)
    const to = shortId(node.message.Target, names)
    const error = node.result.Error !== undefined ? ' ' + c.red(`✗ ${stripAnsi(String(node.result.Error)).split('\n').filter(Boolean).pop()}`) : ''
    // Limits the network hit here (a loop stopped, spawns refused); a refused node's Error already says it.
    const stops = (node.errors ?? []).filter((e) => e.shortMessage !== node.result.Error).map((e) => ' ' + c.red(`✗ ${e.shortMessage}`)).join('')
    lines.push(`${branch}${from} → ${to} ${label(node.message)}${error}${stops}`)
    const childPrefix = depth === 0 ? '' : prefix + (last ? '   ' : '│  ')
    // Where a Lua error was raised in the contract files (when a test network loaded them), under its line.
    const located = node.result.Error !== undefined ? errorLocationOf(node.result)?.location : undefined
    if (located !== undefined) lines.push(`${childPrefix}  ${c.red('at ' + located)}`)
    if (options.prints) {
      for (const line of printed(node).split('\n').filter(Boolean)) lines.push(`${childPrefix}${c.gray('│ ' + to + ': ')}${line}`)
    }
    // A patch was applied, not delivered: a line of its own (⇢), before the deliveries, as it happened first.
    const patches = node.patches ?? []
    const branches = deliveryOrder(node)
    const count = patches.length + branches.length
    patches.forEach((patch, i) => {
      const labels = patchLabels(patch).map((label) => label.split('.').map((key) => names[key] ?? key).join('.'))
      lines.push(`${childPrefix}${i === count - 1 ? '└─ ' : '├─ '}${to} ⇢ ${c.green('patch')} ${labels.join(' ') || c.gray('(nothing)')}`)
    })
    branches.forEach((item, i) => {
      const end = patches.length + i === count - 1
      if ('node' in item) visit(item.node, childPrefix, end, depth + 1)
      else lines.push(`${childPrefix}${end ? '└─ ' : '├─ '}${to} ${c.gray('⇢')} ${shortId(item.outbox.Target, names)} ${label(item.outbox)}`)
    })
  }
  visit(root, '', true, 0)
  return lines.join('\n')
}

type Branch = { node: MessageNode } | { outbox: AoOutboxMessage }

/**
 * A node's children with the outbox messages that were not delivered put where they were sent. The network
 * delivers a result's outbox in order, so each delivered child (From the node's process, not a spawn) matches the
 * first unmatched outbox message with its Target; those skipped on the way were not delivered. A spawn notice
 * comes before the outbox; spawns and assignments after it.
 */
function deliveryOrder(node: MessageNode): Branch[] {
  if (node.result.Error !== undefined) return node.children.map((child) => ({ node: child }))
  const self = tagMap(node.message).Type === 'Process' ? node.message.Id : node.message.Target
  const outbox = (Array.isArray(node.result.Messages) ? node.result.Messages : []).filter(
    (m): m is AoOutboxMessage => typeof m === 'object' && m !== null && !isPatch(m),
  )
  const branches: Branch[] = []
  let next = 0
  const skipTo = (end: number) => {
    for (; next < end; next++) branches.push({ outbox: outbox[next]! })
  }
  for (const child of node.children) {
    const tags = tagMap(child.message)
    const fromOutbox = child.message.From === self && tags.Type !== 'Process'
    const match = fromOutbox ? outbox.findIndex((m, i) => i >= next && m.Target === child.message.Target) : -1
    if (match >= 0) {
      skipTo(match)
      next = match + 1
    } else if (!(tags.Action === 'Spawned' && child.message.From !== self)) {
      skipTo(outbox.length)
    }
    branches.push({ node: child })
  }
  skipTo(outbox.length)
  return branches
}
