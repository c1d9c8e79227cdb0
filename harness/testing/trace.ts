// A readable tree of a send: who sent what to whom, the Action and key tags, errors and (optionally) prints.
// Colours only on a terminal; the plain form is what tests and CI logs see.
import { tagMap, type MessageNode } from '../network/messageTree.js'
import { patchLabels } from '../network/patch.js'

export type TraceOptions = {
  /** ANSI colours (default: when stdout is a terminal). */
  colors?: boolean
  /** Names for ids (process or wallet), shown instead of the raw 43-character id. */
  names?: Record<string, string>
  /** Include what each evaluation printed. */
  prints?: boolean
}

const KEY_TAGS = ['Quantity', 'Recipient', 'Sender', 'Process', 'Error']
const ANSI = /\u001b\[[0-9;]*m/g

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
  return typeof output?.data === 'string' ? output.data.replace(ANSI, '') : ''
}

/** Formats the tree of a send, one line per message, children indented under the message that caused them. */
export function formatTrace(root: MessageNode, options: TraceOptions = {}): string {
  const names = options.names ?? {}
  const c = paint(options.colors ?? Boolean(process.stdout.isTTY))
  const lines: string[] = []
  const visit = (node: MessageNode, prefix: string, last: boolean, depth: number) => {
    const tags = tagMap(node.message)
    const branch = depth === 0 ? '' : prefix + (last ? '└─ ' : '├─ ')
    const action = typeof tags.Action === 'string' ? c.blue(tags.Action) : c.gray('(no Action)')
    const keys = KEY_TAGS.filter((k) => tags[k] !== undefined).map((k) => `${k}=${names[String(tags[k])] ?? String(tags[k])}`)
    const from = shortId(node.message.From, names)
    const to = shortId(node.message.Target, names)
    const error = node.result.Error !== undefined ? ' ' + c.red(`✗ ${String(node.result.Error).replace(ANSI, '').split('\n').filter(Boolean).pop()}`) : ''
    // Limits the network hit here (a loop stopped, spawns refused); a refused node's Error already says it.
    const stops = (node.errors ?? []).filter((e) => e.shortMessage !== node.result.Error).map((e) => ' ' + c.red(`✗ ${e.shortMessage}`)).join('')
    lines.push(`${branch}${from} → ${to} ${action}${keys.length ? ' ' + c.gray(keys.join(' ')) : ''}${error}${stops}`)
    const childPrefix = depth === 0 ? '' : prefix + (last ? '   ' : '│  ')
    if (options.prints) {
      for (const line of printed(node).split('\n').filter(Boolean)) lines.push(`${childPrefix}${c.gray('│ ' + to + ': ')}${line}`)
    }
    // A patch was applied, not delivered: a line of its own (⇢), before the deliveries, as it happened first.
    const patches = node.patches ?? []
    const count = patches.length + node.children.length
    patches.forEach((patch, i) => {
      const labels = patchLabels(patch).map((label) => label.split('.').map((key) => names[key] ?? key).join('.'))
      lines.push(`${childPrefix}${i === count - 1 ? '└─ ' : '├─ '}${to} ⇢ ${c.green('patch')} ${labels.join(' ') || c.gray('(nothing)')}`)
    })
    node.children.forEach((child, i) => visit(child, childPrefix, patches.length + i === count - 1, depth + 1))
  }
  visit(root, '', true, 0)
  return lines.join('\n')
}
