import { expect } from 'chai'
import { walk } from '../../../harness/network/messageTree.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua, printed, tag } from './support.js'

describe('network spawn', () => {
  it('spawns a process with the messenger as Authority and evaluates its Process message first', async () => {
    const net = new AoNetwork({ seed: 'spawn' })
    const owner = net.wallet('alice')
    const pid = await net.spawn({ owner, tags: { Name: 'Alpha' } })
    const process = net.process(pid)
    expect(process.owner).to.equal(owner)
    expect(process.env.Process.Tags.map((t) => t.name)).to.deep.equal(['Data-Protocol', 'Variant', 'Type', 'Module', 'Scheduler', 'Authority', 'Name'])
    expect(tag(process.env.Process.Tags, 'Authority')).to.equal(net.messenger.address)
    expect(process.scheduler.messages[0].message).to.include({ Id: pid, Owner: owner, From: owner, Nonce: 0 })
    expect(printed((await evalLua(net, pid, owner, 'Name .. " " .. Owner')).result)).to.equal(`Alpha ${owner}`)
  })

  it('spawns from Lua: the child runs its Process message, then the spawner gets Action=Spawned with Process', async () => {
    const net = new AoNetwork({ seed: 'spawn-lua' })
    const owner = net.wallet('alice')
    const parent = await net.spawn({ owner })
    await evalLua(net, parent, owner, `Handlers.add('spawned', 'Spawned', function(m) Child = m.Process; SpawnedFrom = m.From end)`)
    const sent = await evalLua(net, parent, owner, `Spawn(ao._module, { Data = 'Booted = true', Tags = { Name = 'kid', ['On-Boot'] = 'Data' } })`)

    const [childNode] = sent.children
    const childId = childNode.message.Id
    expect(childNode.message.Target).to.equal(childId)
    expect(tag(childNode.message.Tags, 'Type')).to.equal('Process')
    expect(tag(childNode.message.Tags, 'From-Process')).to.equal(parent)
    expect(childNode.result.Error).to.equal(undefined)
    expect(net.process(childId).scheduler.messages[0].message.Nonce).to.equal(0)

    const notice = childNode.children[0]
    expect(notice.message.Target).to.equal(parent)
    expect(tag(notice.message.Tags, 'Action')).to.equal('Spawned')
    expect(tag(notice.message.Tags, 'Process')).to.equal(childId)
    expect(tag(notice.message.Tags, 'From-Process')).to.equal(parent)
    expect(tag(notice.message.Tags, 'Reference')).to.equal('1')
    expect(walk(sent)).to.have.length(3)

    expect(printed((await evalLua(net, parent, owner, 'Child == "' + childId + '" and SpawnedFrom == ao.id')).result)).to.equal('true')
    // The child ran On-Boot, trusts its spawner as Owner and the messenger as Authority.
    const child = net.process(childId)
    expect(child.owner).to.equal(net.messenger.address)
    expect(tag(child.env.Process.Tags, 'Authority')).to.equal(net.messenger.address)
    const probe = await net.send({ from: owner, to: parent, tags: { Action: 'Eval' }, data: `Send({ Target = '${childId}', Action = 'Eval', Data = 'Probe = tostring(Booted) .. " " .. Owner' })` })
    expect(probe.children[0].result.Error).to.equal(undefined)
    expect(printed((await net.dryrun({ from: parent, to: childId, tags: { Action: 'Eval' }, data: 'Probe' })))).to.equal(`true ${parent}`)
  })

  it('lets a spawner wait for its child with Spawn(...).receive()', async () => {
    const net = new AoNetwork({ seed: 'spawn-receive' })
    const owner = net.wallet('alice')
    const parent = await net.spawn({ owner })
    await evalLua(net, parent, owner, `Handlers.add('go', 'Go', function(m) local r = Spawn(ao._module, {}).receive(); Got = r.Process end)`)
    const sent = await net.send({ from: owner, to: parent, tags: { Action: 'Go' } })
    const childId = sent.children[0].message.Id
    expect(printed((await evalLua(net, parent, owner, 'Got')).result)).to.equal(childId)
  })
})
