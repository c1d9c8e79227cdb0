// A transport speaking the legacy MU/CU HTTP API (ao-wire.md, "Legacy HTTP protocol") directly.
//
// Why not wrap aoconnect's legacy mode: aoconnect does not check HTTP status on result and dry-run, so a busy
// CU's 202 or a 500 body comes back as if it were a result (ao-wire.md #495); and it has no retries, while we
// need retries that resend the SAME signed item (same bytes, same id) so a retry can never create a second
// message. Here every non-2xx answer becomes a typed error (sdk/transports/errors.ts) after `http.ts`'s retries.
import type { AoResult, DryrunRequest, ResultsPage, SignedDataItem, Transport } from '../types.js'
import { ResultNotFoundError } from '../actions/errors.js'
import { HttpError } from '../errors.js'
import { requireTarget } from './requireTarget.js'
import { createHttp, type HttpOptions, type RetryOptions } from './http.js'

export type LegacyTransportOptions = {
  muUrl: string
  cuUrl: string
  /**
   * Accepted for parity with aoconnect's legacy mode; not used yet. aoconnect asks the gateway's GraphQL whether
   * a spawn's module is an ao Module; this transport leaves that check to the MU.
   */
  gatewayUrl?: string
  retry?: RetryOptions
  /** Per-attempt timeout in ms (default 30 s). */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
  /** Injectable so tests wait no real time between retries. */
  sleep?: HttpOptions['sleep']
}

const OCTETS = { 'Content-Type': 'application/octet-stream', Accept: 'application/json' }

/** aoconnect's dry-run defaults for fields the request leaves out. */
const DRYRUN_DEFAULT_ID = '1234'
const DRYRUN_DEFAULT_DATA = '1234'
const DRYRUN_DEFAULT_ANCHOR = '0'

export function legacy(options: LegacyTransportOptions): Transport {
  const http = createHttp({ fetch: options.fetch, timeoutMs: options.timeoutMs, retry: options.retry, sleep: options.sleep })
  const mu = trimSlash(options.muUrl)
  const cu = trimSlash(options.cuUrl)

  /** POST the raw item to the MU; the id is the item's own, known before sending, so a retry cannot change it. */
  async function post(item: SignedDataItem): Promise<{ id: string }> {
    await http.json<{ id?: string }>({ method: 'POST', url: mu, headers: OCTETS, body: item.raw })
    return { id: item.id }
  }

  return {
    name: 'legacy',

    async message(item) {
      requireTarget(item, 'message')
      return post(item)
    },

    // A process id is its spawn item's id.
    spawn: post,

    async result({ process, message }) {
      const url = `${cu}/result/${encodeURIComponent(message)}${query({ 'process-id': process })}`
      try {
        return await http.json<AoResult>({ method: 'GET', url, busyOn202: true })
      } catch (error) {
        // A unit that does not know the message yet: the same error as every transport, so sendAndWait polls on.
        if (error instanceof HttpError && error.status === 404) throw new ResultNotFoundError(process, message, { cause: error })
        throw error
      }
    },

    async results({ process, from, to, limit, sort }) {
      const url = `${cu}/results/${encodeURIComponent(process)}${query({ from, to, sort, limit: limit?.toString() })}`
      return http.json<ResultsPage>({ method: 'GET', url, busyOn202: true })
    },

    async dryrun(request: DryrunRequest) {
      const body = {
        Id: request.id ?? DRYRUN_DEFAULT_ID,
        Owner: request.owner ?? DRYRUN_DEFAULT_ID,
        Target: request.process,
        Data: request.data || DRYRUN_DEFAULT_DATA,
        Tags: request.tags,
        Anchor: request.anchor || DRYRUN_DEFAULT_ANCHOR,
      }
      const url = `${cu}/dry-run${query({ 'process-id': request.process })}`
      return http.json<AoResult>({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), busyOn202: true })
    },

    async assign({ process, message, baseLayer, exclude }) {
      // `base-layer` is a bare flag on the wire, so the query is built by hand rather than with URLSearchParams.
      let url = `${mu}${query({ 'process-id': process, assign: message })}`
      if (baseLayer) url += '&base-layer'
      if (exclude?.length) url += `&exclude=${exclude.map(encodeURIComponent).join(',')}`
      const answer = await http.json<{ id: string }>({ method: 'POST', url, headers: OCTETS })
      return { id: answer.id }
    },

    async monitor(item) {
      await http.request({ method: 'POST', url: monitorUrl(mu, item), headers: OCTETS, body: item.raw })
    },

    async unmonitor(item) {
      await http.request({ method: 'DELETE', url: monitorUrl(mu, item), headers: OCTETS, body: item.raw })
    },
  }
}

function monitorUrl(mu: string, item: SignedDataItem): string {
  return `${mu}/monitor/${encodeURIComponent(requireTarget(item, 'monitor'))}`
}

/** `?a=1&b=2` from the defined entries, in order; '' when none. */
function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
