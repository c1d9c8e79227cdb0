// exportProcess: a devnet process's SU history as an ao-replay/1 file whose replay gives the devnet CU's results.
import { expect } from 'chai'
import { createServer } from 'node:net'
import { AOS_MODULE_RECORD, exportProcess, ExportError, ProcessNotFoundError, SchedulerUnitError } from '../../harness/exportProcess.js'
import { parseReplayFile, replay, type ReplayFile } from '../../harness/replay.js'
import { cases } from '../fidelity/cases.js'
import type { ReplayMessage } from '../fidelity/replayFile.js'
import type { AoResult } from '../../sdk/types.js'
import { startTokenHistory, type TokenHistory } from './exportSupport.js'
import { loopbackFetch } from './server/support.js'

/** The module's fields as the CU's JSON carries them (absent lists are [], an absent Output ''), GasUsed aside. */
const comparable = (r: AoResult | Record<string, unknown>) =>
  JSON.stringify({ Messages: r.Messages ?? [], Spawns: r.Spawns ?? [], Assignments: r.Assignments ?? [], Output: r.Output ?? '', Error: r.Error })

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}

describe('exportProcess', function () {
  this.timeout(120_000)
  let h: TokenHistory
  let file: ReplayFile
  const warnings: string[] = []

  before(async () => {
    h = await startTokenHistory()
    file = await exportProcess({ url: h.devnet.url, process: h.token, fetch: loopbackFetch, onWarning: (w) => warnings.push(w) })
  })
  after(() => h?.close())

  it('writes a valid ao-replay/1 file: the Process message, then every scheduled message in nonce order', () => {
    expect(parseReplayFile(JSON.parse(JSON.stringify(file)))).to.deep.equal(file)
    expect(file.process.Id).to.equal(h.token)
    expect(file.process.Nonce).to.equal(0)
    expect(file.messages.map((m) => m.Nonce)).to.deep.equal(file.messages.map((_, i) => i + 1))
    // The user's messages, plus the one the MU pushed for the relay.
    expect(file.messages.filter((m) => h.sent.includes(m.Id)).map((m) => m.Id)).to.deep.equal(h.sent)
    expect(file.messages).to.have.length(h.sent.length + 1)
    expect(warnings).to.deep.equal([])
  })

  it("reads the module record from the devnet's gateway", () => {
    expect(file.module.Id).to.equal(AOS_MODULE_RECORD.Id)
    expect(file.module.Owner).to.match(/^[\w-]{43}$/)
    expect(file.module.Tags).to.deep.include({ name: 'Type', value: 'Module' })
  })

  it('builds each message as the CU does: assignment fields as numbers, From/Forwarded-By from From-Process', () => {
    const user = file.messages.find((m) => m.Id === h.sent[1])!
    const address = h.client.signer!.address
    expect(user).to.include({ Owner: address, From: address, Target: h.token, Epoch: 0, Nonce: 2, Cron: false, 'Read-Only': false })
    expect(user).to.not.have.property('Forwarded-By')
    expect(user.Timestamp).to.be.a('number')
    expect(user['Block-Height']).to.be.a('number')
    expect(user['Hash-Chain']).to.match(/^[\w-]{43}$/)
    const pushed = file.messages.find((m) => !h.sent.includes(m.Id))!
    const relay = pushed.Tags.find((t) => t.name === 'From-Process')!.value
    expect(pushed.From).to.equal(relay)
    expect(pushed['Forwarded-By']).to.equal(pushed.Owner)
    expect(pushed.Owner).to.not.equal(relay)
  })

  it("replays to the devnet CU's results, byte for byte, message by message (Messages, Spawns, Assignments, Output, Error)", async () => {
    const { results } = await replay(file)
    const ids = [file.process.Id, ...file.messages.map((m) => m.Id)]
    expect(results).to.have.length(ids.length)
    for (const [i, id] of ids.entries()) {
      expect(comparable(results[i]!), `message ${i} (${id})`).to.equal(comparable(await h.cuResult(id)))
    }
    // The history has successes, an assertion Error and an Eval Error: the comparison covers each kind.
    expect(results.filter((r) => r.Error !== undefined).length).to.be.at.least(2)
  })

  it('reads the same history page by page, from the devnet root or its /su', async () => {
    const paged = await exportProcess({ url: `${h.devnet.url}/su/`, process: h.token, fetch: loopbackFetch, pageSize: 2 })
    expect(paged).to.deep.equal(file)
  })

  it('an unknown process is a ProcessNotFoundError naming it', async () => {
    const pid = 'Z'.repeat(43)
    const error = await exportProcess({ url: h.devnet.url, process: pid, fetch: loopbackFetch }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ProcessNotFoundError)
    expect((error as ProcessNotFoundError).process).to.equal(pid)
    expect((error as Error).message).to.contain(pid).and.contain(`${h.devnet.url}/su`)
  })

  it('an unreachable or malformed URL, or a bad id, is a named error', async () => {
    const port = await closedPort()
    const unreachable = await exportProcess({ url: `http://127.0.0.1:${port}`, process: h.token, fetch: loopbackFetch }).catch((e: unknown) => e)
    expect(unreachable).to.be.instanceOf(SchedulerUnitError)
    expect((unreachable as Error).message).to.contain(`http://127.0.0.1:${port}`).and.contain('unreachable')
    const notUrl = await exportProcess({ url: 'not a url', process: h.token }).catch((e: unknown) => e)
    expect(notUrl).to.be.instanceOf(SchedulerUnitError)
    expect((notUrl as Error).message).to.contain('not a URL')
    const badId = await exportProcess({ url: h.devnet.url, process: 'abc' }).catch((e: unknown) => e)
    expect(badId).to.be.instanceOf(ExportError)
  })

  it("falls back to aos's module record, with a warning, when the gateway has none", async () => {
    const seen: string[] = []
    const noGateway: typeof fetch = (input, init) => (String(input).endsWith('/graphql') ? Promise.resolve(new Response('nope', { status: 502 })) : loopbackFetch(input, init))
    const fallback = await exportProcess({ url: h.devnet.url, process: h.token, fetch: noGateway, onWarning: (w) => seen.push(w) })
    expect(fallback.module).to.deep.equal(AOS_MODULE_RECORD)
    expect(seen.join('\n')).to.contain('502')
    expect(fallback.messages).to.deep.equal(file.messages)
  })
})

describe('exportProcess from a legacy scheduler unit (a stub SU and gateway)', () => {
  const source = cases['token-transfer']
  const SU = 'https://su.example'
  const GATEWAY = 'https://gateway.example'
  /** This message is served as an assignment of an on-chain message: the gateway has it, the SU does not. */
  const onChain = source.messages[3]!
  const all = [source.process, ...source.messages]

  const node = (m: ReplayMessage) => ({
    message:
      m === onChain
        ? null
        : { id: m.Id, owner: { address: m.Owner, key: 'k' }, data: m.Data, tags: m.Tags, anchor: m.Anchor || null, target: m.Target, signature: '' },
    assignment: {
      id: `assignment-${m.Nonce}`,
      owner: { address: 'su-wallet', key: 'k' },
      tags: [
        { name: 'Process', value: source.process.Id },
        { name: 'Epoch', value: String(m.Epoch) },
        { name: 'Nonce', value: String(m.Nonce) },
        { name: 'Timestamp', value: String(m.Timestamp) },
        // Zero-padded, as AO's SU writes it.
        { name: 'Block-Height', value: String(m['Block-Height']).padStart(12, '0') },
        { name: 'Hash-Chain', value: m['Hash-Chain'] as string },
        { name: 'Message', value: m.Id },
      ],
    },
  })
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

  /** The SU pages by a bare timestamp cursor taken inclusively, so each page repeats the last edge of the one before. */
  const stub: typeof fetch = async (input, init) => {
    const url = new URL(String(input))
    if (url.origin === SU && url.pathname === '/') return json({ Unit: 'Scheduler' })
    if (url.origin === SU && url.pathname === `/${source.process.Id}`) {
      const from = Number(url.searchParams.get('from') ?? 0)
      const limit = Number(url.searchParams.get('limit'))
      const rest = all.filter((m) => (m.Timestamp as number) >= from)
      const edges = rest.slice(0, limit).map((m) => ({ cursor: String(m.Timestamp), node: node(m) }))
      return json({ page_info: { has_next_page: rest.length > limit }, edges })
    }
    if (url.origin === SU) return json({ error: 'Process not found' }, 404)
    if (url.href === `${GATEWAY}/graphql`) {
      const [id] = JSON.parse(String(init?.body)).variables.transactionIds as string[]
      const nodes =
        id === source.module.Id
          ? [{ id, owner: { address: source.module.Owner }, tags: source.module.Tags }]
          : id === onChain.Id
            ? [{ id, signature: null, anchor: onChain.Anchor, recipient: onChain.Target, owner: { address: onChain.Owner }, tags: onChain.Tags }]
            : []
      return json({ data: { transactions: { edges: nodes.map((n) => ({ node: n })) } } })
    }
    if (url.href === `${GATEWAY}/raw/${onChain.Id}`) return new Response(onChain.Data as string)
    return new Response('not found', { status: 404 })
  }

  it("rebuilds the messages a CU evaluated from the SU's pages, on-chain assignments included", async () => {
    const file = await exportProcess({ url: SU, gateway: GATEWAY, process: source.process.Id!, fetch: stub, pageSize: 4 })
    expect(file.module).to.deep.equal(source.module)
    expect(file.process).to.deep.equal(source.process)
    expect(file.messages).to.deep.equal(source.messages)
    expect(JSON.stringify(await replay(file))).to.equal(JSON.stringify(await replay(source)))
  })

  it("a 404 from the SU is a ProcessNotFoundError; an on-chain message the gateway lacks is named", async () => {
    const error = await exportProcess({ url: SU, gateway: GATEWAY, process: 'Y'.repeat(43), fetch: stub }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ProcessNotFoundError)
    const noRaw: typeof fetch = (input, init) => (String(input).includes('/raw/') ? Promise.resolve(new Response('gone', { status: 404 })) : stub(input, init))
    const missing = await exportProcess({ url: SU, gateway: GATEWAY, process: source.process.Id!, fetch: noRaw }).catch((e: unknown) => e)
    expect(missing).to.be.instanceOf(ExportError)
    expect((missing as Error).message).to.contain(onChain.Id).and.contain(GATEWAY)
  })
})
