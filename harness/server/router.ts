// The devnet's router: the origin check and CORS preflight every request gets, then the first route module that
// owns the path (MU, CU, SU, gateway, then HyperBEAM, whose paths the legacy ones shadow), then its method.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cuRoute } from './cuRoutes.js'
import type { Devnet } from './devnet.js'
import { ForbiddenOriginError, MethodNotAllowedError, NotFoundError } from './errors.js'
import { gatewayRoute } from './gatewayRoutes.js'
import { sendJson } from './httpIo.js'
import { hyperbeamRoute } from './hyperbeamRoutes.js'
import { muRoute } from './muRoutes.js'
import type { OriginPolicy } from './originPolicy.js'
import { parseTarget } from './requestTarget.js'
import type { Endpoint, Method, Route, RouteContext } from './route.js'
import { suRoute } from './suRoutes.js'

/** `GET /`: what this devnet is and where its units are. */
const infoRoute: Route = ({ devnet, response, server, parts }) => {
  if (parts.length !== 0) return undefined
  return {
    GET: async () => {
      const { port } = server.address() as AddressInfo
      return sendJson(response, 200, { name: 'aokit devnet', port, scheduler: devnet.scheduler, processes: devnet.network.processIds.length, mu: '/mu', cu: '/cu', su: '/su', graphql: '/graphql' })
    },
  }
}

/** In the order they are asked: the first that owns a path answers it. */
const ROUTES: readonly Route[] = [muRoute, cuRoute, suRoute, gatewayRoute, hyperbeamRoute, infoRoute]

/**
 * Answers one request (errors are thrown, for the caller's sendError).
 *
 * @throws {ForbiddenOriginError} a browser page on an origin the policy does not allow.
 * @throws {NotFoundError} `no-route`: no route owns the path.
 * @throws {MethodNotAllowedError} the path's route does not take the method.
 */
export async function route(devnet: Devnet, policy: OriginPolicy, request: IncomingMessage, response: ServerResponse, server: Server): Promise<void> {
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
  const context: RouteContext = { devnet, request, response, server, parts, query }
  const endpoint = firstEndpoint(context)
  if (!endpoint) throw new NotFoundError('no-route', `path: ${path} is not part of the devnet's API`)
  const key = method === 'HEAD' ? 'GET' : method
  const handler = Object.hasOwn(endpoint, key) ? endpoint[key as Method] : undefined
  if (!handler) throw new MethodNotAllowedError(method, path, Object.keys(endpoint))
  return handler()
}

function firstEndpoint(context: RouteContext): Endpoint | undefined {
  for (const candidate of ROUTES) {
    const endpoint = candidate(context)
    if (endpoint) return endpoint
  }
  return undefined
}
