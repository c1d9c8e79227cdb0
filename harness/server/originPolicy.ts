// Which browser pages may call the devnet. A page's request carries an `Origin` header; anything else (aoconnect
// or the SDK in Node, curl) sends none and is never refused. Allowed without asking: pages served from this
// machine (http(s) on localhost, 127.x.x.x, [::1]: a dApp's dev server) and the devnet's own origin. Any other
// origin is refused (403) on every route, so a public website cannot post messages, dry-run Evals or read
// state through the visitor's browser: a text/plain POST needs no preflight, so answering only preflights
// would not be enough. `cors` adds origins, or '*' for any.
import { AokitError } from '../../sdk/errors.js'

/** A `cors` entry that is not '*', 'null' or an http(s) origin. */
export class InvalidOriginError extends AokitError {
  override name = 'InvalidOriginError'
  constructor(readonly value: string) {
    super(`cors: ${JSON.stringify(value)} is not an origin; expected e.g. https://app.example or http://localhost:5173, 'null' or '*'`)
  }
}

export type OriginPolicy = {
  /** Whether a request with this `Origin` header may be served. */
  allows(origin: string): boolean
}

/**
 * @param cors extra allowed origins: `scheme://host[:port]`, 'null' (file:// and sandboxed pages), or '*' for any.
 * @throws {InvalidOriginError} an entry that is none of these.
 */
export function originPolicy(cors: readonly string[] = []): OriginPolicy & { own: Set<string> } {
  const allowed = new Set(cors.map(normalizeOrigin))
  const own = new Set<string>()
  return {
    own,
    allows(origin) {
      if (allowed.has('*') || allowed.has(origin) || own.has(origin)) return true
      return isLoopbackOrigin(origin)
    },
  }
}

/** An origin as browsers send it (lower-case scheme and host, no default port, no path); '*' and 'null' as is. */
export function normalizeOrigin(value: string): string {
  const text = value.trim()
  if (text === '*' || text === 'null') return text
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidOriginError(value)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new InvalidOriginError(value)
  }
  return url.origin
}

function isLoopbackOrigin(origin: string): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) return false
  const host = url.hostname
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
