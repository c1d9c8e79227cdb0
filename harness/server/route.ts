// What a route module gives the router: for a request's path, the handlers by method, or undefined when the
// path is not its own.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Devnet } from './devnet.js'
import type { Query } from './queryParams.js'

export type Method = 'GET' | 'POST' | 'DELETE'

/** What a path takes: a handler per method. */
export type Endpoint = Partial<Record<Method, () => Promise<void>>>

export type RouteContext = {
  devnet: Devnet
  request: IncomingMessage
  response: ServerResponse
  server: Server
  /** Decoded, non-empty path segments. */
  parts: string[]
  query: Query
}

export type Route = (context: RouteContext) => Endpoint | undefined
