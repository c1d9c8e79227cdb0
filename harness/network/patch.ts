// patch@1.0 (HyperBEAM dev_patch): an outbox message addressed to the patch device is not delivered; its fields
// are merged into the state the process publishes for readers (`GET /{pid}~process@1.0/now/cache/...`).
//
// What aokit reads from such a message (aos 2.0.6 puts every non-standard field of Send into Tags, and a
// table-valued field arrives in JS as the JSON object or array aos encoded it as):
// - it is a patch when a tag named `device` (any case) is `patch@1.0`, or one named `method` is `PATCH` (any case);
// - its fields are its tags minus the ones aos or the device add (META below); Target, Data and Anchor are ignored;
// - a tag name is lower-cased, as an HTTP path is; keys inside a table are kept as written (addresses are
//   case-sensitive), so a reader should use lower-case names for what it looks up by path;
// - `patch-to` (a `/`-separated path, lower-cased) says where the fields go; absent or `/`: the root;
// - tables merge key by key, at any depth; any other value replaces; an empty string removes the key (ar.io
//   removes balances this way); an empty Lua table (encoded `[]`) merges as an empty table; a non-empty list
//   replaces whole.
import type { AoOutboxMessage } from '../vm/processVm.js'

/** What a process has published: plain JSON. Never mutated in place, so a snapshot can hold it by reference. */
export type PublishedState = Record<string, unknown>

/** One patch a process applied: the fields, merged at `path` (segments, [] for the root). */
export type Patch = { path: string[]; fields: Record<string, unknown> }

/** Tags that say how to patch, or that aos puts on every message: not published. */
const META = new Set(['device', 'method', 'patch-to', 'data-protocol', 'variant', 'type', 'reference'])

type Table = Record<string, unknown>

const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value)
const isEmptyList = (value: unknown) => Array.isArray(value) && value.length === 0

/** Whether an outbox message is addressed to patch@1.0 (so the network must not deliver it). */
export function isPatch(outbox: AoOutboxMessage): boolean {
  return (Array.isArray(outbox.Tags) ? outbox.Tags : []).some((tag) => {
    if (typeof tag !== 'object' || tag === null) return false
    const name = String(tag.name).toLowerCase()
    const value = String(tag.value)
    return (name === 'device' && value.toLowerCase() === 'patch@1.0') || (name === 'method' && value.toUpperCase() === 'PATCH')
  })
}

/** The patch an outbox message asks for (see the rules above); the values are copies, not the result's own. */
export function patchOf(outbox: AoOutboxMessage): Patch {
  const fields: Table = {}
  let path: string[] = []
  for (const tag of Array.isArray(outbox.Tags) ? outbox.Tags : []) {
    if (typeof tag !== 'object' || tag === null || tag.value === undefined || tag.value === null) continue
    const name = String(tag.name).toLowerCase()
    if (name === 'patch-to') path = pathOf(String(tag.value))
    // Same name twice (after lower-casing): the last wins, as duplicate tags do on a data item.
    else if (!META.has(name)) set(fields, name, structuredClone(tag.value))
  }
  return { path, fields }
}

/** `/a/B/` → ['a', 'b']. */
function pathOf(text: string): string[] {
  return text
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.toLowerCase())
}

/** The state after a patch: a new object; unchanged branches are shared with the old state. */
export function applyPatch(state: PublishedState, patch: Patch): PublishedState {
  return at(state, patch.path, patch.fields)
}

function at(base: unknown, path: string[], fields: Table): Table {
  if (path.length === 0) return merge(base, fields)
  const [head, ...rest] = path
  const copy: Table = isTable(base) ? { ...base } : {}
  set(copy, head, at(copy[head], rest, fields))
  return copy
}

function merge(base: unknown, fields: Table): Table {
  const copy: Table = isTable(base) ? { ...base } : {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === '') delete copy[key]
    else if (isTable(value) || isEmptyList(value)) set(copy, key, merge(copy[key], isTable(value) ? value : {}))
    else set(copy, key, value)
  }
  return copy
}

/** Sets an own property even for a key like `__proto__`, which plain assignment would treat as the prototype. */
function set(table: Table, key: string, value: unknown): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The fields of a patch placed at its path: what a reader of the whole state sees it change. */
export function patchView(patch: Patch): Table {
  return patch.path.reduceRight<Table>((inner, segment) => {
    const outer: Table = {}
    set(outer, segment, inner)
    return outer
  }, patch.fields)
}

/** Short names of what a patch touches, for traces: its path plus up to two levels of keys (`cache.balances`). */
export function patchLabels(patch: Patch): string[] {
  const prefix = patch.path.length ? patch.path.join('.') + '.' : ''
  return Object.entries(patch.fields).flatMap(([key, value]) => {
    const keys = isTable(value) ? Object.keys(value) : []
    return keys.length ? keys.map((inner) => `${prefix}${key}.${inner}`) : [`${prefix}${key}`]
  })
}
