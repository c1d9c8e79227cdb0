// A small fetch wrapper for the HTTP transports: per-request timeout, retries with exponential backoff, typed errors.
// Global `fetch` only — the SDK bundles for browsers, so no Node built-ins here.
import { ComputeUnitBusyError, NetworkError, responseError, TimeoutError } from './errors.js'

export type RetryOptions = {
  /** Total tries, the first included (default 4). 1 means no retry. */
  attempts?: number
  /** Delay before the 2nd try; doubled before each next one (default 250 ms). */
  baseDelayMs?: number
  /** Upper bound on one delay (default 10 s). */
  maxDelayMs?: number
}

export type HttpOptions = {
  fetch?: typeof globalThis.fetch
  /** Per-attempt timeout covering the answer's headers and body (default 30 s). */
  timeoutMs?: number
  retry?: RetryOptions
  /** Injectable so tests wait no real time. */
  sleep?: (ms: number) => Promise<void>
}

export type HttpRequest = {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers?: Record<string, string>
  /**
   * Sent unchanged on every attempt: a retried MU POST resends the same signed bytes (same item id), so the MU
   * sees one message however many times the network drops the answer.
   */
  body?: Uint8Array | string
  /** A CU read: 202 means "busy, ask again", not success. MU writes answer 202 on success, so they leave this off. */
  busyOn202?: boolean
}

export type HttpResponse = { status: number; url: string; text: string }

export type Http = {
  request(request: HttpRequest): Promise<HttpResponse>
  /** `request`, then parse the body as JSON (an unparsable body is an HttpError carrying it). */
  json<T>(request: HttpRequest): Promise<T>
}

const DEFAULTS = { attempts: 4, baseDelayMs: 250, maxDelayMs: 10_000, timeoutMs: 30_000 }

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** 429 (rate limit) and 5xx are worth another try; other 4xx would fail the same way again. */
const retryableStatus = (status: number) => status === 429 || status >= 500

/** A failure of one attempt, and whether another attempt may help. */
type Failure = { error: Error; retry: boolean }

export function createHttp(options: HttpOptions = {}): Http {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const sleep = options.sleep ?? defaultSleep
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs
  const attempts = Math.max(1, options.retry?.attempts ?? DEFAULTS.attempts)
  const baseDelayMs = options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs
  const maxDelayMs = options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs

  async function attempt(request: HttpRequest, tries: number): Promise<HttpResponse | Failure> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const response = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        signal: controller.signal,
      })
      const text = await response.text()
      const { status } = response
      if (status === 202 && request.busyOn202) return { error: new ComputeUnitBusyError(request.url, tries, text), retry: true }
      if (status < 200 || status >= 300) {
        return { error: responseError(status, request.url, text, { attempts: tries }), retry: retryableStatus(status) }
      }
      return { status, url: request.url, text }
    } catch (cause) {
      if (controller.signal.aborted) return { error: new TimeoutError(request.url, timeoutMs, { cause }), retry: true }
      return { error: new NetworkError(request.url, { cause }), retry: true }
    } finally {
      clearTimeout(timer)
    }
  }

  async function request(request: HttpRequest): Promise<HttpResponse> {
    for (let tries = 1; ; tries++) {
      const outcome = await attempt(request, tries)
      if (!('error' in outcome)) return outcome
      if (!outcome.retry || tries >= attempts) throw outcome.error
      await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (tries - 1)))
    }
  }

  return {
    request,
    async json<T>(req: HttpRequest): Promise<T> {
      const response = await request(req)
      try {
        return JSON.parse(response.text) as T
      } catch (cause) {
        throw responseError(response.status, response.url, response.text, { cause, reason: 'Not JSON' })
      }
    },
  }
}
