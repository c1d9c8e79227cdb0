// Query parameters the MU, CU and SU routes share: required ids, result cursors, page sizes, SU cursors.
import { BadRequestError } from './errors.js'
import { parseSuCursor, type SuCursor } from './schedulerUnit.js'

export type Query = ReadonlyMap<string, string>

const DEFAULT_PAGE = 25
const MAX_PAGE = 1000

/** aoconnect sends `from=undefined` for a parameter it was not given. */
const absent = (value: string | undefined): value is undefined | '' | 'undefined' => value === undefined || value === '' || value === 'undefined'

/** @throws {BadRequestError} `missing-parameter`. */
export function required(query: Query, name: string): string {
  const value = query.get(name)
  if (!value) throw new BadRequestError('missing-parameter', `${name}: this query parameter is required`)
  return value
}

/** A CU results cursor (an ordinal); undefined when absent. @throws {BadRequestError} `bad-cursor`. */
export function cursor(query: Query, name: string): number | undefined {
  const value = query.get(name)
  if (absent(value)) return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new BadRequestError('bad-cursor', `${name}: must be a non-negative integer cursor, got ${value}`)
  return n
}

/** `limit`, 1 to 1000, default 25. @throws {BadRequestError} `bad-limit`. */
export function pageLimit(query: Query): number {
  const value = query.get('limit')
  if (absent(value)) return DEFAULT_PAGE
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE) throw new BadRequestError('bad-limit', `limit: must be 1 to ${MAX_PAGE}, got ${value}`)
  return n
}

/** An SU cursor: an edge's `cursor` (`<timestamp>-<nonce>`, exact) or a bare timestamp in ms, as AO's SU takes. */
export function suCursor(query: Query, name: 'from' | 'to'): SuCursor | undefined {
  const value = query.get(name)
  if (absent(value)) return undefined
  const parsed = parseSuCursor(value)
  if (!parsed) throw new BadRequestError('bad-cursor', `${name}: must be a timestamp or an SU cursor like 1767225600000-3, got ${value}`)
  return parsed
}
