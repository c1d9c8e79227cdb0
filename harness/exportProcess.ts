// `aokit export`: a process's scheduled history read from a scheduler unit, written as an ao-replay/1 file, so a
// bug seen on a network can be evaluated again locally. Each message is built the way AO's legacy compute unit
// builds it from the SU's page (permaweb/ao servers/cu, ao-su.js mapNode), which is also how the devnet's network
// hands messages to its VM: replaying the file gives the results the network's CU gave.
import { AokitError } from '../sdk/errors.js'
import { AOS_MODULE, AOS_MODULE_TAGS } from '../sdk/constants.js'
import type { ReplayFile, ReplayMessage, ReplayRecord, ReplayTag } from './replay.js'

export type ExportOptions = {
  /** A devnet's root (`http://127.0.0.1:4000`), its SU (`…/su`), or any legacy SU's base URL. */
  url: string
  /** The process id. */
  process: string
  /** Where the module record is asked for (GraphQL); default: the devnet itself, else https://arweave.net. */
  gateway?: string
  fetch?: typeof fetch
  /** Messages per SU page (default 1000, the devnet's maximum). */
  pageSize?: number
  /** Told what the file may lack (no module record found, cron ticks left out). */
  onWarning?: (message: string) => void
}

/** Base of the export's errors. */
export class ExportError extends AokitError {
  override name = 'ExportError'
}

/** The SU holds no such process. */
export class ProcessNotFoundError extends ExportError {
  override name = 'ProcessNotFoundError'
  constructor(
    readonly process: string,
    readonly suUrl: string,
  ) {
    super(`No process ${process} at the scheduler unit ${suUrl}.`, { details: 'Check the id, and that --url names the network the process lives on.' })
  }
}

/** The URL cannot be reached, or what answers there is not a scheduler unit. */
export class SchedulerUnitError extends ExportError {
  override name = 'SchedulerUnitError'
  /** No answer came at all (refused, no such host), as opposed to a wrong one. */
  unreachable = false
  constructor(
    readonly url: string,
    problem: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Cannot read the scheduler unit at ${url}: ${problem}.`, { ...options, details: 'Give --url a devnet (http://127.0.0.1:4000) or a scheduler unit\'s base URL.' })
  }
}

type Tag = ReplayTag
type SuMessage = { id?: unknown; owner?: { address?: unknown }; target?: unknown; anchor?: unknown; tags?: unknown; data?: unknown; signature?: unknown }
type SuNode = { message?: SuMessage | null; assignment?: { tags?: unknown } }
type SuPage = { page_info?: { has_next_page?: unknown }; edges?: { cursor?: unknown; node?: SuNode }[] }

/** The aos module's record on Arweave: used when no gateway answers for the process's module. */
export const AOS_MODULE_RECORD: ReplayRecord = {
  Id: AOS_MODULE,
  Owner: 'QIAkhoYj8dBHO2wCtb_UvvmEjz-u1FRO8HWxChghAZQ',
  Tags: [...AOS_MODULE_TAGS],
}

const PROCESS_ID = /^[A-Za-z0-9_-]{43}$/
const MODULE_QUERY = 'query GetTransactions($transactionIds: [ID!]!) { transactions(ids: $transactionIds) { edges { node { id owner { address } tags { name value } } } } }'

/**
 * Reads the process's whole history from the SU, page by page, and returns it as an ao-replay/1 file.
 *
 * @throws {ProcessNotFoundError} the SU answers 404 for the process, or holds no message of it.
 * @throws {SchedulerUnitError} the URL is unreachable, not http(s), or answers something that is not an SU page.
 * @throws {ExportError} a bad process id, or an assigned on-chain message the gateway cannot give.
 */
export async function exportProcess(options: ExportOptions): Promise<ReplayFile> {
  const fetchFn = options.fetch ?? fetch
  const warn = options.onWarning ?? (() => undefined)
  if (!PROCESS_ID.test(options.process)) throw new ExportError(`Not a process id: ${JSON.stringify(options.process)} (43 base64url characters expected).`)
  const { su, gateway } = await locate(options.url, options.gateway, fetchFn)
  const history = await readHistory(su, options.process, options.pageSize ?? 1000, fetchFn)
  const [first, ...rest] = history
  if (!first) throw new ProcessNotFoundError(options.process, su)
  const process = toMessage(first, options.process, su)
  if (process.Id !== options.process || tagOf(process.Tags, 'Type') !== 'Process') {
    throw new SchedulerUnitError(su, `its history of ${options.process} does not start with the Process message (got ${process.Id})`)
  }
  const moduleId = tagOf(process.Tags, 'Module') ?? AOS_MODULE
  const module = await moduleRecord(moduleId, gateway, fetchFn, warn)
  const messages: ReplayMessage[] = []
  for (const node of rest) messages.push(node.message ? toMessage(node, options.process, su) : await assignedMessage(node, gateway, su, fetchFn))
  // A compute unit makes cron messages itself between scheduled ones; the SU never lists them.
  if (tagOf(process.Tags, 'Cron-Interval') !== undefined) warn(`process ${options.process} has a Cron-Interval: its cron ticks are not in the SU's history, so they are not in the file.`)
  return {
    format: 'ao-replay/1',
    name: `export-${options.process}`,
    description: `Process ${options.process} and its ${rest.length} scheduled messages, read from ${su}`,
    module,
    process,
    messages,
  }
}

/**
 * Where the SU and the gateway are. A URL ending in /su is an SU on the devnet's layout (gateway at its parent);
 * a devnet root says so at `GET /`; anything else is taken as an SU's base URL.
 */
async function locate(url: string, gateway: string | undefined, fetchFn: typeof fetch): Promise<{ su: string; gateway: string }> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new SchedulerUnitError(url, 'not a URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SchedulerUnitError(url, `not an http(s) URL (${parsed.protocol})`)
  const base = url.replace(/\/+$/, '')
  if (parsed.pathname.replace(/\/+$/, '').endsWith('/su')) return { su: base, gateway: gateway ?? base.slice(0, -'/su'.length) }
  const root = await getJson(`${base}/`, base, fetchFn).catch((error: unknown) => {
    // Unreachable is final; any other answer (a 404, HTML) only means this is not a devnet's root.
    if (error instanceof SchedulerUnitError && error.unreachable) throw error
    return undefined
  })
  const isDevnet = typeof root?.body === 'object' && root.body !== null && (root.body as { name?: unknown }).name === 'aokit devnet'
  if (isDevnet) return { su: `${base}/su`, gateway: gateway ?? base }
  return { su: base, gateway: gateway ?? 'https://arweave.net' }
}

async function readHistory(su: string, process: string, pageSize: number, fetchFn: typeof fetch): Promise<SuNode[]> {
  const nodes: SuNode[] = []
  let from: string | undefined
  let lastNonce = -1
  for (;;) {
    // No process-id parameter: on the devnet it turns a process read into a message read.
    const query = new URLSearchParams({ limit: String(pageSize), ...(from === undefined ? {} : { from }) })
    const { status, body } = await getJson(`${su}/${encodeURIComponent(process)}?${query}`, su, fetchFn)
    if (status === 404) throw new ProcessNotFoundError(process, su)
    if (status < 200 || status >= 300) throw new SchedulerUnitError(su, `GET /${process} answered ${status}${errorText(body)}`)
    const page = body as SuPage
    if (typeof page !== 'object' || page === null || !Array.isArray(page.edges)) throw new SchedulerUnitError(su, 'its answer has no edges: not an SU history page')
    for (const edge of page.edges) {
      // A cursor that is a bare timestamp can repeat the last edges of a page; nonces say which are new.
      const nonce = Number(tagOf(assignmentTags(edge.node, su), 'Nonce'))
      if (Number.isFinite(nonce) && nonce <= lastNonce) continue
      if (Number.isFinite(nonce)) lastNonce = nonce
      nodes.push(edge.node!)
    }
    const cursor = page.edges.at(-1)?.cursor
    if (page.page_info?.has_next_page !== true) return nodes
    if (typeof cursor !== 'string' || cursor === from) throw new SchedulerUnitError(su, 'it says more pages follow but gives no new cursor')
    from = cursor
  }
}

/** One SU edge as the compute unit hands it to the module: the message's fields, then the assignment's. */
function toMessage(node: SuNode | undefined, process: string, su: string): ReplayMessage {
  const assignment = assignmentTags(node, su)
  const message = node?.message
  if (!message || typeof message.id !== 'string' || typeof message.owner?.address !== 'string') throw new SchedulerUnitError(su, 'a message has no id or owner address')
  const tags = checkTags(message.tags, su)
  const owner = message.owner.address
  // Forwarded by an MU: Forwarded-By is the MU's wallet (ao's CU mapForwardedBy).
  const forwarded = tags.some((tag) => tag.name === 'From-Process')
  const out: ReplayMessage = {
    Id: message.id,
    Owner: owner,
    From: fromOf(tags, owner),
    ...(forwarded ? { 'Forwarded-By': owner } : {}),
    Target: tagOf(assignment, 'Process') ?? process,
    Anchor: typeof message.anchor === 'string' ? message.anchor : '',
    Data: typeof message.data === 'string' ? message.data : '',
    Tags: tags,
  }
  withAssignment(out, assignment)
  if (typeof message.signature === 'string' && message.signature !== '') out.Signature = message.signature
  return out
}

/** The process a message is from: its From-Process tag when it has a value (forwarded by an MU), else its signer. */
function fromOf(tags: Tag[], owner: string): string {
  const fromProcess = tagOf(tags, 'From-Process')
  return fromProcess ? fromProcess : owner
}

/** The assignment's place in the history, as the CU sets it on the message; every message is a scheduled one. */
function withAssignment(out: ReplayMessage, assignment: Tag[]): void {
  for (const field of ['Epoch', 'Nonce', 'Timestamp', 'Block-Height'] as const) {
    // The SU pads Block-Height with zeros ('000001331218'); parseInt reads it as the CU does.
    const value = Number.parseInt(tagOf(assignment, field) ?? '', 10)
    if (Number.isFinite(value)) out[field] = value
  }
  const hashChain = tagOf(assignment, 'Hash-Chain')
  if (hashChain) out['Hash-Chain'] = hashChain
  out.Cron = false
  out['Read-Only'] = false
}

const ASSIGNED_QUERY =
  'query GetTransactions($transactionIds: [ID!]!) { transactions(ids: $transactionIds) { edges { node { id signature anchor recipient owner { address } tags { name value } } } } }'

/**
 * An assignment of a message already on chain (the SU gives no message): its fields come from the gateway, its
 * data from `GET /raw/{id}` as text unless the assignment excludes Data, as the CU hydrates it. No Forwarded-By.
 */
async function assignedMessage(node: SuNode, gateway: string, su: string, fetchFn: typeof fetch): Promise<ReplayMessage> {
  const assignment = assignmentTags(node, su)
  const id = tagOf(assignment, 'Message')
  if (!id) throw new SchedulerUnitError(su, 'an assignment names no Message')
  const base = gateway.replace(/\/+$/, '')
  const unavailable = (why: string) => new ExportError(`Assigned message ${id} cannot be read from the gateway ${base}: ${why}.`, { details: 'Give --gateway a gateway that holds it.' })
  let body: { data?: { transactions?: { edges?: { node?: Record<string, unknown> }[] } } }
  try {
    const response = await fetchFn(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: ASSIGNED_QUERY, variables: { transactionIds: [id] } }),
    })
    if (!response.ok) throw unavailable(`GraphQL answered ${response.status}`)
    body = (await response.json()) as typeof body
  } catch (error) {
    if (error instanceof ExportError) throw error
    throw unavailable((error as Error).message)
  }
  const meta = body?.data?.transactions?.edges?.find((edge) => edge.node?.id === id)?.node
  const owner = (meta?.owner as { address?: unknown } | undefined)?.address
  if (!meta || typeof owner !== 'string') throw unavailable('GraphQL has no record of it')
  const tags = checkTags(meta.tags, su)
  let data = ''
  if (!assignment.some((tag) => tag.name === 'Exclude' && tag.value === 'Data')) {
    const response = await fetchFn(`${base}/raw/${encodeURIComponent(id)}`).catch((error: unknown) => {
      throw unavailable((error as Error).message)
    })
    if (!response.ok) throw unavailable(`GET /raw/${id} answered ${response.status}`)
    data = await response.text()
  }
  const out: ReplayMessage = {
    Id: id,
    Owner: owner,
    From: fromOf(tags, owner),
    Target: typeof meta.recipient === 'string' ? meta.recipient : '',
    Anchor: typeof meta.anchor === 'string' ? meta.anchor : '',
    Data: data,
    Tags: tags,
  }
  withAssignment(out, assignment)
  if (typeof meta.signature === 'string' && meta.signature !== '') out.Signature = meta.signature
  return out
}

function assignmentTags(node: SuNode | undefined, su: string): Tag[] {
  if (typeof node !== 'object' || node === null || typeof node.assignment !== 'object' || node.assignment === null) {
    throw new SchedulerUnitError(su, 'an edge has no assignment')
  }
  return checkTags(node.assignment.tags, su)
}

function checkTags(value: unknown, su: string): Tag[] {
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.value === 'string')) {
    throw new SchedulerUnitError(su, 'a message or assignment has tags that are not {name, value} strings')
  }
  return value.map((t: Tag) => ({ name: t.name, value: t.value }))
}

function tagOf(tags: Tag[], name: string): string | undefined {
  return tags.find((tag) => tag.name === name)?.value
}

/** The module's {Id, Owner, Tags} from the gateway's GraphQL; the aos record when it has none (with a warning). */
async function moduleRecord(id: string, gateway: string, fetchFn: typeof fetch, warn: (message: string) => void): Promise<ReplayRecord> {
  const fallback = (why: string): ReplayRecord => {
    warn(`module ${id}: ${why}; the file uses aos's module tags${id === AOS_MODULE ? '' : ' (aokit replays every process on its aos runtime)'}.`)
    return { ...AOS_MODULE_RECORD, Id: id }
  }
  let response: Response
  try {
    response = await fetchFn(`${gateway.replace(/\/+$/, '')}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: MODULE_QUERY, variables: { transactionIds: [id] } }),
    })
  } catch (error) {
    return fallback(`the gateway ${gateway} cannot be reached (${(error as Error).message})`)
  }
  if (!response.ok) return fallback(`the gateway ${gateway} answered ${response.status}`)
  const body = (await response.json().catch(() => undefined)) as { data?: { transactions?: { edges?: { node?: { id?: unknown; owner?: { address?: unknown }; tags?: unknown } }[] } } } | undefined
  const node = body?.data?.transactions?.edges?.find((edge) => edge.node?.id === id)?.node
  if (!node || typeof node.owner?.address !== 'string' || !Array.isArray(node.tags)) return fallback(`the gateway ${gateway} has no record of it`)
  const tags = (node.tags as unknown[]).filter((t): t is Tag => typeof t === 'object' && t !== null && typeof (t as Tag).name === 'string' && typeof (t as Tag).value === 'string')
  return { Id: id, Owner: node.owner.address, Tags: tags.map((t) => ({ name: t.name, value: t.value })) }
}

/** GET as JSON; a status and body for any answer, SchedulerUnitError (unreachable) when none comes. */
async function getJson(url: string, su: string, fetchFn: typeof fetch): Promise<{ status: number; body: unknown }> {
  let response: Response
  try {
    response = await fetchFn(url, { headers: { Accept: 'application/json' } })
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
    const reason = typeof cause?.code === 'string' ? cause.code : (error as Error).message
    const failure = new SchedulerUnitError(su, `unreachable (${reason})`, { cause: error })
    failure.unreachable = true
    throw failure
  }
  const text = await response.text()
  try {
    return { status: response.status, body: JSON.parse(text) }
  } catch {
    if (response.ok) throw new SchedulerUnitError(su, `GET ${url} answered ${response.status} with something that is not JSON`)
    return { status: response.status, body: text }
  }
}

function errorText(body: unknown): string {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : body
  return typeof error === 'string' && error !== '' ? `: ${error.slice(0, 200)}` : ''
}
