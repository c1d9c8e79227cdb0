import { expect } from 'chai'
import { Messenger } from '../../../harness/network/messenger.js'
import { AOS_MODULE, AoNetwork } from '../../../harness/network/network.js'
import { evalLua, tag } from './support.js'

const sender = { id: 'P'.repeat(43), module: 'M'.repeat(43) }
const messenger = new Messenger('MU'.padEnd(43, 'u'))

describe('network messenger (spec §6)', () => {
  it('re-signs an outbox message: sender tags minus the four replaced, then ao tags, From-Process, From-Module, Pushed-For', () => {
    const outbox = {
      Target: 'T'.repeat(43),
      Anchor: '00000000000000000000000000000001',
      Tags: [
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Variant', value: 'ao.TN.1' },
        { name: 'Type', value: 'Message' },
        { name: 'Reference', value: '1' },
        { name: 'From-Process', value: 'forged' },
        { name: 'From-Module', value: 'forged' },
        { name: 'Action', value: 'Transfer' },
        { name: 'Quantity', value: 5 },
        { name: 'Flag', value: true },
      ],
    }
    const message = messenger.message(outbox, sender, 'I'.repeat(43), 'R'.repeat(43))
    expect(message).to.deep.equal({
      Id: 'I'.repeat(43),
      Owner: messenger.address,
      From: sender.id,
      'Forwarded-By': messenger.address,
      Target: 'T'.repeat(43),
      Anchor: '00000000000000000000000000000001',
      Data: ' ',
      Tags: [
        { name: 'Variant', value: 'ao.TN.1' },
        { name: 'Reference', value: '1' },
        { name: 'Action', value: 'Transfer' },
        { name: 'Quantity', value: '5' },
        { name: 'Flag', value: 'true' },
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Type', value: 'Message' },
        { name: 'From-Process', value: sender.id },
        { name: 'From-Module', value: sender.module },
        { name: 'Pushed-For', value: 'R'.repeat(43) },
      ],
    })
  })

  it('defaults Data to a single space and stringifies numbers; leaves Pushed-For out when the chain has no root', () => {
    expect(messenger.message({ Tags: [], Data: '' }, sender, 'i', 'r').Data).to.equal(' ')
    expect(messenger.message({ Tags: [], Data: 123 }, sender, 'i', 'r').Data).to.equal('123')
    expect(messenger.message({ Tags: [], Data: 'hi' }, sender, 'i', 'r').Data).to.equal('hi')
    expect(messenger.message({ Tags: [] }, sender, 'i', undefined).Tags.map((t) => t.name)).to.deep.equal(['Data-Protocol', 'Type', 'From-Process', 'From-Module'])
  })

  it('builds a spawn as a Process message with the messenger as Authority, and a Spawned notice to the spawner', () => {
    const spawn = {
      Data: 'NODATA',
      Anchor: '00000000000000000000000000000002',
      Tags: [
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Variant', value: 'ao.TN.1' },
        { name: 'Type', value: 'Process' },
        { name: 'From-Process', value: sender.id },
        { name: 'From-Module', value: sender.module },
        { name: 'Module', value: AOS_MODULE },
        { name: 'Reference', value: '2' },
        { name: 'Name', value: 'child' },
      ],
    }
    const processMessage = messenger.processMessage(spawn, sender, 'N'.repeat(43), 'R'.repeat(43), 'S'.repeat(43))
    expect(processMessage.Tags).to.deep.equal([
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Module', value: AOS_MODULE },
      { name: 'Reference', value: '2' },
      { name: 'Name', value: 'child' },
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Type', value: 'Process' },
      { name: 'From-Process', value: sender.id },
      { name: 'From-Module', value: sender.module },
      { name: 'Pushed-For', value: 'R'.repeat(43) },
      { name: 'Scheduler', value: 'S'.repeat(43) },
      { name: 'Authority', value: messenger.address },
    ])
    expect(processMessage).to.include({ Id: 'N'.repeat(43), Target: 'N'.repeat(43), Owner: messenger.address, From: sender.id, Data: 'NODATA' })

    const notice = messenger.spawnedNotice(spawn, sender, 'N'.repeat(43), 'I'.repeat(43), 'R'.repeat(43))
    expect(notice).to.include({ Target: sender.id, From: sender.id, Owner: messenger.address, 'Forwarded-By': messenger.address })
    expect(notice.Tags).to.deep.equal([
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Module', value: AOS_MODULE },
      { name: 'Reference', value: '2' },
      { name: 'Name', value: 'child' },
      { name: 'Process', value: 'N'.repeat(43) },
      { name: 'Action', value: 'Spawned' },
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Type', value: 'Message' },
      { name: 'From-Process', value: sender.id },
      { name: 'From-Module', value: sender.module },
      { name: 'Pushed-For', value: 'R'.repeat(43) },
    ])
  })

  it('delivers a Send from Lua exactly as the messenger signs it, and the receiver trusts it', async () => {
    const net = new AoNetwork({ seed: 'messenger' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    await evalLua(net, b, owner, `Handlers.add('hello', 'Hello', function(m) print('from ' .. m.From .. ' n=' .. m.N) end)`)
    const sent = await evalLua(net, a, owner, `Send({ Target = '${b}', Action = 'Hello', N = 7, From = 'spoofed' })`)

    expect(sent.children).to.have.length(1)
    const delivered = sent.children[0].message
    expect(delivered).to.include({ Owner: net.messenger.address, From: a, 'Forwarded-By': net.messenger.address, Target: b, Data: ' ', Anchor: '00000000000000000000000000000001' })
    expect(delivered.Tags).to.deep.equal([
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Reference', value: '1' },
      { name: 'Action', value: 'Hello' },
      { name: 'N', value: '7' },
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Type', value: 'Message' },
      { name: 'From-Process', value: a },
      { name: 'From-Module', value: net.process(a).module },
      { name: 'Pushed-For', value: sent.message.Id },
    ])
    expect(tag(delivered.Tags, 'From')).to.equal(undefined)
    expect(String((sent.children[0].result.Output as { data: string }).data)).to.equal(`from ${a} n=7`)
  })
})
