// The gateway (GraphQL by id, Scheduler-Location, data by id) and SU endpoints (info, clock, history, one message),
// read as aoconnect and ao-scheduler-utils read them.
import { expect } from 'chai'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { DEVNET_EPOCH, removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const eth = ethereumSigner(ETH_PRIVATE_KEY)
const UNKNOWN = 'Z'.repeat(43)

describe('devnet: gateway and SU endpoints', function () {
  let devnet: TestDevnet
  let pid: string
  let message: string

  const post = async (raw: Uint8Array) => {
    const res = await fetch(`${devnet.muUrl}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(raw) })
    expect(res.status).to.equal(202)
    return (await res.json()) as { id: string }
  }
  const get = async (path: string) => {
    const res = await fetch(`${devnet.url}${path}`)
    return { status: res.status, body: await res.json() }
  }
  const graphql = async (query: string, variables: unknown) => {
    const res = await fetch(`${devnet.gatewayUrl}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) })
    return { status: res.status, body: await res.json() }
  }

  before(async () => {
    devnet = await startTestDevnet()
    pid = (await post(await rawItem({ signer: eth, tags: processTags(devnet.scheduler, [{ name: 'Name', value: 'reader' }]) }))).id
    message = (await post(await rawItem({ signer: eth, target: pid, tags: messageTags('Hello'), data: 'hello data' }))).id
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  describe('gateway', () => {
    it('answers a transactions-by-id query with each known item, in the order asked, and leaves out unknown ids', async () => {
      const { status, body } = await graphql('query ($ids: [ID!]!) { transactions(ids: $ids) { edges { node { id } } } }', { ids: [message, UNKNOWN, pid] })
      expect(status).to.equal(200)
      const edges = body.data.transactions.edges
      expect(edges.map((e: { cursor: string }) => e.cursor)).to.deep.equal([message, pid])
      expect(body.data.transactions.pageInfo).to.deep.equal({ hasNextPage: false })
      const [msg, proc] = edges.map((e: { node: unknown }) => e.node)
      expect(msg.owner.address).to.equal(eth.address)
      expect(msg.tags).to.deep.equal(messageTags('Hello'))
      expect(proc.tags).to.deep.include({ name: 'Name', value: 'reader' })
      expect(proc.block).to.deep.equal({ id: 'aokit-devnet', height: devnet.devnet.network.clock.blockHeight, timestamp: Math.floor(DEVNET_EPOCH / 1000) })
    })

    it("describes the aos module as a Module owned by the network's module owner", async () => {
      const { body } = await graphql('query ($transactionIds: [ID!]!) { transactions(ids: $transactionIds) { edges { node { id } } } }', { transactionIds: [AOS_MODULE] })
      const node = body.data.transactions.edges[0].node
      expect(node.id).to.equal(AOS_MODULE)
      expect(node.owner.address).to.equal(devnet.devnet.network.ids.moduleOwner)
      expect(node.tags).to.deep.include({ name: 'Type', value: 'Module' })
      expect(node.tags).to.deep.include({ name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' })
    })

    it("answers the scheduler's Scheduler-Location record with the SU's URL, and nothing for another owner", async () => {
      const query = 'query ($owner: String!) { transactions(owners: [$owner], tags: [{ name: "Type", values: ["Scheduler-Location"] }]) { edges { node { tags { name value } } } } }'
      const { body } = await graphql(query, { owner: devnet.scheduler })
      const [edge] = body.data.transactions.edges
      expect(edge.node.owner).to.deep.equal({ address: devnet.scheduler })
      expect(edge.node.tags).to.deep.equal([
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Type', value: 'Scheduler-Location' },
        { name: 'Url', value: devnet.suUrl },
        { name: 'Time-To-Live', value: '3600000' },
      ])
      expect((await graphql(query, { owner: UNKNOWN })).body.data.transactions.edges).to.deep.equal([])
    })

    it('refuses a query without ids with 400 naming variables.transactionIds', async () => {
      const { status, body } = await graphql('query { transactions { edges { node { id } } } }', {})
      expect(status).to.equal(400)
      expect(body).to.deep.equal({ code: 'bad-graphql', error: 'variables.transactionIds: a list of id strings is required' })
    })

    it("serves an item's data by id at /raw/{id} and /{id}; an unknown id is 404", async () => {
      for (const path of [`/raw/${message}`, `/${message}`]) {
        const res = await fetch(`${devnet.gatewayUrl}${path}`)
        expect(res.status, path).to.equal(200)
        expect(res.headers.get('content-type')).to.equal('application/octet-stream')
        expect(await res.text()).to.equal('hello data')
      }
      expect(await get(`/raw/${UNKNOWN}`)).to.deep.equal({ status: 404, body: { code: 'unknown-item', error: `No data item ${UNKNOWN} on this devnet` } })
    })
  })

  describe('SU', () => {
    it('names itself, its address, its clock and its processes', async () => {
      const { status, body } = await get('/su')
      expect(status).to.equal(200)
      expect(body).to.deep.equal({ Unit: 'Scheduler', Address: devnet.scheduler, Timestamp: DEVNET_EPOCH, Processes: [pid] })
    })

    it("tells the network's time (of its last input) and block height", async () => {
      const { body } = await get('/su/timestamp')
      expect(body).to.deep.equal({ timestamp: DEVNET_EPOCH, block_height: devnet.devnet.network.clock.blockHeight })
    })

    it("lists a process's history as edges with exact cursors: the Process message at nonce 0, then the message", async () => {
      const { body } = await get(`/su/${pid}`)
      expect(body.page_info).to.deep.equal({ has_next_page: false })
      const nonces = body.edges.map((e: any) => e.node.assignment.tags.find((t: { name: string }) => t.name === 'Nonce').value)
      expect(nonces).to.deep.equal(['0', '1'])
      expect(body.edges.map((e: any) => e.node.message.id)).to.deep.equal([pid, message])
      expect(body.edges.map((e: any) => e.cursor)).to.deep.equal([`${DEVNET_EPOCH}-0`, `${DEVNET_EPOCH}-1`])
      const after = await get(`/su/${pid}?from=${body.edges[0].cursor}`)
      expect(after.body.edges.map((e: any) => e.node.message.id)).to.deep.equal([message])
    })

    it('reads one scheduled message with its assignment, by id, with or without process-id', async () => {
      for (const path of [`/su/${message}`, `/su/${message}?process-id=${pid}`]) {
        const { status, body } = await get(path)
        expect(status, path).to.equal(200)
        expect(body.message).to.deep.include({ id: message, target: pid, owner: { address: eth.address }, data: 'hello data' })
        expect(body.assignment.id).to.equal(`${pid}/1`)
        expect(body.assignment.owner).to.deep.equal({ address: devnet.scheduler })
        expect(body.assignment.tags).to.deep.include.members([
          { name: 'Process', value: pid },
          { name: 'Nonce', value: '1' },
          { name: 'Timestamp', value: String(DEVNET_EPOCH) },
          { name: 'Message', value: message },
        ])
      }
    })

    it('an unknown message is 404 naming it; a bad cursor or limit is 400', async () => {
      expect(await get(`/su/${UNKNOWN}`)).to.deep.equal({ status: 404, body: { code: 'unknown-message', error: `No scheduled message ${UNKNOWN}` } })
      expect(await get(`/su/${message}?process-id=${UNKNOWN}`)).to.deep.equal({ status: 404, body: { code: 'unknown-message', error: `No scheduled message ${message} at ${UNKNOWN}` } })
      expect((await get(`/su/${pid}?from=yesterday`)).body.code).to.equal('bad-cursor')
      expect((await get(`/su/${pid}?limit=0`)).body).to.deep.equal({ code: 'bad-limit', error: 'limit: must be 1 to 1000, got 0' })
    })
  })
})
