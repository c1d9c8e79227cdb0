// Bad input gets a 4xx with a JSON error that says why, and changes nothing: no log entry, no state change.
import { expect } from 'chai'
import { Wallet } from 'ethers'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { arweaveSigner } from '../../../sdk/signers/arweaveSigner.js'
import { ETH_PRIVATE_KEY, testJwk } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const COUNTER = `Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1 end)`

describe('devnet: bad input is refused and changes nothing', function () {
  const eth = ethereumSigner(ETH_PRIVATE_KEY)
  let devnet: TestDevnet
  let pid: string

  const post = (body: Uint8Array, path = '') =>
    fetch(`${devnet.muUrl}${path}`, { method: 'POST', headers: { "Content-Type": "application/octet-stream" }, body: body as BodyInit })

  const count = () => devnet.devnet.network.process(pid).vm.read('Count')

  /** Posts, expects the status and error code, and checks that nothing changed. */
  async function refused(body: Uint8Array, status: number, code: string, why: RegExp) {
    const log = devnet.devnet.logLength
    const before = await count()
    const res = await post(body)
    const answer = await res.json()
    expect(res.status, JSON.stringify(answer)).to.equal(status)
    expect(answer.code).to.equal(code)
    expect(answer.error).to.match(why)
    expect(devnet.devnet.logLength, 'log length').to.equal(log)
    expect(await count(), 'state').to.equal(before)
  }

  before(async () => {
    devnet = await startTestDevnet()
    const spawnItem = await createDataItem({
      signer: eth,
      tags: processTags(devnet.scheduler),
    })
    expect((await post(spawnItem.raw)).status).to.equal(202)
    pid = spawnItem.id
    const load = await rawItem({ signer: eth, target: pid, tags: messageTags('Eval'), data: COUNTER })
    expect((await post(load)).status).to.equal(202)
    expect(await count()).to.equal(0)
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  it('binds to 127.0.0.1 unless told otherwise', () => {
    expect(new URL(devnet.url).hostname).to.equal('127.0.0.1')
  })

  it('accepts a good Ethereum-signed message', async () => {
    const res = await post(await rawItem({ signer: eth, target: pid, tags: messageTags('Inc') }))
    expect(res.status).to.equal(202)
    expect(await count()).to.equal(1)
  })

  it('accepts a good Arweave-signed message', async () => {
    const res = await post(await rawItem({ signer: arweaveSigner(await testJwk()), target: pid, tags: messageTags('Inc') }))
    expect(res.status).to.equal(202)
    expect(await count()).to.equal(2)
  })

  it('refuses a forged Ethereum item (data changed after signing)', async () => {
    const raw = await rawItem({ signer: eth, target: pid, tags: messageTags('Inc') })
    raw[raw.length - 1] ^= 1
    await refused(raw, 400, 'bad-signature', /does not verify|another key/)
  })

  it('refuses a forged Arweave item', async () => {
    const raw = await rawItem({ signer: arweaveSigner(await testJwk()), target: pid, tags: messageTags('Inc') })
    raw[raw.length - 1] ^= 1
    await refused(raw, 400, 'bad-signature', /does not verify for its owner/)
  })

  it('refuses an item that claims another owner than its signer', async () => {
    const other = ethereumSigner(Wallet.createRandom().privateKey)
    await refused(await rawItem({ signer: eth, owner: other.publicKey, target: pid, tags: messageTags('Inc') }), 400, 'bad-signature', /another key/)
  })

  it('refuses malformed bytes, naming what is wrong', async () => {
    await refused(new Uint8Array([3, 0, 1, 2, 3]), 400, 'malformed-item', /signature runs past the end/)
    await refused(new Uint8Array([9, 0, ...new Uint8Array(100)]), 400, 'malformed-item', /signature type 9/)
  })

  it('refuses more than 128 tags and empty tag values, naming the tag', async () => {
    const many = [...messageTags('Inc'), ...Array.from({ length: 125 }, (_, i) => ({ name: `T${i}`, value: 'x' }))]
    await refused(await rawItem({ signer: eth, target: pid, tags: many }), 400, 'too-many-tags', /129 tags; the limit is 128/)
    await refused(await rawItem({ signer: eth, target: pid, tags: [...messageTags('Inc'), { name: 'Empty', value: '' }] }), 400, 'bad-tag', /tags\[4\]\.value \(Empty\) is 0 bytes/)
  })

  it('refuses an oversized body with 413', async () => {
    const log = devnet.devnet.logLength
    const res = await post(new Uint8Array(11 * 1024 * 1024))
    expect(res.status).to.equal(413)
    expect((await res.json()).code).to.equal('too-large')
    expect(devnet.devnet.logLength).to.equal(log)
  })

  it('refuses wrongly addressed items: unknown process, no target, wrong scheduler, unknown module', async () => {
    await refused(await rawItem({ signer: eth, target: 'A'.repeat(43), tags: messageTags('Inc') }), 404, 'unknown-process', /target: process A{43} is not on this devnet/)
    await refused(await rawItem({ signer: eth, tags: messageTags('Inc') }), 400, 'missing-target', /needs a target/)
    await refused(await rawItem({ signer: eth, tags: processTags('B'.repeat(43)) }), 400, 'wrong-scheduler', /tags\.Scheduler/)
    const unknownModule = processTags(devnet.scheduler).map((tag) => (tag.name === 'Module' ? { ...tag, value: 'C'.repeat(43) } : tag))
    await refused(await rawItem({ signer: eth, tags: unknownModule }), 400, 'unknown-module', /tags\.Module/)
  })

  it('refuses items without the ao protocol tags', async () => {
    await refused(await rawItem({ signer: eth, target: pid, tags: [{ name: 'Action', value: 'Inc' }] }), 400, 'not-ao', /Data-Protocol/)
    const noType = messageTags('Inc').filter((tag) => tag.name !== 'Type')
    await refused(await rawItem({ signer: eth, target: pid, tags: noType }), 400, 'bad-type', /tags\.Type/)
  })

  it('runs a resent item once: the second post answers with the same id and does nothing', async () => {
    const raw = await rawItem({ signer: eth, target: pid, tags: messageTags('Inc'), data: 'once' })
    const first = await (await post(raw)).json()
    const log = devnet.devnet.logLength
    const before = await count()
    const res = await post(raw)
    const again = await res.json()
    expect(res.status).to.equal(202)
    expect(again.id).to.equal(first.id)
    expect(again.message).to.match(/already processed/)
    expect(devnet.devnet.logLength).to.equal(log)
    expect(await count()).to.equal(before)
  })

  it('answers bad CU and SU requests with 4xx naming the parameter', async () => {
    const get = async (url: string) => {
      const res = await fetch(url)
      return { status: res.status, body: await res.json() }
    }
    expect(await get(`${devnet.cuUrl}/result/${'D'.repeat(43)}?process-id=${pid}`)).to.deep.include({ status: 404 })
    expect((await get(`${devnet.cuUrl}/result/${'D'.repeat(43)}`)).body.error).to.match(/process-id: this query parameter is required/)
    expect((await get(`${devnet.cuUrl}/results/${pid}?limit=0`)).body.error).to.match(/limit: must be 1 to 1000/)
    expect((await get(`${devnet.cuUrl}/results/${pid}?from=abc`)).body.error).to.match(/from: must be a non-negative integer/)
    expect((await get(`${devnet.cuUrl}/results/${'E'.repeat(43)}`)).status).to.equal(404)
    const dry = await fetch(`${devnet.cuUrl}/dry-run?process-id=${pid}`, { method: 'POST', body: '{not json' })
    expect(dry.status).to.equal(400)
    expect((await dry.json()).error).to.match(/body: is not valid JSON/)
    const badTags = await fetch(`${devnet.cuUrl}/dry-run?process-id=${pid}`, { method: 'POST', body: JSON.stringify({ Tags: [{ name: 'Action', value: 1 }] }) })
    expect((await badTags.json()).error).to.match(/Tags: must be an array of \{ name, value \} with string values/)
    expect((await get(`${devnet.url}/nowhere/at/all`)).status).to.equal(404)
  })
})
