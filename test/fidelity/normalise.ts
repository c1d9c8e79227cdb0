// Puts a result into the form the fidelity comparison uses. Only two things are normalised, each because it
// cannot or need not be reproduced exactly; everything else (tag names and values, Anchors, Data, Output text,
// error locations and traceback lines, aos's own chunks included, which messages error) must be equal as it is.
//   1. ANSI colour codes are stripped from every string.
//   2. Tags of outgoing messages and spawns are sorted by name then value: aos appends a message's extra fields as
//      tags in pairs() order, which no other Lua implementation reproduces.
// Line numbers inside aos's own chunks (`[string ".handlers"]:723:`) are compared as they are: aokit reports aos's
// lines for the runtime code it mirrors (`--@aos N` marks, harness/vm/runtimeImage.ts).

const ANSI = /\u001b\[[0-9;]*m/g
// Eval's `test` field is a Dump of the print log, where the same codes and prefixes appear escaped (\27[32m, \").
const ESCAPED_ANSI = /\\27\[[0-9;]*m/g

export function normaliseText(text: string): string {
  return text.replace(ANSI, '').replace(ESCAPED_ANSI, '')
}

function normaliseStrings(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value)
  if (Array.isArray(value)) return value.map(normaliseStrings)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseStrings(v)]))
  }
  return value
}

interface TagLike {
  name?: unknown
  value?: unknown
}

const sortKey = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')
// Code-unit order, not localeCompare: the order must not depend on the machine's locale.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function sortTags(tags: unknown): unknown {
  if (!Array.isArray(tags)) return tags
  return [...(tags as TagLike[])].sort(
    (a, b) => compare(sortKey(a?.name), sortKey(b?.name)) || compare(sortKey(a?.value), sortKey(b?.value)),
  )
}

function sortOutboxTags(list: unknown): unknown {
  if (!Array.isArray(list)) return list
  return list.map((m) => (m && typeof m === 'object' && 'Tags' in m ? { ...m, Tags: sortTags((m as TagLike & { Tags: unknown }).Tags) } : m))
}

/** The comparable form of one evaluation result (a JSON copy, so fields set to undefined count as absent). */
export function normalise(result: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(result ?? {})) as Record<string, unknown>
  const out = normaliseStrings(copy) as Record<string, unknown>
  if ('Messages' in out) out.Messages = sortOutboxTags(out.Messages)
  if ('Spawns' in out) out.Spawns = sortOutboxTags(out.Spawns)
  return out
}
