// The mainnet (HyperBEAM) transport's requests and errors, against a loopback server that answers as told.
// The client suite (test/sdk/client/mainnet.test.ts) runs it against the devnet's HyperBEAM API.
import { expect } from 'chai'
import { ResultNotFoundError } from '../../../sdk/actions/errors.js'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { AokitError, InvalidTagError } from '../../../sdk/errors.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { HttpError } from '../../../sdk/errors.js'
import { NetworkError, UnsupportedOperationError } from '../../../sdk/transports/errors.js'
import { mainnet } from '../../../sdk/transports/mainnet.js'
import type { UnsignedItem } from '../../../sdk/types.js'
import { startRecordingServer, type RequestHandler } from '../helpers/recordingServer.js'

const PROCESS = Buffer.alloc(32, 7).toString('base64url')
const NODE = Buffer.alloc(32, 9).toString('base64url')
const signer = ethereumSigner('0x' + '11'.repeat(32))
const RESULT = { Output: 'ok', Messages: [], Assignments: [], Spawns: [] }
const noSleep = async () => {}

/** A server answering `handler`, and a transport on it that waits no real time between retries. */
async function node(handler: RequestHandler) {
  const server = await startRecordingServer(handler)
  const transport = mainnet({ url: `${server.url}/`, sleep: noSleep })
  return { server, transport }
}
const json = (status: number, body: unknown): RequestHandler => (_req, _i, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}
const sign = (item: UnsignedItem) => createDataItem({ signer, ...item })
const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('should throw'), (error: unknown) => error)

describe('mainnet transport (HyperBEAM API)', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })
  const start = async (handler: RequestHandler) => {
    const started = await node(handler)
    close = started.server.close
    return started
  }

  it('message: POSTs the signed bytes as application/ans104 to /{pid}~process@1.0/push; answers id and slot', async () => {
    const { server, transport } = await start(json(200, { slot: 4, process: PROCESS, raw: RESULT }))
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Ping' }, data: 'hi' })
    expect(await transport.message(item)).to.deep.equal({ id: item.id, slot: 4 })
    const [seen] = server.seen
    expect(seen).to.include({ method: 'POST', url: `/${PROCESS}~process@1.0/push` })
    expect(seen!.headers).to.include({ 'content-type': 'application/ans104', 'codec-device': 'ans104@1.0' })
    expect(Buffer.compare(seen!.body, Buffer.from(item.raw))).to.equal(0)
  })

  it('a 5xx is retried with the same signed bytes, then an HttpError with status and body', async () => {
    const { server, transport } = await start(json(503, { error: 'overloaded' }))
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Ping' } })
    const error = await failure(transport.message(item))
    expect(error).to.be.instanceOf(HttpError).and.instanceOf(AokitError)
    expect(error).to.include({ status: 503 })
    expect((error as HttpError).body).to.contain('overloaded')
    expect(server.seen).to.have.length(4)
    expect(new Set(server.seen.map((s) => s.body.toString('base64'))).size).to.equal(1)
  })

  it('a 4xx is not retried: HttpError at once', async () => {
    const { server, transport } = await start(json(400, { error: 'bad item', code: 'not-ao' }))
    const item = await createDataItem({ signer, target: PROCESS })
    const error = await failure(transport.message(item))
    expect(error).to.be.instanceOf(HttpError).and.include({ status: 400 })
    expect(server.seen).to.have.length(1)
  })

  it('a 200 without a slot or result is an HttpError, not an empty answer', async () => {
    const { transport } = await start(json(200, { ok: true }))
    const item = await createDataItem({ signer, target: PROCESS })
    expect(await failure(transport.message(item))).to.be.instanceOf(HttpError)
    expect(await failure(transport.result({ process: PROCESS, message: item.id }))).to.be.instanceOf(HttpError)
  })

  it('result: compute/results={message}; raw or results.raw; 404 is ResultNotFoundError', async () => {
    const answers = [{ raw: RESULT }, { results: { raw: RESULT } }]
    const { server, transport } = await start((req, i, res) => (i < 2 ? json(200, answers[i])(req, i, res) : json(404, { error: 'unknown' })(req, i, res)))
    expect(await transport.result({ process: PROCESS, message: 'm1' })).to.deep.equal(RESULT)
    expect(await transport.result({ process: PROCESS, message: 'm2' })).to.deep.equal(RESULT)
    expect(await failure(transport.result({ process: PROCESS, message: 'm3' }))).to.be.instanceOf(ResultNotFoundError)
    expect(server.seen.map((s) => s.url)).to.deep.equal(['m1', 'm2', 'm3'].map((m) => `/${PROCESS}~process@1.0/compute/results=${m}`))
  })

  it('results: the latest slot only; before any message, none', async () => {
    let current = '3'
    const { server, transport } = await start((req, i, res) => {
      if (req.url.endsWith('/slot/current')) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(current)
      json(200, { raw: RESULT })(req, i, res)
    })
    expect(await transport.results({ process: PROCESS, limit: 10 })).to.deep.equal({ edges: [{ cursor: '3', node: RESULT }], latestOnly: true })
    expect((await transport.results({ process: PROCESS, from: '3' })).edges).to.deep.equal([])
    current = '-1'
    expect((await transport.results({ process: PROCESS })).edges).to.deep.equal([])
    expect(server.seen.filter((s) => s.url.includes('compute')).map((s) => s.url)).to.deep.equal([`/${PROCESS}~process@1.0/compute/results=3`])
  })

  it('dryrun: tags in the path, the signed item as the body', async () => {
    const { server, transport } = await start(json(200, { raw: RESULT }))
    const tags = [{ name: 'Action', value: 'Get Balance' }, { name: 'Data-Protocol', value: 'ao' }]
    expect(await transport.dryrun({ process: PROCESS, tags, data: 'q', sign })).to.deep.equal(RESULT)
    const [seen] = server.seen
    expect(seen!.url).to.equal(`/${PROCESS}~process@1.0/as=execution/compute&Action=Get%20Balance&Data-Protocol=ao`)
    expect(seen!.headers).to.include({ 'content-type': 'application/ans104' })
    const { parseDataItem } = await import('../../../sdk/dataItem/parseDataItem.js')
    const item = parseDataItem(new Uint8Array(seen!.body))
    expect(item).to.include({ target: PROCESS })
    expect(new TextDecoder().decode(item.data)).to.equal('q')
  })

  it('dryrun: a tag that cannot go in a path is an InvalidTagError naming it, and nothing is sent', async () => {
    const { server, transport } = await start(json(200, { raw: RESULT }))
    for (const [name, value] of [['Recipient', 'a/b'], ['Query', 'x=1&y=2'], ['Path', '~meta@1.0'], ['a&b', 'v']] as const) {
      const error = await failure(transport.dryrun({ process: PROCESS, tags: [{ name, value }], sign }))
      expect(error).to.be.instanceOf(InvalidTagError).and.instanceOf(AokitError)
      expect((error as Error).message).to.contain(JSON.stringify(name))
    }
    const long = await failure(transport.dryrun({ process: PROCESS, tags: [{ name: 'Data', value: 'x'.repeat(600) }], sign }))
    expect(long).to.be.instanceOf(InvalidTagError)
    expect(server.seen).to.deep.equal([])
  })

  it('spawnDefaults: the node address as scheduler and authority, with the process@1.0 device tags; asked once', async () => {
    const { server, transport } = await start((_req, _i, res) => void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(NODE))
    const defaults = await transport.spawnDefaults!()
    expect(defaults).to.deep.include({ scheduler: NODE, authority: NODE })
    expect(defaults.tags).to.deep.include({ name: 'device', value: 'process@1.0' })
    await transport.spawnDefaults!()
    expect(server.seen.map((s) => s.url)).to.deep.equal(['/~meta@1.0/info/address'])
  })

  it('spawn: POST /push; the id is the process the node names', async () => {
    const { server, transport } = await start(json(200, { slot: 0, process: 'P'.repeat(43), raw: RESULT }))
    const item = await createDataItem({ signer, tags: { Type: 'Process', Module: 'm' } })
    expect(await transport.spawn(item)).to.deep.equal({ id: 'P'.repeat(43) })
    expect(server.seen.map((s) => s.url)).to.deep.equal(['/push'])
  })

  it('an unreachable node is a NetworkError after the retries', async () => {
    const transport = mainnet({ url: 'http://127.0.0.1:1', sleep: noSleep, retry: { attempts: 2 } })
    expect(await failure(transport.result({ process: PROCESS, message: 'm' }))).to.be.instanceOf(NetworkError)
  })

  it('assign, monitor and unmonitor throw UnsupportedOperationError', async () => {
    const transport = mainnet({ url: 'http://127.0.0.1:1' })
    const item = await createDataItem({ signer, target: PROCESS })
    for (const run of [() => transport.assign({ process: PROCESS, message: 'm' }), () => transport.monitor(item), () => transport.unmonitor(item)]) {
      expect(await failure(run())).to.be.instanceOf(UnsupportedOperationError).and.instanceOf(AokitError)
    }
  })
})
