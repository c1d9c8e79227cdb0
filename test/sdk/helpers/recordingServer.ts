// A loopback HTTP server for transport tests: records every request and answers with `handler`, which may
// answer with any status, or never (to test timeouts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type SeenRequest = { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }
export type RequestHandler = (request: SeenRequest, index: number, response: ServerResponse) => void

export async function startRecordingServer(handler: RequestHandler) {
  const seen: SeenRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) }
      seen.push(request)
      handler(request, seen.length - 1, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = () => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { url, seen, close }
}
