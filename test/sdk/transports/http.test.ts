// Retries against a real local HTTP server that fails on purpose.
import { expect } from 'chai'
import type { ServerResponse } from 'node:http'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { AokitError, HttpError } from '../../../sdk/errors.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { ComputeUnitBusyError, NetworkError, TimeoutError } from '../../../sdk/transports/errors.js'
import { createHttp } from '../../../sdk/transports/http.js'
import { legacy } from '../../../sdk/transports/legacy.js'
import { startRecordingServer } from '../helpers/recordingServer.js'

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

const noSleep = async () => {}
const PROCESS = Buffer.alloc(32, 7).toString('base64url')
const signer = ethereumSigner('0x' + '11'.repeat(32))

describe('http: retries against a failing local server', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>> | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('a 503 twice, then OK: the MU gets the same signed bytes and id on every attempt', async () => {
    server = await startRecordingServer((_req, index, res) => (index < 2 ? send(res, 503, 'overloaded') : send(res, 202, { message: 'Processing DataItem', id: 'x' })))
    const delays: number[] = []
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Ping' }, data: 'hi' })
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, retry: { attempts: 5, baseDelayMs: 100 }, sleep: async (ms) => void delays.push(ms) })
    const { id } = await transport.message(item)
    expect(id).to.equal(item.id)
    expect(server.seen).to.have.length(3)
    for (const request of server.seen) {
      expect(request.method).to.equal('POST')
      expect(request.url).to.equal('/')
      expect(new Uint8Array(request.body)).to.deep.equal(item.raw)
    }
    // Exponential backoff between attempts.
    expect(delays).to.deep.equal([100, 200])
  })

  it('a busy 202 on result, then the result: polls until it is available', async () => {
    const result = { Messages: [], Spawns: [], Assignments: [], Output: 'done' }
    server = await startRecordingServer((_req, index, res) => (index < 3 ? send(res, 202, { message: 'busy' }) : send(res, 200, result)))
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, retry: { attempts: 5 }, sleep: noSleep })
    expect(await transport.result({ process: PROCESS, message: 'M' })).to.deep.equal(result)
    expect(server.seen).to.have.length(4)
    expect(server.seen.every((request) => request.url === `/result/M?process-id=${PROCESS}`)).to.equal(true)
  })

  it('a CU still busy after every attempt: ComputeUnitBusyError, never the busy body as a result', async () => {
    server = await startRecordingServer((_req, _index, res) => send(res, 202, { message: 'busy' }))
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, retry: { attempts: 3 }, sleep: noSleep })
    const error = await transport.dryrun({ process: PROCESS, tags: [] }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ComputeUnitBusyError).and.instanceOf(AokitError)
    expect(server.seen).to.have.length(3)
  })

  it('a 500 forever: HttpError with status, url and body excerpt after the configured attempts', async () => {
    server = await startRecordingServer((_req, _index, res) => send(res, 500, 'x'.repeat(2000)))
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, retry: { attempts: 4 }, sleep: noSleep })
    const error = await transport.result({ process: PROCESS, message: 'M' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(HttpError).and.instanceOf(AokitError)
    const http = error as HttpError
    expect(http.status).to.equal(500)
    expect(http.url).to.equal(`${server.url}/result/M?process-id=${PROCESS}`)
    expect(http.body.length).to.be.lessThan(600)
    expect(server.seen).to.have.length(4)
  })

  it('a 429 is retried', async () => {
    server = await startRecordingServer((_req, index, res) => (index === 0 ? send(res, 429, 'slow down') : send(res, 200, { edges: [] })))
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, sleep: noSleep })
    expect(await transport.results({ process: PROCESS })).to.deep.equal({ edges: [] })
    expect(server.seen).to.have.length(2)
  })

  it('a server that never answers: TimeoutError after each attempt times out', async () => {
    server = await startRecordingServer(() => {})
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, timeoutMs: 50, retry: { attempts: 2 }, sleep: noSleep })
    const error = await transport.result({ process: PROCESS, message: 'M' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(TimeoutError)
    expect((error as TimeoutError).timeout).to.equal(50)
    expect((error as TimeoutError).url).to.contain('/result/M')
    expect(server.seen).to.have.length(2)
  })

  it('a 400: no retry', async () => {
    server = await startRecordingServer((_req, _index, res) => send(res, 400, { error: 'bad item' }))
    const item = await createDataItem({ signer, target: PROCESS, data: 'hi' })
    const transport = legacy({ muUrl: server.url, cuUrl: server.url, retry: { attempts: 5 }, sleep: noSleep })
    const error = await transport.message(item).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(HttpError)
    expect((error as HttpError).status).to.equal(400)
    expect((error as HttpError).body).to.contain('bad item')
    expect(server.seen).to.have.length(1)
  })

  it('a connection refused: NetworkError after retries', async () => {
    server = await startRecordingServer(() => {})
    const { url } = server
    await server.close()
    server = undefined
    let calls = 0
    const http = createHttp({ retry: { attempts: 3 }, sleep: noSleep, fetch: (input, init) => (calls++, fetch(input, init)) })
    const error = await http.request({ method: 'GET', url }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(NetworkError)
    expect(calls).to.equal(3)
  })

  it('caps the backoff at maxDelayMs', async () => {
    server = await startRecordingServer((_req, _index, res) => send(res, 503, ''))
    const delays: number[] = []
    const http = createHttp({ retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 }, sleep: async (ms) => void delays.push(ms) })
    await http.request({ method: 'GET', url: server.url }).catch(() => {})
    expect(delays).to.deep.equal([100, 200, 300, 300])
  })

  it('an unparsable 200 body is an HttpError, not a result', async () => {
    server = await startRecordingServer((_req, _index, res) => send(res, 200, '<html>gateway</html>'))
    const error = await createHttp({ sleep: noSleep }).json({ method: 'GET', url: server.url }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(HttpError)
    expect((error as HttpError).body).to.contain('<html>')
    expect((error as HttpError).shortMessage).to.match(/^Not JSON \(HTTP 200\) from /)
  })
})
