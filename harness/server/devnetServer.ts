// The devnet's HTTP face: AO's legacy MU, CU, SU and the gateway pieces aoconnect needs, on one origin under
// /mu, /cu, /su and / (ao-wire.md, "Legacy HTTP protocol"). Stock aoconnect in legacy mode works against it.
// Beside them, at the root, the HyperBEAM paths aoconnect's mainnet mode calls (hyperbeam*.ts), on the same network.
// This file listens and closes; router.ts and the route modules (muRoutes.ts, cuRoutes.ts, …) answer.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { Devnet, type DevnetOptions } from './devnet.js'
import { ListenError, PortInUseError } from './errors.js'
import { sendError } from './httpIo.js'
import { originPolicy } from './originPolicy.js'
import { route } from './router.js'

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
