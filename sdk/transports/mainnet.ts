// A transport speaking AO mainnet's HyperBEAM HTTP API (specs/hyperbeam-api.md) directly, with the client's own
// signed ANS-104 items, as legacy.ts speaks the MU/CU's.
//
// Why not aoconnect's mainnet mode: it turns every failure into a fixed string (status and body lost) and signs
// its own requests, so the id of what was sent is not the item's. Here the item's bytes go as they are signed
// (a retry re-sends the same bytes, so it cannot make a second message), and every failure is a typed error.
// Global fetch only (through http.ts): browser-safe.
import { ResultNotFoundError } from '../actions/errors.js'
import { HttpError, InvalidTagError } from '../errors.js'
import type { AoResult, DryrunRequest, ResultsPage, SignedDataItem, SpawnDefaults, Tag, Transport } from '../types.js'
import { responseError, UnsupportedOperationError } from './errors.js'
import { requireTarget } from './requireTarget.js'
import { createHttp, type HttpOptions, type RetryOptions } from './http.js'

export type MainnetTransportOptions = {
  /** The HyperBEAM node, e.g. https://push.forward.computer */
  url: string
  retry?: RetryOptions
  /** Per-attempt timeout in ms (default 30 s). */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
  /** Injectable so tests wait no real time between retries. */
  sleep?: HttpOptions['sleep']
}

/**
 * A page of results as HyperBEAM serves them: at most the latest slot's result. The node has no ranged results
 * call, so `from` / `to` / `limit` only filter that one edge (a page after it is empty) and `sort` changes nothing.
 */
export type MainnetResultsPage = ResultsPage & { latestOnly: true }

/** The mainnet transport: a Transport whose message also tells the slot the node scheduled it at. */
export type MainnetTransport = Transport & {
  /** `id` is the item's id (what result() takes); `slot` the process's slot it was scheduled at. */
  message(item: SignedDataItem): Promise<{ id: string; slot: number }>
  results(params: Parameters<Transport['results']>[0]): Promise<MainnetResultsPage>
}

/** Device tags a HyperBEAM Process item carries (as aoconnect's mainnet mode adds them). */
const PROCESS_DEVICE_TAGS: Tag[] = [
  { name: 'device', value: 'process@1.0' },
  { name: 'scheduler-device', value: 'scheduler@1.0' },
  { name: 'push-device', value: 'push@1.0' },
  { name: 'execution-device', value: 'genesis-wasm@1.0' },
]

const ITEM_HEADERS = { 'Content-Type': 'application/ans104', 'codec-device': 'ans104@1.0', Accept: 'application/json' }

/** The legacy transport's dry-run Data default, so a dry-run sees the same message on both networks. */
const DRYRUN_DEFAULT_DATA = '1234'

/**
 * HyperBEAM's own path syntax, which it reads after percent-decoding (`&` `=` split parameters, `~` names a
 * device) or may (`/`): no escape carries them. Anything else is percent-encoded.
 */
const PATH_SYNTAX = /[/&=~]/
/** HyperBEAM refuses a longer path segment. */
const MAX_SEGMENT_BYTES = 512

type Answer = { slot?: number; process?: string; id?: string; raw?: AoResult; results?: { raw?: AoResult } }

export function mainnet(options: MainnetTransportOptions): MainnetTransport {
  const http = createHttp({ fetch: options.fetch, timeoutMs: options.timeoutMs, retry: options.retry, sleep: options.sleep })
  const node = options.url.replace(/\/+$/, '')
  const processUrl = (process: string) => `${node}/${encodeURIComponent(process)}~process@1.0`
  let address: Promise<string> | undefined

  /** The node's address: its scheduler and the signer of what it pushes. Asked once; a failure is asked again. */
  function nodeAddress(): Promise<string> {
    address ??= http.request({ method: 'GET', url: `${node}/~meta@1.0/info/address` }).then(
      (response) => {
        const text = response.text.trim()
        if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw responseError(response.status, response.url, response.text, { reason: 'Not a node address' })
        return text
      },
      (error: unknown) => {
        address = undefined
        throw error
      },
    )
    return address
  }

  const pushItem = (url: string, item: SignedDataItem) => http.json<Answer>({ method: 'POST', url, headers: ITEM_HEADERS, body: item.raw })

  /** A computed result from an answer; a 2xx without one is an HttpError, never an empty result. */
  function rawOf(answer: Answer, url: string): AoResult {
    const raw = answer.raw ?? answer.results?.raw
    if (!raw || typeof raw !== 'object') throw responseError(200, url, JSON.stringify(answer), { reason: 'No result in the answer' })
    return raw
  }

  const unsupported = (operation: string) => async (): Promise<never> => {
    throw new UnsupportedOperationError('mainnet', operation, "HyperBEAM's push API has no such call; the node schedules and pushes itself.")
  }

  return {
    name: 'mainnet',

    async spawnDefaults(): Promise<SpawnDefaults> {
      const self = await nodeAddress()
      return { scheduler: self, authority: self, tags: PROCESS_DEVICE_TAGS }
    },

    async spawn(item) {
      const answer = await pushItem(`${node}/push`, item)
      // A process id is its Process item's id; the node says so in `process`.
      return { id: typeof answer.process === 'string' ? answer.process : item.id }
    },

    async message(item) {
      const url = `${processUrl(requireTarget(item, 'message'))}/push`
      const answer = await pushItem(url, item)
      if (typeof answer.slot !== 'number') throw responseError(200, url, JSON.stringify(answer).slice(0, 500), { reason: 'No slot in the answer' })
      return { id: item.id, slot: answer.slot }
    },

    async result({ process, message }) {
      const url = `${processUrl(process)}/compute/results=${encodeURIComponent(message)}`
      try {
        return rawOf(await http.json<Answer>({ method: 'POST', url, headers: { Accept: 'application/json' } }), url)
      } catch (error) {
        // As on every transport, so sendAndWait polls on.
        if (error instanceof HttpError && error.status === 404) throw new ResultNotFoundError(process, message, { cause: error })
        throw error
      }
    },

    async results({ process, from, to, limit }) {
      const current = await http.request({ method: 'POST', url: `${processUrl(process)}/slot/current` })
      const slot = Number(current.text.trim())
      if (!Number.isInteger(slot)) throw responseError(current.status, current.url, current.text, { reason: 'Not a slot' })
      const wanted = slot >= 0 && limit !== 0 && (from === undefined || slot > Number(from)) && (to === undefined || slot <= Number(to))
      if (!wanted) return { edges: [], latestOnly: true }
      const url = `${processUrl(process)}/compute/results=${slot}`
      const node = rawOf(await http.json<Answer>({ method: 'POST', url, headers: { Accept: 'application/json' } }), url)
      return { edges: [{ cursor: String(slot), node }], latestOnly: true }
    },

    async dryrun(request: DryrunRequest) {
      const pairs = dryrunPath(request.tags)
      const url = `${processUrl(request.process)}/as=execution/compute${pairs}`
      const data = request.data || DRYRUN_DEFAULT_DATA
      // HyperBEAM takes the asker from a signed item; without a signer the node decides who asks.
      const item = request.sign ? await request.sign({ target: request.process, tags: request.tags, data: new TextEncoder().encode(data) }) : undefined
      const answer = await http.json<Answer>({ method: 'POST', url, headers: ITEM_HEADERS, body: item?.raw })
      return rawOf(answer, url)
    },

    assign: unsupported('assign'),
    monitor: unsupported('monitor'),
    unmonitor: unsupported('unmonitor'),
  }
}

/**
 * `&K1=V1&K2=V2`: HyperBEAM takes a dry-run's tags from the path only. A name or value holding path syntax
 * would change the request, so it is refused naming the tag rather than sent as something else.
 */
function dryrunPath(tags: Tag[]): string {
  const encoder = new TextEncoder()
  let path = 'compute'
  for (const { name, value } of tags) {
    for (const [part, text] of [['name', name], ['value', value]] as const) {
      if (PATH_SYNTAX.test(text)) throw new InvalidTagError({ name, pathPart: part, text })
    }
    path += `&${encodeURIComponent(name)}=${encodeURIComponent(value)}`
  }
  const bytes = encoder.encode(path).byteLength
  if (bytes > MAX_SEGMENT_BYTES) {
    throw new InvalidTagError({ pathBytes: bytes, limit: MAX_SEGMENT_BYTES, names: tags.map((tag) => tag.name) })
  }
  return path.slice('compute'.length)
}
