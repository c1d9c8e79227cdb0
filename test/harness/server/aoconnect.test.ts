// Stock @permaweb/aoconnect in legacy mode against the devnet: every call the issue names, unchanged.
import { expect } from 'chai'
import { connect, createDataItemSigner } from '@permaweb/aoconnect'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { arweave, testJwk } from '../../sdk/helpers/keys.js'
import { loopbackFetch, removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const COUNTER = `Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('get', 'Get', function(msg) msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('tick', 'Tick', function(msg) Ticks = (Ticks or 0) + 1 end)`

/** The legacy-mode calls used here (aoconnect's own types merge legacy and mainnet modes). */
type Call = (args: Record<string, unknown>) => Promise<any>
type Ao = Record<'spawn' | 'message' | 'result' | 'results' | 'dryrun' | 'assign' | 'monitor' | 'unmonitor', Call>

describe('devnet: stock aoconnect (legacy mode)', function () {
  let devnet: TestDevnet
  let ao: Ao
  let signer: ReturnType<typeof createDataItemSigner>
  let pid: string

  const tag = (name: string, value: string) => ({ name, value })

  before(async () => {
    devnet = await startTestDevnet()
    ao = connect({ MODE: 'legacy', MU_URL: devnet.muUrl, CU_URL: devnet.cuUrl, GATEWAY_URL: devnet.gatewayUrl, fetch: loopbackFetch, noLog: true } as never) as unknown as Ao
    signer = createDataItemSigner(await testJwk())
  })
  // A fresh counter for every test (history: the spawn at 0, the Eval at 1), so none depends on another's messages.
  beforeEach(async () => {
    pid = await ao.spawn({ module: AOS_MODULE, scheduler: devnet.scheduler, signer, tags: [tag('Name', 'counter'), tag('Cron-Interval', '1-minute'), tag('Cron-Tag-Action', 'Tick')] })
    const load = await ao.message({ process: pid, signer, tags: [tag('Action', 'Eval')], data: COUNTER })
    const loaded = await ao.result({ process: pid, message: load })
    expect(loaded.Error, 'loading the counter').to.equal(undefined)
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  it('spawn returns the item id, and the process is owned by the signer\'s address', async () => {
    expect(pid).to.match(/^[A-Za-z0-9_-]{43}$/)
    const address = await arweave.wallets.jwkToAddress(await testJwk())
    expect(devnet.devnet.network.process(pid).owner).to.equal(address)
    expect(await readGlobal(pid, 'Owner')).to.equal(address)
  })

  it('message + result: the reply to the sender, in the CU shape', async () => {
    const id = await ao.message({ process: pid, signer, tags: [tag('Action', 'Inc')] })
    const res = await ao.result({ process: pid, message: id })
    expect(res).to.include.keys('Messages', 'Spawns', 'Assignments', 'Output')
    expect(res.Messages[0].Data).to.equal('1')
    expect(res.Messages[0].Tags).to.deep.include(tag('Action', 'Count'))
  })

  it('results pages with string cursors, ASC and DESC', async () => {
    await inc(2)
    const first = await ao.results({ process: pid, limit: 2 })
    expect(first.edges.map((e: { cursor: string }) => e.cursor)).to.deep.equal(['0', '1'])
    const next = await ao.results({ process: pid, from: first.edges[1].cursor, limit: 10 })
    expect(next.edges.map((e: { cursor: string }) => e.cursor)).to.deep.equal(['2', '3'])
    const newest = await ao.results({ process: pid, sort: 'DESC', limit: 1 })
    expect(newest.edges[0].node.Messages[0].Data).to.equal('2')
  })

  it('dryrun answers from the current state and changes nothing', async () => {
    await inc(2)
    const before = devnet.devnet.logLength
    const res = await ao.dryrun({ process: pid, tags: [tag('Action', 'Get')] })
    expect(res.Messages[0].Data).to.equal('2')
    const again = await ao.dryrun({ process: pid, tags: [tag('Action', 'Inc')] })
    expect(again.Messages[0].Data).to.equal('3')
    expect((await ao.dryrun({ process: pid, tags: [tag('Action', 'Get')] })).Messages[0].Data).to.equal('2')
    expect(devnet.devnet.logLength).to.equal(before)
  })

  it('assign schedules a message on a second process that accepts it', async () => {
    const other = await ao.spawn({ module: AOS_MODULE, scheduler: devnet.scheduler, signer, tags: [tag('Name', 'other')] })
    await ao.result({
      process: other,
      message: await ao.message({ process: other, signer, tags: [tag('Action', 'Eval')], data: "Seen = 0\nao.addAssignable('incs', { Action = 'Inc' })\nHandlers.add('inc', 'Inc', function() Seen = Seen + 1 end)" }),
    })
    const id = await ao.message({ process: pid, signer, tags: [tag('Action', 'Inc')] })
    const assignment = await ao.assign({ process: other, message: id })
    expect(assignment).to.equal(`${other}/${id}`)
    expect(await readGlobal(other, 'Seen')).to.equal(1)
    const res = await ao.result({ process: other, message: id })
    expect(res.Error).to.equal(undefined)
    expect(devnet.devnet.network.process(other).scheduler.messages.at(-1)!.message.Id).to.equal(id)
  })

  it('monitor makes the devnet tick the process\'s cron on its own; unmonitor stops it', async () => {
    await ao.monitor({ process: pid, signer })
    devnet.clock.now += 3 * 60_000
    expect(await devnet.devnet.tick()).to.equal(true)
    expect(await readGlobal(pid, 'Ticks')).to.equal(3)
    await ao.unmonitor({ process: pid, signer })
    devnet.clock.now += 3 * 60_000
    expect(await devnet.devnet.tick()).to.equal(false)
  })

  it('the gateway serves the module\'s tags and an item\'s data by id', async () => {
    const res = await fetch(`${devnet.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'query GetTransactions($transactionIds: [ID!]!) { transactions(ids: $transactionIds) { edges { node { tags { name value } } } } }', variables: { transactionIds: [AOS_MODULE, pid] } }),
    })
    const body = await res.json()
    expect(body.data.transactions.edges[0].node.tags).to.deep.include(tag('Type', 'Module'))
    expect(body.data.transactions.edges[1].node.tags).to.deep.include(tag('Name', 'counter'))
    const load = devnet.devnet.network.process(pid).scheduler.messages[1]!.message.Id
    expect(await (await fetch(`${devnet.gatewayUrl}/raw/${load}`)).text()).to.equal(COUNTER)
  })

  it('the SU lists the process\'s messages with their assignments, and reads one by id', async () => {
    await inc(2)
    const page = await (await fetch(`${devnet.suUrl}/${pid}?limit=3`)).json()
    expect(page.page_info.has_next_page).to.equal(true)
    const nonces = page.edges.map((e: any) => e.node.assignment.tags.find((t: any) => t.name === 'Nonce').value)
    expect(nonces).to.deep.equal(['0', '1', '2'])
    const second = page.edges[1].node.message.id
    const one = await (await fetch(`${devnet.suUrl}/${second}?process-id=${pid}`)).json()
    expect(one.message.id).to.equal(second)
    const ts = await (await fetch(`${devnet.suUrl}/timestamp`)).json()
    expect(ts).to.deep.equal({ timestamp: devnet.devnet.network.clock.now, block_height: devnet.devnet.network.clock.blockHeight })
  })

  async function inc(times: number): Promise<void> {
    for (let i = 0; i < times; i++) await ao.message({ process: pid, signer, tags: [tag('Action', 'Inc')] })
  }

  function readGlobal(process: string, name: string): Promise<unknown> {
    return devnet.devnet.network.process(process).vm.read(name)
  }
})
