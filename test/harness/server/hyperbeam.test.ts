// The devnet's HyperBEAM routes over raw HTTP: the shapes spec §5 names, the same results as the legacy API, and
// bad input refused with `{ error, code }` and no change.
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, rawItem } from './rawItem.js'
import { removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const COUNTER = `Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Data = tostring(Count) }) end)
Handlers.add('get', 'Get', function(msg) msg.reply({ Data = tostring(Count) .. ':' .. msg.From }) end)
Handlers.add('forward', 'Forward', function(msg) Send({ Target = msg.To, Action = 'Inc' }) end)`

const ANS104 = { 'Content-Type': 'application/ans104', 'codec-device': 'ans104@1.0' }

describe('devnet: HyperBEAM routes', function () {
  const eth = ethereumSigner(ETH_PRIVATE_KEY)
  let devnet: TestDevnet
  let pid: string
  let incId: string

  const url = (path: string) => `${devnet.url}${path}`
  const push = (path: string, body: Uint8Array, headers: Record<string, string> = ANS104) => fetch(url(path), { method: 'POST', headers, body: body as BodyInit })
  const spawnTags = () => [
    { name: 'device', value: 'process@1.0' },
    { name: 'execution-device', value: 'genesis-wasm@1.0' },
    { name: 'Authority', value: devnet.scheduler },
    { name: 'Scheduler', value: devnet.scheduler },
    { name: 'Module', value: AOS_MODULE },
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Type', value: 'Process' },
    { name: 'Variant', value: 'ao.N.1' },
  ]

  /** Expects a refusal with this status and code, and no new log entry. */
  async function refused(res: Promise<Response>, status: number, code: string) {
    const log = devnet.devnet.logLength
    const answer = await res
    const body = await answer.json()
    expect(answer.status, JSON.stringify(body)).to.equal(status)
    expect(body.code).to.equal(code)
    expect(body.error).to.be.a('string')
    expect(devnet.devnet.logLength, 'log length').to.equal(log)
  }

  before(async () => {
    devnet = await startTestDevnet()
    const spawn = await rawItem({ signer: eth, tags: spawnTags(), data: '1984' })
    const res = await push('/push', spawn)
    expect(res.status).to.equal(200)
    pid = res.headers.get('process')!
    expect(res.headers.get('slot')).to.equal('0')
    expect((await res.json()).slot).to.equal(0)
    const load = await push(`/${pid}~process@1.0/push`, await rawItem({ signer: eth, target: pid, tags: messageTags('Eval'), data: COUNTER }))
    expect((await load.json()).raw.Error).to.equal(undefined)
    const inc = await push(`/${pid}~process@1.0/push`, await rawItem({ signer: eth, target: pid, tags: messageTags('Inc') }))
    const body = await inc.json()
    expect(body).to.include({ slot: 2, process: pid })
    expect(body.raw.Messages[0].Data).to.equal('1')
    expect(body.results.raw).to.deep.equal(body.raw)
    // The reply goes to the signer's wallet, not a process here: its outbox entry says so.
    expect(body['1']).to.include({ status: 404 })
    incId = body.id
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  it('/~meta@1.0/info names the scheduler address, as JSON and as text', async () => {
    expect(await (await fetch(url('/~meta@1.0/info/address'))).text()).to.equal(devnet.scheduler)
    expect((await (await fetch(url('/~meta@1.0/info'))).json()).address).to.equal(devnet.scheduler)
  })

  it('slot/current, both forms, GET and POST, as a text integer', async () => {
    for (const path of [`/${pid}/slot/current`, `/${pid}~process@1.0/slot/current`]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(url(path), { method })
        expect(res.headers.get('content-type')).to.match(/^text\/plain/)
        expect(await res.text()).to.equal('2')
      }
    }
  })

  it('results by slot or message id, in every path form, match the legacy CU result', async () => {
    const legacy = await (await fetch(`${devnet.cuUrl}/result/${incId}?process-id=${pid}`)).json()
    for (const path of [
      `/${pid}~process@1.0/compute/results=2`,
      `/${pid}~process@1.0/compute/results=${incId}`,
      `/${pid}~process@1.0/compute=2`,
      `/${pid}~process@1.0/compute=2/results`,
      `/${pid}~process@1.0/compute&slot=2`,
      `/${pid}/compute/results=2`,
      `/${pid}/compute/results`,
      `/${pid}~process@1.0/now/results`,
    ]) {
      const res = await fetch(url(path), { method: 'POST' })
      const body = await res.json()
      expect(res.status, path).to.equal(200)
      expect(body.raw, path).to.deep.equal(legacy)
      expect(body.results.raw, path).to.deep.equal(legacy)
      expect(body).to.include({ slot: 2, id: incId })
    }
    expect((await (await fetch(url(`/${pid}~process@1.0/compute=0`))).json()).id).to.equal(pid)
  })

  it('an unknown slot, message or process is a 404; a bad slot is a 400', async () => {
    await refused(fetch(url(`/${pid}~process@1.0/compute/results=9`)), 404, 'unknown-slot')
    await refused(fetch(url(`/${pid}~process@1.0/compute=-1`)), 404, 'unknown-slot')
    await refused(fetch(url(`/${pid}~process@1.0/compute/results=${'x'.repeat(43)}`)), 404, 'unknown-slot')
    await refused(fetch(url(`/${'x'.repeat(43)}~process@1.0/compute=1`)), 404, 'unknown-process')
    await refused(fetch(url(`/${'x'.repeat(43)}/slot/current`)), 404, 'unknown-process')
    await refused(fetch(url(`/${'x'.repeat(43)}~process@1.0/now`)), 404, 'unknown-process')
    await refused(fetch(url(`/${pid}~process@1.0/compute=abc`)), 400, 'bad-slot')
    await refused(fetch(url(`/${pid}~process@1.0/compute/results=-2`)), 400, 'bad-slot')
    await refused(fetch(url(`/${pid}~process@1.0/compute=1.5`)), 400, 'bad-slot')
    await refused(fetch(url('/not-an-id~process@1.0/slot/current')), 400, 'bad-process')
  })

  it('dry-run takes its tags from the path and its sender from the signed item; nothing changes', async () => {
    const log = devnet.devnet.logLength
    const item = await rawItem({ signer: eth, target: pid, tags: messageTags('x') })
    const res = await push(`/${pid}~process@1.0/as=execution/compute&Action=Get`, item)
    const body = await res.json()
    expect(body.raw.Messages[0].Data).to.equal(`1:${eth.address}`)
    expect(body.results.raw).to.deep.equal(body.raw)
    const inc = await (await fetch(url(`/${pid}~process@1.0/as=execution/compute&Action=Inc`), { method: 'POST' })).json()
    expect(inc.raw.Messages[0].Data).to.equal('2')
    expect(await devnet.devnet.network.process(pid).vm.read('Count')).to.equal(1)
    expect(devnet.devnet.logLength).to.equal(log)
    await refused(fetch(url(`/${pid}~process@1.0/as=execution/compute&Action`), { method: 'POST' }), 400, 'bad-tag')
    await refused(fetch(url(`/${pid}~process@1.0/as=execution/compute&Action=Get&Path=a/b`), { method: 'POST' }), 400, 'bad-tag')
    const escaped = await (await fetch(url(`/${pid}~process@1.0/as=execution/compute&Action=Get&Path=a%2Fb`), { method: 'POST' })).json()
    expect(escaped.raw.Messages[0].Data).to.equal('1:1234')
    await refused(push(`/${pid}~process@1.0/as=execution/compute&Action=Get`, await rawItem({ signer: eth, target: 'y'.repeat(43), tags: messageTags('x') })), 400, 'bad-target')
  })

  it('a push is verified as the MU verifies it; a bad one is refused and logs nothing', async () => {
    await refused(push('/push', new Uint8Array([1, 2, 3])), 400, 'malformed-item')
    const good = await rawItem({ signer: eth, target: pid, tags: messageTags('Inc') })
    const forged = good.slice()
    forged[good.length - 1] ^= 1
    await refused(push(`/${pid}~process@1.0/push`, forged), 400, 'bad-signature')
    await refused(push(`/${pid}~process@1.0/push`, await rawItem({ signer: eth, target: 'y'.repeat(43), tags: messageTags('Inc') })), 400, 'bad-target')
    await refused(push(`/${pid}~process@1.0/push`, await rawItem({ signer: eth, tags: spawnTags() })), 400, 'bad-type')
    await refused(push(`/${pid}~process@1.0/push`, good, { 'Content-Type': 'application/json' }), 415, 'unsupported-codec')
    await refused(push('/push', await rawItem({ signer: eth, tags: spawnTags().map((t) => (t.name === 'Scheduler' ? { ...t, value: 'z'.repeat(43) } : t)) })), 400, 'wrong-scheduler')
    await refused(fetch(url(`/${pid}~process@1.0/push`)), 405, 'method-not-allowed')
  })

  it('a pushed item already accepted answers the same and is not applied twice', async () => {
    const item = await rawItem({ signer: eth, target: pid, tags: messageTags('Inc') })
    const first = await (await push(`/${pid}~process@1.0/push`, item)).json()
    const log = devnet.devnet.logLength
    const again = await (await push(`/${pid}~process@1.0/push`, item)).json()
    expect(again).to.deep.equal(first)
    expect(devnet.devnet.logLength).to.equal(log)
  })

  it('processes spawned through the legacy MU are served here too, and the legacy routes still win', async () => {
    const legacy = await rawItem({ signer: eth, tags: [...messageTags('x').filter((t) => t.name !== 'Type' && t.name !== 'Action'), { name: 'Type', value: 'Process' }, { name: 'Module', value: AOS_MODULE }, { name: 'Scheduler', value: devnet.scheduler }] })
    const spawned = await (await fetch(`${devnet.muUrl}`, { method: 'POST', body: legacy as BodyInit })).json()
    expect(await (await fetch(url(`/${spawned.id}/slot/current`))).text()).to.equal('0')
    // GET /{id} alone is still the gateway's data read.
    expect(await (await fetch(url(`/${pid}`))).text()).to.equal('1984')
  })

  it('the published state of a process that published nothing is {}', async () => {
    expect(await (await fetch(url(`/${pid}~process@1.0/now`))).json()).to.deep.equal({})
    await refused(fetch(url(`/${pid}~process@1.0/compute=1/cache/x`)), 400, 'no-history')
  })

  it("a token's patch@1.0 balances are readable at /now/cache/balances, and follow each publish", async () => {
    const token = (await (await push('/push', await rawItem({ signer: eth, tags: [...spawnTags(), { name: 'Name', value: 'token' }] }))).json()).process
    const send = async (tags: { name: string; value: string }[], data?: string) => {
      const body = await (await push(`/${token}~process@1.0/push`, await rawItem({ signer: eth, target: token, tags, data }))).json()
      expect(body.raw.Error, JSON.stringify(body.raw.Error)).to.equal(undefined)
    }
    // Each publish differs (a comment) so its signed item has its own id: the same item twice runs once.
    let publishes = 0
    const publish = () => send(messageTags('Eval'), `Send({ device = 'patch@1.0', cache = { balances = Balances } }) -- ${++publishes}`)
    await send(messageTags('Eval'), readFileSync(new URL('../../../contracts/token.lua', import.meta.url), 'utf8'))
    const bob = 'b'.repeat(43)
    await send([...messageTags('Mint'), { name: 'Quantity', value: '1000' }])
    await publish()
    const supply = { [token]: '10000000000000000' } // the blueprint's initial supply, held by the process
    expect(await (await fetch(url(`/${token}~process@1.0/now/cache/balances`))).json()).to.deep.equal({ ...supply, [eth.address]: '1000' })
    await send([...messageTags('Transfer'), { name: 'Recipient', value: bob }, { name: 'Quantity', value: '250' }])
    await publish()
    for (const path of [`/${token}~process@1.0/now/cache/balances`, `/${token}~process@1.0/now/cache/balances/serialize~json@1.0`]) {
      const res = await fetch(url(path))
      expect(res.status, path).to.equal(200)
      expect(await res.json(), path).to.deep.equal({ ...supply, [eth.address]: '750', [bob]: '250' })
    }
    expect(devnet.devnet.network.publishedState(token)).to.deep.equal({ cache: { balances: { ...supply, [eth.address]: '750', [bob]: '250' } } })
  })

  it('a push cascades its outbox to local processes; the answer names the downstream slot', async () => {
    const spawn = await (await push('/push', await rawItem({ signer: eth, tags: [...spawnTags(), { name: 'Name', value: 'other' }] }))).json()
    const other = spawn.process
    await push(`/${other}~process@1.0/push`, await rawItem({ signer: eth, target: other, tags: messageTags('Eval'), data: COUNTER }))
    const forward = await rawItem({ signer: eth, target: pid, tags: [...messageTags('Forward'), { name: 'To', value: other }] })
    const body = await (await push(`/${pid}~process@1.0/push`, forward)).json()
    expect(body['1']).to.deep.equal({ slot: 2, process: other })
    expect(await devnet.devnet.network.process(other).vm.read('Count')).to.equal(1)
    const downstream = await (await fetch(url(`/${other}~process@1.0/compute=2`))).json()
    expect(downstream.raw.Messages[0].Data).to.equal('1')
  })

  it('slots and results survive a restart', async () => {
    const before = await (await fetch(url(`/${pid}~process@1.0/compute=2`))).json()
    const current = await (await fetch(url(`/${pid}/slot/current`))).text()
    devnet = await devnet.restart()
    expect(await (await fetch(url(`/${pid}/slot/current`))).text()).to.equal(current)
    expect(await (await fetch(url(`/${pid}~process@1.0/compute=2`))).json()).to.deep.equal(before)
  })

  it('the origin policy applies: a foreign page is refused, a loopback page may read the process header', async () => {
    await refused(fetch(url(`/${pid}/slot/current`), { headers: { Origin: 'https://evil.example' } }), 403, 'origin-not-allowed')
    const preflight = await fetch(url('/push'), { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } })
    expect(preflight.headers.get('access-control-allow-headers')).to.match(/codec-device/)
    const res = await fetch(url(`/${pid}/slot/current`), { headers: { Origin: 'http://localhost:5173' } })
    expect(res.headers.get('access-control-expose-headers')).to.match(/process/)
  })
})
