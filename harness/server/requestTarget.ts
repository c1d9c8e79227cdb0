// Reads a request's target (path and query) strictly: bad percent-encoding is the client's mistake (400), not a
// URIError the router would answer with 500. URL/URLSearchParams are not used because they accept bad escapes
// silently and read `//host/path` as a host.
import { BadRequestError } from './errors.js'

export type RequestTarget = {
  /** The path as sent, for messages. */
  path: string
  /** Decoded, non-empty path segments. */
  parts: string[]
  /** Decoded query parameters; the first of a repeated name wins, as URLSearchParams.get. */
  query: ReadonlyMap<string, string>
}

const SHOWN = 80

/** @throws {BadRequestError} a target that is not a path (or absolute URL), or bad percent-encoding in it. */
export function parseTarget(target: string): RequestTarget {
  let rest = target
  if (/^https?:\/\//i.test(rest)) {
    // Absolute form (RFC 9112 3.2.2): only its path and query matter here.
    const slash = rest.indexOf('/', rest.indexOf('//') + 2)
    rest = slash === -1 ? '/' : rest.slice(slash)
  }
  if (!rest.startsWith('/')) throw new BadRequestError('bad-path', `path: ${show(target)} is not a path`)
  const hash = rest.indexOf('#')
  if (hash !== -1) rest = rest.slice(0, hash)
  const question = rest.indexOf('?')
  const path = question === -1 ? rest : rest.slice(0, question)
  const search = question === -1 ? '' : rest.slice(question + 1)
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((segment) => decode(segment, 'path'))
  const query = new Map<string, string>()
  for (const pair of search.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const name = decode(equals === -1 ? pair : pair.slice(0, equals), 'query')
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1), `query ${show(name)}`)
    if (!query.has(name)) query.set(name, value)
  }
  return { path, parts, query }
}

function decode(text: string, field: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', field === 'path' ? '+' : ' '))
  } catch {
    throw new BadRequestError('bad-encoding', `${field}: ${show(text)} is not valid percent-encoding (UTF-8)`)
  }
}

function show(text: string): string {
  return JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text)
}
