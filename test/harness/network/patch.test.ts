import { expect } from 'chai'
import { UnknownProcessError } from '../../../harness/network/errors.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { walk } from '../../../harness/network/messageTree.js'
import { applyPatch, isPatch, patchOf } from '../../../harness/network/patch.js'
import { evalLua } from './support.js'

// A token that publishes its balances as ar.io's network process does: each change patches cache.balances.
const TOKEN = `
Balances = Balances or {}
local function publish(changes) Send({ device = 'patch@1.0', cache = { balances = changes } }) end
Handlers.add('mint', 'Mint', function(m)
  Balances[m.Recipient] = tostring((tonumber(Balances[m.Recipient]) or 0) + tonumber(m.Quantity))
  publish({ [m.Recipient] = Balances[m.Recipient] })
end)
Handlers.add('transfer', 'Transfer', function(m)
  local q = tonumber(m.Quantity)
  Balances[m.From] = tostring(tonumber(Balances[m.From]) - q)
  Balances[m.Recipient] = tostring((tonumber(Balances[m.Recipient]) or 0) + q)
  publish({ [m.From] = Balances[m.From], [m.Recipient] = Balances[m.Recipient] })
  Send({ Target = m.Recipient, Action = 'Credit-Notice', Quantity = m.Quantity })
end)
Handlers.add('burn', 'Burn', function(m)
  Balances[m.From] = nil
  publish({ [m.From] = '' })
end)
Handlers.add('meta', 'Meta', function(m)
  Send({ device = 'patch@1.0', ['patch-to'] = '/Token/Info/', Name = 'Test', Ticker = 'TST', Denomination = 12 })
end)
Handlers.add('method', 'Method', function(m)
  Send({ Target = m.Peer, method = 'PATCH', Supply = '100', Action = 'Should-Not-Arrive' })
end)
Handlers.add('fail', 'Fail', function(m)
  publish({ [m.From] = '999' })
  error('no')
end)`

async function setup(seed = 'patch') {
  const net = new AoNetwork({ seed })
  const owner = net.wallet('deployer')
  const alice = net.wallet('alice')
  const bob = net.wallet('bob')
  const token = await net.spawn({ owner })
  await evalLua(net, token, owner, TOKEN)
  const peer = await net.spawn({ owner })
  await net.send({ from: owner, to: token, tags: { Action: 'Mint', Recipient: alice, Quantity: '100' } })
  return { net, owner, alice, bob, token, peer }
}

describe('network patch@1.0', () => {
  describe('merging (pure)', () => {
    const tags = (entries: Record<string, unknown>) => ({ Tags: Object.entries(entries).map(([name, value]) => ({ name, value })) })

    it('recognises device = patch@1.0 and method = PATCH, names in any case', () => {
      expect(isPatch(tags({ device: 'patch@1.0' }))).to.equal(true)
      expect(isPatch(tags({ Device: 'patch@1.0' }))).to.equal(true)
      expect(isPatch(tags({ method: 'PATCH' }))).to.equal(true)
      expect(isPatch(tags({ Method: 'patch' }))).to.equal(true)
      expect(isPatch(tags({ device: 'process@1.0', Action: 'Transfer' }))).to.equal(false)
      expect(isPatch({ Tags: [] })).to.equal(false)
    })

    it('lower-cases tag names, drops the meta tags, keeps keys inside tables as written', () => {
      const patch = patchOf(tags({ 'Data-Protocol': 'ao', Variant: 'ao.TN.1', Type: 'Message', Reference: '1', device: 'patch@1.0', Cache: { Balances: { AbC: '1' } }, Supply: 5 }))
      expect(patch).to.deep.equal({ path: [], fields: { cache: { Balances: { AbC: '1' } }, supply: 5 } })
    })

    it('merges tables at any depth, replaces other values and lists, removes on an empty string', () => {
      const state = { cache: { balances: { a: '1', b: '2' }, list: [1, 2] }, supply: '3' }
      const next = applyPatch(state, { path: [], fields: { cache: { balances: { a: '', c: '4' }, list: [9] }, supply: '' } })
      expect(next).to.deep.equal({ cache: { balances: { b: '2', c: '4' }, list: [9] } })
      expect(state, 'the old state is untouched').to.deep.equal({ cache: { balances: { a: '1', b: '2' }, list: [1, 2] }, supply: '3' })
      // An empty Lua table arrives as [] and merges as an empty table.
      expect(applyPatch(next, { path: [], fields: { cache: [] } })).to.deep.equal(next)
    })

    it('keeps a __proto__ key as data', () => {
      const next = applyPatch({}, patchOf(JSON.parse('{"Tags":[{"name":"device","value":"patch@1.0"},{"name":"x","value":{"__proto__":{"polluted":"1"}}}]}')))
      expect(Object.getPrototypeOf(next.x)).to.equal(Object.prototype)
      expect(Object.keys(next.x as object)).to.deep.equal(['__proto__'])
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
    })
  })

  it('publishes balances on each transfer; the state is readable as a deep copy', async () => {
    const { net, alice, bob, token } = await setup()
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '100' } } })
    const sent = await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: bob, Quantity: '25' } })
    expect(sent.patches).to.deep.equal([{ path: [], fields: { cache: { balances: { [alice]: '75', [bob]: '25' } } } }])
    const state = net.publishedState(token)
    expect(state).to.deep.equal({ cache: { balances: { [alice]: '75', [bob]: '25' } } })
    ;(state.cache as Record<string, unknown>).balances = 'changed'
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '75', [bob]: '25' } } })
  })

  it('gives {} for a process that published nothing and throws for an unknown one', async () => {
    const { net, peer } = await setup()
    expect(net.publishedState(peer)).to.deep.equal({})
    expect(() => net.publishedState('nope')).to.throw(UnknownProcessError)
  })

  it('removes a key patched with an empty string', async () => {
    const { net, alice, bob, token } = await setup()
    await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: bob, Quantity: '25' } })
    await net.send({ from: alice, to: token, tags: { Action: 'Burn' } })
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [bob]: '25' } } })
  })

  it('merges under patch-to (lower-cased segments)', async () => {
    const { net, alice, token } = await setup()
    await net.send({ from: alice, to: token, tags: { Action: 'Meta' } })
    expect(net.publishedState(token)).to.deep.equal({
      cache: { balances: { [alice]: '100' } },
      token: { info: { name: 'Test', ticker: 'TST', denomination: 12 } },
    })
  })

  it('delivers no patch: no message to the target, no Inbox entry anywhere, nothing sent out', async () => {
    const { net, alice, token, peer } = await setup()
    const peerHistory = net.process(peer).scheduler.messages.length
    const external = net.externalOutbox.length
    const sent = await net.send({ from: alice, to: token, tags: { Action: 'Method', Peer: peer } })
    expect(sent.result.Messages, 'the result keeps what the process returned').to.have.length(1)
    expect(sent.children).to.deep.equal([])
    expect(sent.patches).to.deep.equal([{ path: [], fields: { supply: '100', action: 'Should-Not-Arrive' } }])
    expect(net.process(peer).scheduler.messages).to.have.length(peerHistory)
    expect(net.externalOutbox).to.have.length(external)
    for (const id of net.processIds) {
      const inbox = (await net.process(id).vm.read('Inbox')) as { Tags?: { name: string; value: string }[] }[]
      const patchTags = inbox.flatMap((m) => m.Tags ?? []).filter((t) => t.name === 'method' || t.name === 'device')
      expect(patchTags, `Inbox of ${id}`).to.deep.equal([])
    }
    // Only the transfer's Credit-Notice is a delivery; its patch is not.
    const transfer = await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: peer, Quantity: '1' } })
    expect(walk(transfer).map((node) => node.message.Target)).to.deep.equal([token, peer])
  })

  it('publishes nothing from a failed evaluation', async () => {
    const { net, alice, token } = await setup()
    const sent = await net.send({ from: alice, to: token, tags: { Action: 'Fail' } })
    expect(sent.result.Error).to.be.a('string')
    expect(sent.patches).to.equal(undefined)
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '100' } } })
  })

  it('revert restores the published state; a fork starts with a copy of it', async () => {
    const { net, alice, bob, token } = await setup()
    const snapshot = net.snapshot()
    await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: bob, Quantity: '25' } })
    net.revert(snapshot)
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '100' } } })

    const copy = await net.fork(token)
    expect(net.publishedState(copy)).to.deep.equal({ cache: { balances: { [alice]: '100' } } })
    await net.send({ from: alice, to: copy, tags: { Action: 'Transfer', Recipient: bob, Quantity: '5' } })
    expect(net.publishedState(copy)).to.deep.equal({ cache: { balances: { [alice]: '95', [bob]: '5' } } })
    expect(net.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '100' } } })
  })

  it('carries the published state through a network image; an older image without it loads as {}', async () => {
    const { net, alice, bob, token, peer } = await setup()
    await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: bob, Quantity: '25' } })
    const image = await net.exportImage()
    const restored = await AoNetwork.fromImage(structuredClone(image))
    expect(restored.publishedState(token)).to.deep.equal(net.publishedState(token))
    await restored.send({ from: bob, to: token, tags: { Action: 'Transfer', Recipient: alice, Quantity: '5' } })
    expect(restored.publishedState(token)).to.deep.equal({ cache: { balances: { [alice]: '80', [bob]: '20' } } })

    const older = { ...image, processes: image.processes.map(({ published: _published, ...rest }) => rest) }
    const fromOlder = await AoNetwork.fromImage(older)
    expect(fromOlder.publishedState(token)).to.deep.equal({})
    expect(fromOlder.publishedState(peer)).to.deep.equal({})
  })

  it('is deterministic: the same calls give the same state and trees', async () => {
    const run = async () => {
      const { net, alice, bob, token } = await setup('same')
      const trees = [
        await net.send({ from: alice, to: token, tags: { Action: 'Transfer', Recipient: bob, Quantity: '25' } }),
        await net.send({ from: alice, to: token, tags: { Action: 'Meta' } }),
      ]
      return JSON.stringify({ state: net.publishedState(token), trees })
    }
    expect(await run()).to.equal(await run())
  })
})
