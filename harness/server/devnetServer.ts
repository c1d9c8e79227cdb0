// The devnet's HTTP face: AO's legacy MU, CU, SU and the gateway pieces aoconnect needs, on one origin under
// /mu, /cu, /su and / (ao-wire.md, "Legacy HTTP protocol"). Stock aoconnect in legacy mode works against it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseDataItem } from '../../sdk/dataItem/parseDataItem.js'
import { MAX_DATA_BYTES } from '../../sdk/validation/limits.js'
import { Devnet, type DevnetOptions } from './devnet.js'
import { BadRequestError, HttpError, ListenError, NotFoundError, PortInUseError } from './errors.js'
import { answerGraphql } from './gateway.js'
import { assignmentPage, scheduledMessage } from './schedulerUnit.js'

export type DevnetServerOptions = DevnetOptions & {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1: the devnet is reachable from this machine only unless told otherwise. */
  host?: string
  /** How often monitored crons are checked, in ms (default 1000). */
  cronCheckMs?: number
}

export type DevnetServer = {
  devnet: Devnet
  url: string
  muUrl: string
  cuUrl: string
  suUrl: string
  gatewayUrl: string
  /** The scheduler address spawns must name. */
  scheduler: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = MAX_DATA_BYTES + 64 * 1024
const DEFAULT_PAGE = 25
const MAX_PAGE = 1000

/**
 * Opens the devnet's store (replaying its log) and serves it.
 *
 * @throws {DataDirLockedError} another running devnet has the data dir open.
 * @throws {PortInUseError} the port is taken; the devnet is closed again and its dir unlocked.
 * @throws {ListenError} the server cannot listen for another reason (no permission, an unknown address).
 */
export async function startDevnetServer(options: DevnetServerOptions): Promise<DevnetServer> {
  const devnet = await Devnet.open(options)
  const server = createServer((request, response) => {
    route(devnet, request, response, server).catch((error: unknown) => sendError(response, error))
  })
  // Longer than clients' pools keep idle sockets, so the server never closes one a client is about to reuse.
  server.keepAliveTimeout = 65_000
  const host = options.host ?? '127.0.0.1'
  const requestedPort = options.port ?? 4000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(requestedPort, host, () => resolve())
    })
  } catch (error) {
    // The devnet was opened first (its replay can take a while); a server that never listened must not keep it
    // open or its dir locked. The listen failure is what the caller needs to hear about, not a failed close.
    await devnet.close().catch(() => undefined)
    throw listenError(error, host, requestedPort)
  }
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  devnet.suUrl = `${url}/su`
  const timer = setInterval(() => void devnet.tick().catch(() => undefined), options.cronCheckMs ?? 1000)
  timer.unref()
  return {
    devnet,
    url,
    muUrl: `${url}/mu`,
    cuUrl: `${url}/cu`,
    suUrl: `${url}/su`,
    gatewayUrl: url,
    scheduler: devnet.scheduler,
    async close() {
      clearInterval(timer)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await devnet.close()
    },
  }
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return new PortInUseError(host, port, { cause: error })
  if (typeof code === 'string') return new ListenError(host, port, code, { cause: error })
  return error instanceof Error ? error : new Error(String(error))
}

async function route(devnet: Devnet, request: IncomingMessage, response: ServerResponse, server: Server): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://devnet')
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const method = request.method ?? 'GET'
  const query = url.searchParams
  const [unit, ...rest] = parts

  // Browser dApps on another origin preflight their octet-stream and JSON posts.
  if (method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Accept',
      'Access-Control-Max-Age': '600',
    })
    return void response.end()
  }

  if (unit === 'mu') {
    if (method === 'POST' && rest.length === 0) {
      const process = query.get('process-id')
      const assign = query.get('assign')
      if (process || assign) {
        if (!process || !assign) throw new BadRequestError('bad-assign', 'assign needs both process-id and assign query parameters')
        return sendJson(response, 202, await devnet.assign(process, assign))
      }
      const accepted = await devnet.accept(await readBody(request))
      return sendJson(response, 202, {
        message: accepted.duplicate ? 'DataItem already processed' : 'Processing DataItem',
        id: accepted.id,
        ...(accepted.kind === 'process' ? { processId: accepted.id } : {}),
      })
    }
    if (rest[0] === 'monitor' && rest.length === 2 && (method === 'POST' || method === 'DELETE')) {
      await devnet.setMonitor(await readBody(request), rest[1]!, method === 'POST')
      return sendJson(response, 200, { message: method === 'POST' ? `Monitoring ${rest[1]}` : `Stopped monitoring ${rest[1]}` })
    }
  }

  if (unit === 'cu') {
    if (method === 'GET' && rest[0] === 'result' && rest.length === 2) {
      return sendJson(response, 200, devnet.result(rest[1]!, required(query, 'process-id')))
    }
    if (method === 'GET' && rest[0] === 'results' && rest.length === 2) {
      const sort = (query.get('sort') ?? 'ASC').toUpperCase()
      if (sort !== 'ASC' && sort !== 'DESC') throw new BadRequestError('bad-sort', `sort: must be ASC or DESC, got ${sort}`)
      const page = devnet.results(rest[1]!, {
        from: cursor(query, 'from'),
        to: cursor(query, 'to'),
        limit: pageLimit(query),
        sort,
      })
      return sendJson(response, 200, { edges: page.map((e) => ({ cursor: String(e.ordinal), node: e.result })) })
    }
    if (method === 'POST' && rest[0] === 'dry-run' && rest.length === 1) {
      const process = required(query, 'process-id')
      return sendJson(response, 200, await devnet.dryrun(parseDryrun(process, await readBody(request))))
    }
  }

  if (unit === 'su' && method === 'GET') {
    if (rest.length === 0) return sendJson(response, 200, { Unit: 'Scheduler', Address: devnet.scheduler, Timestamp: devnet.network.clock.now, Processes: devnet.network.processIds })
    if (rest[0] === 'timestamp' && rest.length === 1) {
      return sendJson(response, 200, { timestamp: devnet.network.clock.now, block_height: devnet.network.clock.blockHeight })
    }
    if (rest.length === 1) {
      const id = rest[0]!
      const process = query.get('process-id')
      if (process || !devnet.network.processIds.includes(id)) {
        const evaluation = devnet.evaluation(id, process ?? undefined)
        if (!evaluation || evaluation.nonce === null) throw new NotFoundError('unknown-message', `No scheduled message ${id}${process ? ` at ${process}` : ''}`)
        return sendJson(response, 200, scheduledMessage(devnet, evaluation))
      }
      const limit = pageLimit(query)
      const page = devnet.scheduled(id, { from: cursor(query, 'from'), to: cursor(query, 'to'), limit: limit + 1 })
      return sendJson(response, 200, assignmentPage(devnet, page, limit))
    }
  }

  if (unit === 'graphql' && rest.length === 0 && method === 'POST') {
    return sendJson(response, 200, answerGraphql(devnet, parseJson(await readBody(request), 'body')))
  }

  if (method === 'GET' && ((unit === 'raw' && rest.length === 1) || (unit !== undefined && rest.length === 0 && unit.length === 43))) {
    const id = unit === 'raw' ? rest[0]! : unit
    const raw = devnet.item(id)
    if (!raw) throw new NotFoundError('unknown-item', `No data item ${id} on this devnet`)
    response.writeHead(200, { 'Content-Type': 'application/octet-stream' })
    response.end(parseDataItem(raw).data)
    return
  }

  if (method === 'GET' && parts.length === 0) {
    const { port } = server.address() as AddressInfo
    return sendJson(response, 200, { name: 'aokit devnet', port, scheduler: devnet.scheduler, processes: devnet.network.processIds.length, mu: '/mu', cu: '/cu', su: '/su', graphql: '/graphql' })
  }
  throw new NotFoundError('no-route', `${method} ${url.pathname} is not part of the devnet's API`)
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name)
  if (!value) throw new BadRequestError('missing-parameter', `${name}: this query parameter is required`)
  return value
}

function cursor(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name)
  if (value === null || value === '' || value === 'undefined') return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new BadRequestError('bad-cursor', `${name}: must be a non-negative integer cursor, got ${value}`)
  return n
}

function pageLimit(query: URLSearchParams): number {
  const value = query.get('limit')
  if (value === null || value === '' || value === 'undefined') return DEFAULT_PAGE
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE) throw new BadRequestError('bad-limit', `limit: must be 1 to ${MAX_PAGE}, got ${value}`)
  return n
}

function parseDryrun(process: string, body: Uint8Array) {
  const json = parseJson(body, 'body') as Record<string, unknown>
  const tags = json.Tags ?? []
  if (!Array.isArray(tags) || !tags.every((t) => t && typeof t.name === 'string' && typeof t.value === 'string')) {
    throw new BadRequestError('bad-tags', 'Tags: must be an array of { name, value } with string values')
  }
  if (json.Target !== undefined && json.Target !== process) {
    throw new BadRequestError('bad-target', `Target: ${String(json.Target)} differs from process-id ${process}`)
  }
  return {
    process,
    owner: typeof json.Owner === 'string' ? json.Owner : '1234',
    tags: tags as { name: string; value: string }[],
    data: typeof json.Data === 'string' ? json.Data : '',
  }
}

function parseJson(body: Uint8Array, field: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  } catch {
    throw new BadRequestError('bad-json', `${field}: is not valid JSON`)
  }
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', `body: ${declared} bytes; the limit is ${MAX_BODY_BYTES}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', `body: over the limit of ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
  response.end(text)
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy()
  // The rest of a refused body is never read, so the connection cannot be reused.
  if (error instanceof HttpError && error.status === 413) response.setHeader('Connection', 'close')
  if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message, code: error.code })
  sendJson(response, 500, { error: error instanceof Error ? error.message : String(error), code: 'internal' })
}
