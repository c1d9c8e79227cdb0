// The devnet's HTTP face: AO's legacy MU, CU, SU and the gateway pieces aoconnect needs, on one origin under
// /mu, /cu, /su and / (ao-wire.md, "Legacy HTTP protocol"). Stock aoconnect in legacy mode works against it.
// Beside them, at the root, the HyperBEAM paths aoconnect's mainnet mode calls (hyperbeam*.ts), on the same network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { parseDataItem } from '../../sdk/dataItem/parseDataItem.js'
import { MAX_DATA_BYTES } from '../../sdk/validation/limits.js'
import { Devnet, type DevnetOptions } from './devnet.js'
import { BadRequestError, ForbiddenOriginError, HttpError, ListenError, MethodNotAllowedError, NotFoundError, PortInUseError } from './errors.js'
import { answerGraphql } from './gateway.js'
import { parseHyperbeamPath } from './hyperbeamPath.js'
import { hyperbeamEndpoint } from './hyperbeamRoutes.js'
import { originPolicy, type OriginPolicy } from './originPolicy.js'
import { parseTarget } from './requestTarget.js'
import { assignmentPage, parseSuCursor, scheduledMessage, type SuCursor } from './schedulerUnit.js'

export type DevnetServerOptions = DevnetOptions & {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1: the devnet is reachable from this machine only unless told otherwise. */
  host?: string
  /** How often monitored crons are checked, in ms (default 1000). */
  cronCheckMs?: number
  /**
   * Browser origins allowed besides this machine's own pages (localhost, 127.x, [::1]), e.g.
   * `['https://app.example']`, or `['*']` for any. Requests from other origins get 403; requests without an
   * `Origin` header (Node clients, curl) are always served. See originPolicy.ts.
   */
  cors?: readonly string[]
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
 * @throws {InvalidOriginError} a `cors` entry that is not an origin, 'null' or '*'.
 */
export async function startDevnetServer(options: DevnetServerOptions): Promise<DevnetServer> {
  // Checked before the store opens: a bad --cors entry should not cost a replay.
  const policy = originPolicy(options.cors)
  const devnet = await Devnet.open(options)
  const server = createServer((request, response) => {
    route(devnet, policy, request, response, server).catch((error: unknown) => sendError(response, error))
  })
  // Longer than clients' pools keep idle sockets, so the server never closes one a client is about to reuse.
  server.keepAliveTimeout = 65_000
  server.on('clientError', answerClientError)
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
  policy.own.add(url)
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

/** Requests Node's HTTP parser refuses (bad framing, huge headers) get the same `{ error, code }` as any other. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy()
  const [status, reason, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers-too-large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'timeout']
        : [400, 'Bad Request', 'bad-http']
  const body = JSON.stringify({ error: `request: not valid HTTP/1.1 (${error.code ?? error.message})`, code })
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return new PortInUseError(host, port, { cause: error })
  if (typeof code === 'string') return new ListenError(host, port, code, { cause: error })
  return error instanceof Error ? error : new Error(String(error))
}

type Method = 'GET' | 'POST' | 'DELETE'
/** What a path takes: a handler per method. */
type Endpoint = Partial<Record<Method, () => Promise<void>>>
type Context = { devnet: Devnet; request: IncomingMessage; response: ServerResponse; server: Server; query: ReadonlyMap<string, string>; parts: string[] }

async function route(devnet: Devnet, policy: OriginPolicy, request: IncomingMessage, response: ServerResponse, server: Server): Promise<void> {
  const origin = request.headers.origin
  // Checked before anything else, so a refused page learns nothing, not even which paths exist.
  if (origin !== undefined) {
    if (!policy.allows(origin)) throw new ForbiddenOriginError(origin)
    response.setHeader('Access-Control-Allow-Origin', origin)
    response.setHeader('Vary', 'Origin')
    // A page's aoconnect (mainnet mode) reads the spawned process id from the `process` header.
    response.setHeader('Access-Control-Expose-Headers', 'process, slot, id')
  }
  const method = request.method ?? 'GET'
  // Browser dApps on an allowed origin preflight their octet-stream and JSON posts.
  if (method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      // codec-device: aoconnect's mainnet mode sends it with every item.
      'Access-Control-Allow-Headers': 'Content-Type, Accept, codec-device',
      'Access-Control-Max-Age': '600',
      // Chrome's Private Network Access: a public page calling a loopback server asks first.
      ...(origin !== undefined && request.headers['access-control-request-private-network'] === 'true' ? { 'Access-Control-Allow-Private-Network': 'true' } : {}),
    })
    return void response.end()
  }
  const { path, parts, query } = parseTarget(request.url ?? '/')
  const endpoint = endpointOf({ devnet, request, response, server, query, parts })
  if (!endpoint) throw new NotFoundError('no-route', `path: ${path} is not part of the devnet's API`)
  const key = method === 'HEAD' ? 'GET' : method
  const handler = Object.hasOwn(endpoint, key) ? endpoint[key as Method] : undefined
  if (!handler) throw new MethodNotAllowedError(method, path, Object.keys(endpoint))
  return handler()
}

function endpointOf(c: Context): Endpoint | undefined {
  const { devnet, response, query, parts } = c
  const [unit, ...rest] = parts

  if (unit === 'mu' && rest.length === 0) {
    return {
      POST: async () => {
        const process = query.get('process-id')
        const assign = query.get('assign')
        if (process || assign) {
          if (!process || !assign) throw new BadRequestError('bad-assign', 'assign needs both process-id and assign query parameters')
          return sendJson(response, 202, await devnet.assign(process, assign))
        }
        const accepted = await devnet.accept(await readBody(c.request))
        return sendJson(response, 202, {
          message: accepted.duplicate ? 'DataItem already processed' : 'Processing DataItem',
          id: accepted.id,
          ...(accepted.kind === 'process' ? { processId: accepted.id } : {}),
        })
      },
    }
  }
  if (unit === 'mu' && rest[0] === 'monitor' && rest.length === 2) {
    const monitor = (on: boolean) => async () => {
      await devnet.setMonitor(await readBody(c.request), rest[1]!, on)
      return sendJson(response, 200, { message: on ? `Monitoring ${rest[1]}` : `Stopped monitoring ${rest[1]}` })
    }
    return { POST: monitor(true), DELETE: monitor(false) }
  }

  if (unit === 'cu' && rest[0] === 'result' && rest.length === 2) {
    return { GET: async () => sendJson(response, 200, devnet.result(rest[1]!, required(query, 'process-id'))) }
  }
  if (unit === 'cu' && rest[0] === 'results' && rest.length === 2) {
    return {
      GET: async () => {
        const sort = (query.get('sort') ?? 'ASC').toUpperCase()
        if (sort !== 'ASC' && sort !== 'DESC') throw new BadRequestError('bad-sort', `sort: must be ASC or DESC, got ${sort}`)
        const page = devnet.results(rest[1]!, {
          from: cursor(query, 'from'),
          to: cursor(query, 'to'),
          limit: pageLimit(query),
          sort,
        })
        return sendJson(response, 200, { edges: page.map((e) => ({ cursor: String(e.ordinal), node: e.result })) })
      },
    }
  }
  if (unit === 'cu' && rest[0] === 'dry-run' && rest.length === 1) {
    return {
      POST: async () => {
        const process = required(query, 'process-id')
        return sendJson(response, 200, await devnet.dryrun(parseDryrun(process, await readBody(c.request))))
      },
    }
  }

  if (unit === 'su' && rest.length === 0) {
    return { GET: async () => sendJson(response, 200, { Unit: 'Scheduler', Address: devnet.scheduler, Timestamp: devnet.network.clock.now, Processes: devnet.network.processIds }) }
  }
  if (unit === 'su' && rest[0] === 'timestamp' && rest.length === 1) {
    return { GET: async () => sendJson(response, 200, { timestamp: devnet.network.clock.now, block_height: devnet.network.clock.blockHeight }) }
  }
  if (unit === 'su' && rest.length === 1) {
    return {
      GET: async () => {
        const id = rest[0]!
        const process = query.get('process-id')
        if (process || !devnet.network.processIds.includes(id)) {
          const evaluation = devnet.evaluation(id, process ?? undefined)
          if (!evaluation || evaluation.nonce === null) throw new NotFoundError('unknown-message', `No scheduled message ${id}${process ? ` at ${process}` : ''}`)
          return sendJson(response, 200, scheduledMessage(devnet, evaluation))
        }
        const limit = pageLimit(query)
        const range = { from: suCursor(query, 'from'), to: suCursor(query, 'to') }
        const page = devnet.scheduled(id, { ...range, limit: limit + 1 })
        return sendJson(response, 200, assignmentPage(devnet, page, limit))
      },
    }
  }

  if (unit === 'graphql' && rest.length === 0) {
    return { POST: async () => sendJson(response, 200, answerGraphql(devnet, parseJson(await readBody(c.request), 'body'))) }
  }

  if ((unit === 'raw' && rest.length === 1) || (unit !== undefined && rest.length === 0 && unit.length === 43)) {
    return {
      GET: async () => {
        const id = unit === 'raw' ? rest[0]! : unit
        const raw = devnet.item(id)
        if (!raw) throw new NotFoundError('unknown-item', `No data item ${id} on this devnet`)
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' })
        response.end(parseDataItem(raw).data)
      },
    }
  }

  // HyperBEAM's paths (hyperbeam-api.md §5) for aoconnect's mainnet mode; after the legacy routes, which win.
  const hyperbeam = parseHyperbeamPath(parts, query)
  if (hyperbeam) {
    return hyperbeamEndpoint(devnet, hyperbeam, {
      contentType: c.request.headers['content-type'],
      readBody: () => readBody(c.request),
      sendJson: (status, body, headers) => sendJson(response, status, body, headers),
      sendText: (status, text) => {
        response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
        response.end(text)
      },
    })
  }

  if (parts.length === 0) {
    return {
      GET: async () => {
        const { port } = c.server.address() as AddressInfo
        return sendJson(response, 200, { name: 'aokit devnet', port, scheduler: devnet.scheduler, processes: devnet.network.processIds.length, mu: '/mu', cu: '/cu', su: '/su', graphql: '/graphql' })
      },
    }
  }
  return undefined
}

function required(query: ReadonlyMap<string, string>, name: string): string {
  const value = query.get(name)
  if (!value) throw new BadRequestError('missing-parameter', `${name}: this query parameter is required`)
  return value
}

function cursor(query: ReadonlyMap<string, string>, name: string): number | undefined {
  const value = query.get(name)
  if (value === undefined || value === '' || value === 'undefined') return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new BadRequestError('bad-cursor', `${name}: must be a non-negative integer cursor, got ${value}`)
  return n
}

function pageLimit(query: ReadonlyMap<string, string>): number {
  const value = query.get('limit')
  if (value === undefined || value === '' || value === 'undefined') return DEFAULT_PAGE
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE) throw new BadRequestError('bad-limit', `limit: must be 1 to ${MAX_PAGE}, got ${value}`)
  return n
}

/** An SU cursor: an edge's `cursor` (`<timestamp>-<nonce>`, exact) or a bare timestamp in ms, as AO's SU takes. */
function suCursor(query: ReadonlyMap<string, string>, name: 'from' | 'to'): SuCursor | undefined {
  const value = query.get(name)
  if (value === undefined || value === '' || value === 'undefined') return undefined
  const parsed = parseSuCursor(value)
  if (!parsed) throw new BadRequestError('bad-cursor', `${name}: must be a timestamp or an SU cursor like 1767225600000-3, got ${value}`)
  return parsed
}

function parseDryrun(process: string, body: Uint8Array) {
  const json = parseJson(body, 'body')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadRequestError('bad-dry-run', 'body: must be a JSON object (a dry-run message)')
  const message = json as Record<string, unknown>
  const tags = message.Tags ?? []
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.value === 'string')) {
    throw new BadRequestError('bad-tags', 'Tags: must be an array of { name, value } with string values')
  }
  if (message.Target !== undefined && message.Target !== process) {
    throw new BadRequestError('bad-target', `Target: ${JSON.stringify(message.Target)} differs from process-id ${process}`)
  }
  for (const field of ['Owner', 'Data'] as const) {
    if (message[field] !== undefined && message[field] !== null && typeof message[field] !== 'string') {
      throw new BadRequestError('bad-dry-run', `${field}: must be a string, got ${typeof message[field]}`)
    }
  }
  return {
    process,
    owner: typeof message.Owner === 'string' ? message.Owner : '1234',
    tags: tags as { name: string; value: string }[],
    data: typeof message.Data === 'string' ? message.Data : '',
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

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json' })
  response.end(text)
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy()
  // The rest of a refused body is never read, so the connection cannot be reused.
  if (error instanceof HttpError && error.status === 413) response.setHeader('Connection', 'close')
  if (error instanceof MethodNotAllowedError) response.setHeader('Allow', error.allow.join(', '))
  if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message, code: error.code })
  sendJson(response, 500, { error: error instanceof Error ? error.message : String(error), code: 'internal' })
}
