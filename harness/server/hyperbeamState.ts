// Reads a value out of a process's published (patch@1.0) state by the keys of a HyperBEAM path, as
// `GET /{pid}~process@1.0/now/cache/balances/<address>` does.
import { NotFoundError } from './errors.js'

/**
 * The value at `keys` (the whole state for none). A key matches exactly first; failing that, a key equal to it
 * ignoring case, if only one is, since HyperBEAM lower-cases paths but table keys (addresses) keep their case.
 *
 * @throws {NotFoundError} no value at that path.
 */
export function publishedValue(state: Record<string, unknown>, keys: readonly string[]): unknown {
  let value: unknown = state
  for (const [index, key] of keys.entries()) {
    const next = child(value, key)
    if (next === undefined) {
      throw new NotFoundError('unknown-key', `No published value at /${keys.slice(0, index + 1).join('/')}`)
    }
    value = next
  }
  return value
}

function child(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    // HyperBEAM lists are 1-indexed, as Lua's.
    const index = /^\d{1,9}$/.test(key) ? Number(key) : 0
    return index >= 1 ? value[index - 1] : undefined
  }
  const table = value as Record<string, unknown>
  if (Object.hasOwn(table, key)) return table[key]
  const lower = key.toLowerCase()
  const matches = Object.keys(table).filter((k) => k.toLowerCase() === lower)
  return matches.length === 1 ? table[matches[0]!] : undefined
}
