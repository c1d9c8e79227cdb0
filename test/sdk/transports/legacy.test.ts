// Every legacy endpoint's method, path, query and body, against ao-wire.md's protocol table.
import { expect } from 'chai'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { InvalidTargetError } from '../../../sdk/errors.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { legacy } from '../../../sdk/transports/legacy.js'
import type { Transport } from '../../../sdk/types.js'
import { startRecordingServer } from '../helpers/recordingServer.js'

const PROCESS = Buffer.alloc(32, 7).toString('base64url')
const signer = ethereumSigner('0x' + '11'.repeat(32))
const RESULT = { Messages: [], Spawns: [], Assignments: [], Output: 'ok' }

describe('legacy transport: the protocol table', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>
  let transport: Transport
  const last = () => server.seen[server.seen.length - 1]

  before(async () => {
    server = await startRecordingServer((request, _index, res) => {
      const body =
        request.url.startsWith('/cu/results/') ? { edges: [{ cursor: '1', node: RESULT }] }
        : request.url.startsWith('/cu/') ? RESULT
        : { message: 'Processing DataItem', id: 'from-mu' }
      res.writeHead(request.url.startsWith('/mu') && request.method === 'POST' ? 202 : 200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    })
    // MU and CU share one origin on different paths; a trailing slash is tolerated.
    transport = legacy({ muUrl: `${server.url}/mu`, cuUrl: `${server.url}/cu/`, sleep: async () => {} })
  })
  after(() => server.close())

  it('message: POST {MU} with the raw item as application/octet-stream → the item id', async () => {
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Ping' }, data: 'hi' })
    expect(await transport.message(item)).to.deep.equal({ id: item.id })
    expect(last().method).to.equal('POST')
    expect(last().url).to.equal('/mu')
    expect(last().headers['content-type']).to.equal('application/octet-stream')
    expect(new Uint8Array(last().body)).to.deep.equal(item.raw)
  })

  it('message: refuses an item without a target before sending', async () => {
    const count = server.seen.length
    const item = await createDataItem({ signer, data: 'hi' })
    const error = await transport.message(item).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(InvalidTargetError)
    expect((error as InvalidTargetError).message).to.equal(`target: a message item needs a target process; item ${item.id} has none.`)
    expect(server.seen).to.have.length(count)
  })

  it('spawn: POST {MU} with the raw Process item → the item id is the process id', async () => {
    const item = await createDataItem({ signer, tags: { Type: 'Process', Module: 'mod' }, data: '1984' })
    expect(await transport.spawn(item)).to.deep.equal({ id: item.id })
    expect(last().method).to.equal('POST')
    expect(last().url).to.equal('/mu')
    expect(last().headers['content-type']).to.equal('application/octet-stream')
    expect(new Uint8Array(last().body)).to.deep.equal(item.raw)
  })

  it('result: GET {CU}/result/{msg}?process-id={pid}', async () => {
    expect(await transport.result({ process: PROCESS, message: 'msg-1' })).to.deep.equal(RESULT)
    expect(last().method).to.equal('GET')
    expect(last().url).to.equal(`/cu/result/msg-1?process-id=${PROCESS}`)
  })

  it('results: GET {CU}/results/{pid}?from&to&sort&limit', async () => {
    const page = await transport.results({ process: PROCESS, from: '3', to: '9', sort: 'DESC', limit: 5 })
    expect(page).to.deep.equal({ edges: [{ cursor: '1', node: RESULT }] })
    expect(last().method).to.equal('GET')
    expect(last().url).to.equal(`/cu/results/${PROCESS}?from=3&to=9&sort=DESC&limit=5`)
    await transport.results({ process: PROCESS })
    expect(last().url).to.equal(`/cu/results/${PROCESS}`)
  })

  it('dryrun: POST {CU}/dry-run?process-id= with JSON {Id, Owner, Target, Data, Tags, Anchor}', async () => {
    const tags = [{ name: 'Action', value: 'Info' }]
    expect(await transport.dryrun({ process: PROCESS, owner: 'alice', tags, data: 'q' })).to.deep.equal(RESULT)
    expect(last().method).to.equal('POST')
    expect(last().url).to.equal(`/cu/dry-run?process-id=${PROCESS}`)
    expect(last().headers['content-type']).to.equal('application/json')
    expect(JSON.parse(last().body.toString())).to.deep.equal({ Id: '1234', Owner: 'alice', Target: PROCESS, Data: 'q', Tags: tags, Anchor: '0' })
  })

  it('dryrun: aoconnect defaults for Owner and Data when absent', async () => {
    await transport.dryrun({ process: PROCESS, tags: [] })
    expect(JSON.parse(last().body.toString())).to.deep.equal({ Id: '1234', Owner: '1234', Target: PROCESS, Data: '1234', Tags: [], Anchor: '0' })
  })

  it('assign: POST {MU}?process-id=&assign=[&base-layer][&exclude=a,b] → the MU id', async () => {
    expect(await transport.assign({ process: PROCESS, message: 'msg-2' })).to.deep.equal({ id: 'from-mu' })
    expect(last().method).to.equal('POST')
    expect(last().url).to.equal(`/mu?process-id=${PROCESS}&assign=msg-2`)
    await transport.assign({ process: PROCESS, message: 'msg-2', baseLayer: true, exclude: ['Data', 'Anchor'] })
    expect(last().url).to.equal(`/mu?process-id=${PROCESS}&assign=msg-2&base-layer&exclude=Data,Anchor`)
  })

  it('monitor: POST {MU}/monitor/{pid} with the signed item', async () => {
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Monitor' } })
    await transport.monitor(item)
    expect(last().method).to.equal('POST')
    expect(last().url).to.equal(`/mu/monitor/${PROCESS}`)
    expect(new Uint8Array(last().body)).to.deep.equal(item.raw)
  })

  it('unmonitor: DELETE {MU}/monitor/{pid} with the signed item', async () => {
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Unmonitor' } })
    await transport.unmonitor(item)
    expect(last().method).to.equal('DELETE')
    expect(last().url).to.equal(`/mu/monitor/${PROCESS}`)
    expect(new Uint8Array(last().body)).to.deep.equal(item.raw)
  })
})
