// Stock @permaweb/aoconnect 0.0.98 in mainnet (HyperBEAM) mode against the devnet: spawn, message, result,
// results and dryrun, unchanged, on the same network and results the legacy API serves.
import { expect } from 'chai'
import { LEGACYNET_ADDRESSES } from '../../../harness/server/devnet.js'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { arweave, testJwk } from '../../sdk/helpers/keys.js'
import { removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const COUNTER = `Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('get', 'Get', function(msg) msg.reply({ Action = 'Count', Data = tostring(Count) .. ':' .. (msg.Extra or '') }) end)
Handlers.add('forward', 'Forward', function(msg) Send({ Target = msg.To, Action = 'Inc' }) end)
Handlers.add('publish', 'Publish', function(msg) Send({ device = 'patch@1.0', cache = { count = Count, owner = { [msg.From] = 'yes' } } }) end)`

/** The mainnet-mode calls used here (aoconnect's own types merge legacy and mainnet modes). */
type Call = (args: Record<string, unknown>) => Promise<any>
type Ao = Record<'spawn' | 'message' | 'result' | 'results' | 'dryrun', Call>

describe('devnet: stock aoconnect (mainnet mode, HyperBEAM API)', function () {
  let devnet: TestDevnet
  let ao: Ao
  let pid: string

  const tag = (name: string, value: string) => ({ name, value })

  before(async () => {
    devnet = await startTestDevnet()
    // The ESM build, loaded by import(): mocha loads this file through require, which would pick aoconnect's
    // CommonJS build, whose mainnet mode is broken in 0.0.98 (AOCore.default.init is not a function).
    const { connect, createSigner } = await import('@permaweb/aoconnect')
    // Mainnet mode calls the global fetch with URL (no fetch option): the devnet is on loopback anyway.
    ao = connect({ MODE: 'mainnet', URL: devnet.url, signer: createSigner(await testJwk()) } as never) as unknown as Ao
    pid = await ao.spawn({ module: AOS_MODULE, tags: [tag('Name', 'counter')] })
    const slot = await ao.message({ process: pid, tags: [tag('Action', 'Eval')], data: COUNTER })
    expect(slot).to.equal(1)
    const loaded = await ao.result({ process: pid, slot })
    expect(loaded.Error, 'loading the counter').to.equal(undefined)
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  it('spawn asks the node its address, and the process is the signer\'s, scheduled and trusted by the devnet', async () => {
    expect(pid).to.match(/^[A-Za-z0-9_-]{43}$/)
    const process = devnet.devnet.network.process(pid)
    expect(process.owner).to.equal(await arweave.wallets.jwkToAddress(await testJwk()))
    const tags = process.env.Process.Tags as { name: string; value: string }[]
    expect(tags).to.deep.include(tag('Scheduler', devnet.scheduler))
    expect(tags).to.deep.include(tag('execution-device', 'genesis-wasm@1.0'))
    // aoconnect names the scheduler as Authority; the devnet's messenger, which pushes, is trusted too.
    expect(tags.filter((t) => t.name === 'Authority').map((t) => t.value)).to.deep.equal([devnet.scheduler, LEGACYNET_ADDRESSES.messenger])
  })

  it('message returns the slot; result by slot and by message id is the legacy CU result', async () => {
    const slot = await ao.message({ process: pid, tags: [tag('Action', 'Inc')] })
    expect(slot).to.equal(2)
    const bySlot = await ao.result({ process: pid, message: slot })
    expect(bySlot.Messages[0].Data).to.equal('1')
    expect(bySlot.Messages[0].Tags).to.deep.include(tag('Action', 'Count'))

    const id = await ao.message({ process: pid, tags: [tag('Action', 'Inc')], returnMessageId: true })
    expect(id).to.match(/^[A-Za-z0-9_-]{43}$/)
    const byId = await ao.result({ process: pid, message: id })
    expect(byId.Messages[0].Data).to.equal('2')
    // An older slot still answers its own result, not the latest.
    expect((await ao.result({ process: pid, slot: 2 })).Messages[0].Data).to.equal('1')
    const legacy = await (await fetch(`${devnet.cuUrl}/result/${id}?process-id=${pid}`)).json()
    expect(byId).to.deep.equal({ ...legacy, Error: undefined })
  })

  it('results gives the latest slot only, with the slot as cursor', async () => {
    const page = await ao.results({ process: pid, limit: 10 })
    expect(page.edges).to.have.length(1)
    expect(page.edges[0].cursor).to.equal('3')
    expect(page.edges[0].node.Messages[0].Data).to.equal('2')
  })

  it('dryrun reads the tags from the path, answers from the current state, and changes nothing', async () => {
    const before = devnet.devnet.logLength
    const res = await ao.dryrun({ process: pid, tags: [tag('Action', 'Get'), tag('Extra', 'hello world')] })
    expect(res.Messages[0].Data).to.equal('2:hello world')
    expect((await ao.dryrun({ process: pid, tags: [tag('Action', 'Inc')] })).Messages[0].Data).to.equal('3')
    expect((await ao.dryrun({ process: pid, tags: [tag('Action', 'Get')] })).Messages[0].Data).to.equal('2:')
    expect(devnet.devnet.logLength).to.equal(before)
  })

  it('a message one process sends another is pushed and evaluated there', async () => {
    const other = await ao.spawn({ module: AOS_MODULE, tags: [tag('Name', 'other')] })
    await ao.message({ process: other, tags: [tag('Action', 'Eval')], data: COUNTER })
    await ao.message({ process: pid, tags: [tag('Action', 'Forward'), tag('To', other)] })
    expect(await devnet.devnet.network.process(other).vm.read('Count')).to.equal(1)
  })

  it('state a process publishes with patch@1.0 is served at /now and /compute', async () => {
    await ao.message({ process: pid, tags: [tag('Action', 'Publish')] })
    const address = await arweave.wallets.jwkToAddress(await testJwk())
    const whole = await (await fetch(`${devnet.url}/${pid}~process@1.0/now/serialize~json@1.0`)).json()
    expect(whole).to.deep.equal({ cache: { count: 2, owner: { [address]: 'yes' } } })
    const count = await fetch(`${devnet.url}/${pid}~process@1.0/compute/cache/count`)
    expect(count.status).to.equal(200)
    expect(await count.json()).to.equal(2)
    expect(await (await fetch(`${devnet.url}/${pid}~process@1.0/now/cache/owner/${address}/serialize~json@1.0`)).json()).to.equal('yes')
    const missing = await fetch(`${devnet.url}/${pid}~process@1.0/now/cache/nothing`)
    expect(missing.status).to.equal(404)
    expect((await missing.json()).code).to.equal('unknown-key')
  })
})
