// Reads the HyperBEAM paths the devnet serves (hyperbeam-api.md §5) into what they ask for. A HyperBEAM path is a
// chain of keys; a segment may carry parameters as `key=value&key=value`. Only the shapes stock aoconnect (mainnet
// mode) and state readers send are understood; anything else is not a HyperBEAM route here (undefined: 404).
import { MAX_TAGS, MAX_TAG_NAME_BYTES, MAX_TAG_VALUE_BYTES } from '../../sdk/validation/limits.js'
import { BadRequestError } from './errors.js'

type Tag = { name: string; value: string }

export type HyperbeamRequest =
  | { kind: 'info'; field: 'address' | undefined }
  | { kind: 'push' }
  | { kind: 'process-push'; process: string }
  /** `at`: a slot (from 0) or a message id; undefined for the latest slot. */
  | { kind: 'result'; process: string; at: Slot | undefined }
  | { kind: 'current-slot'; process: string }
  | { kind: 'dryrun'; process: string; tags: Tag[] }
  /** The published (patch@1.0) state, or the value at `keys` inside it. */
  | { kind: 'state'; process: string; keys: string[] }

export type Slot = { slot: number } | { message: string }

const PROCESS_DEVICE = '~process@1.0'
const JSON_CODEC = 'serialize~json@1.0'
const ID = /^[A-Za-z0-9_-]{43}$/
const encoder = new TextEncoder()

/**
 * @param parts decoded path segments; `query` the decoded query (HyperBEAM reads it as more parameters).
 * @throws {BadRequestError} a HyperBEAM route with a bad slot, process id or dry-run tag.
 */
export function parseHyperbeamPath(parts: readonly string[], query: ReadonlyMap<string, string>): HyperbeamRequest | undefined {
  const [first, ...rest] = parts
  if (first === undefined) return undefined
  if (first === '~meta@1.0') {
    if (rest.length === 1 && rest[0] === 'info') return { kind: 'info', field: undefined }
    if (rest.length === 2 && rest[0] === 'info' && rest[1] === 'address') return { kind: 'info', field: 'address' }
    return undefined
  }
  if (first === 'push' && rest.length === 0) return { kind: 'push' }

  let process: string
  if (first.endsWith(PROCESS_DEVICE)) {
    process = first.slice(0, -PROCESS_DEVICE.length)
    if (!ID.test(process)) throw new BadRequestError('bad-process', `path: ${JSON.stringify(process)} is not a process id (43 base64url characters)`)
  } else if (ID.test(first) && rest.length > 0) {
    // The bare `/{pid}/…` form aoconnect's `results` uses; `/{pid}` alone stays the gateway's item read.
    process = first
  } else {
    return undefined
  }

  if (rest.length === 1 && rest[0] === 'push') return { kind: 'process-push', process }
  if (rest.length === 2 && rest[0] === 'slot' && rest[1] === 'current') return { kind: 'current-slot', process }
  if (rest.length >= 2 && rest[0] === 'as=execution') {
    const [head, ...pairs] = rest[1]!.split('&')
    if (head !== 'compute') return undefined
    // aoconnect 0.0.98 puts tag values in the path unescaped, so a `/` in one splits it: say so, not 404.
    if (rest.length > 2) throw new BadRequestError('bad-tag', 'path: a dry-run tag value holds "/", which splits the path (aoconnect does not escape it); percent-encode it as %2F')
    return { kind: 'dryrun', process, tags: dryrunTags(pairs, query) }
  }
  if (rest.length === 0) return undefined

  const [head, ...params] = rest[0]!.split('&')
  const [key, value] = splitPair(head!)
  if (key !== 'compute' && key !== 'now') return undefined
  if (key === 'now' && value !== undefined) throw new BadRequestError('bad-slot', 'now: takes no slot; use compute=N for a past slot')
  const named = value ?? params.map(splitPair).find(([k]) => k === 'slot')?.[1] ?? query.get('slot') ?? query.get('compute')
  const at = named === undefined ? undefined : parseSlot(named)
  const next = rest.slice(1)
  const [nextKey, resultsAt] = next.length > 0 ? splitPair(next[0]!) : [undefined, undefined]
  if (nextKey === 'results') {
    if (next.length > 2 || (next.length === 2 && next[1] !== JSON_CODEC)) return undefined
    // aoconnect 0.0.98 names the slot (or message) it wants as `compute/results=N`. HyperBEAM itself would read
    // that as `compute` (no slot: the latest state) then its `results`, so a result of an older message would be
    // the latest one; the devnet serves slot N, which is what the caller means.
    return { kind: 'result', process, at: resultsAt === undefined ? at : parseSlot(resultsAt) }
  }
  if (at !== undefined) {
    if (next.length > 0 && !(next.length === 1 && next[0] === JSON_CODEC)) {
      throw new BadRequestError('no-history', 'path: the devnet keeps the published state at the latest slot only; read /now/… or /compute/… without a slot')
    }
    return { kind: 'result', process, at }
  }
  if (params.length > 0) return undefined
  const keys = next.at(-1) === JSON_CODEC ? next.slice(0, -1) : next
  return { kind: 'state', process, keys }
}

/** `key=value` → [key, value]; `key` → [key, undefined]. */
function splitPair(text: string): [string, string | undefined] {
  const equals = text.indexOf('=')
  return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)]
}

/** A slot (an integer from 0; -1, the state before any message, has no result) or a message id. */
function parseSlot(text: string): Slot {
  if (ID.test(text)) return { message: text }
  if (/^-?\d{1,15}$/.test(text)) {
    const slot = Number(text)
    if (slot >= -1) return { slot }
  }
  throw new BadRequestError('bad-slot', `slot: must be an integer from -1 or a message id, got ${JSON.stringify(text.slice(0, 80))}`)
}

/** The dry-run's tags: the path's `K=V` pairs, then the query's; a repeated name keeps its last value (as aoconnect). */
function dryrunTags(pairs: string[], query: ReadonlyMap<string, string>): Tag[] {
  const tags = new Map<string, string>()
  for (const pair of pairs) {
    const [name, value] = splitPair(pair)
    if (value === undefined) throw new BadRequestError('bad-tag', `path: dry-run parameter ${JSON.stringify(name.slice(0, 80))} has no value (expected K=V)`)
    tags.delete(name)
    tags.set(name, value)
  }
  for (const [name, value] of query) {
    tags.delete(name)
    tags.set(name, value)
  }
  if (tags.size > MAX_TAGS) throw new BadRequestError('too-many-tags', `tags: ${tags.size} tags; the limit is ${MAX_TAGS}`)
  for (const [name, value] of tags) {
    const nameBytes = encoder.encode(name).byteLength
    if (nameBytes === 0 || nameBytes > MAX_TAG_NAME_BYTES) throw new BadRequestError('bad-tag', `tags: a name is ${nameBytes} bytes; it must be 1 to ${MAX_TAG_NAME_BYTES}`)
    if (encoder.encode(value).byteLength > MAX_TAG_VALUE_BYTES) throw new BadRequestError('bad-tag', `tags.${name}: the value is over ${MAX_TAG_VALUE_BYTES} bytes`)
  }
  return [...tags].map(([name, value]) => ({ name, value }))
}
