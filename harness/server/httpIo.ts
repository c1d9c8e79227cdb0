// Reading a request's body and writing JSON answers and errors, the same way for every route.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from '../../sdk/errors.js'
import { MAX_DATA_BYTES } from '../../sdk/validation/limits.js'
import { BadRequestError, httpError, MethodNotAllowedError } from './errors.js'

/** A data item at aokit's data limit, plus room for its signature, owner and tags. */
export const MAX_BODY_BYTES = MAX_DATA_BYTES + 64 * 1024

/** @throws {HttpError} 413 `too-large`: the body (declared or read) is over MAX_BODY_BYTES. */
export async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw httpError(413, 'too-large', `body: ${declared} bytes; the limit is ${MAX_BODY_BYTES}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw httpError(413, 'too-large', `body: over the limit of ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** @throws {BadRequestError} `bad-json`: the body is not JSON. */
export function parseJson(body: Uint8Array, field: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  } catch {
    throw new BadRequestError('bad-json', `${field}: is not valid JSON`)
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json' })
  response.end(text)
}

/** `{ error, code }` with the error's status; anything that is not an HttpError is a 500 `internal`. */
export function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy()
  // The rest of a refused body is never read, so the connection cannot be reused.
  if (error instanceof HttpError && error.status === 413) response.setHeader('Connection', 'close')
  if (error instanceof MethodNotAllowedError) response.setHeader('Allow', error.allow.join(', '))
  if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message, code: error.code ?? 'internal' })
  sendJson(response, 500, { error: error instanceof Error ? error.message : String(error), code: 'internal' })
}
