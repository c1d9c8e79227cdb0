// Errors the HTTP transports throw. A failed request is never returned as if it were a result (ao-wire.md #495).
import { AokitError, HttpError } from '../errors.js'

/** How much of a response body an error keeps: enough to read the unit's message, not a whole page. */
const EXCERPT = 500

/** The HttpError for a unit's answer with a status that is not a success (after retries, for retryable ones). */
export function responseError(status: number, url: string, body: string, options: { cause?: unknown; attempts?: number; reason?: string } = {}): HttpError {
  const excerpt = body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body
  const attempts = options.attempts && options.attempts > 1 ? ` after ${options.attempts} attempts` : ''
  return new HttpError(status, `${options.reason ? `${options.reason} (HTTP ${status})` : `HTTP ${status}`} from ${url}${attempts}.`, {
    cause: options.cause,
    details: excerpt || undefined,
    url,
    body: excerpt,
  })
}

/** A request got no complete answer (headers and body) within its per-attempt timeout, on the last attempt. */
export class TimeoutError extends AokitError {
  override name = 'TimeoutError'
  constructor(readonly url: string, readonly timeout: number, options: { cause?: unknown } = {}) {
    super(`No answer from ${url} within ${timeout} ms.`, options)
  }
}

/** A compute unit kept answering 202 ("busy, still evaluating") to a read after every retry. */
export class ComputeUnitBusyError extends AokitError {
  override name = 'ComputeUnitBusyError'
  constructor(readonly url: string, readonly attempts: number, body = '') {
    super(`The compute unit at ${url} was still busy (202) after ${attempts} attempts.`, { details: body.slice(0, EXCERPT) || undefined })
  }
}

/** The request never got an HTTP answer (connection refused, reset, DNS) after every retry. */
export class NetworkError extends AokitError {
  override name = 'NetworkError'
  constructor(readonly url: string, options: { cause?: unknown } = {}) {
    super(`Could not reach ${url}.`, options)
  }
}

/** The transport's protocol has no such operation (e.g. assign or monitor on a HyperBEAM node). */
export class UnsupportedOperationError extends AokitError {
  override name = 'UnsupportedOperationError'
  constructor(readonly transport: string, readonly operation: string, details?: string) {
    super(`The ${transport} transport does not support ${operation}.`, { details })
  }
}
