import { expect } from 'chai'
import { AokitError } from '../../../sdk/errors.js'
import { MessageLoopError, UnknownProcessError } from '../../../harness/network/errors.js'
import { walk } from '../../../harness/network/messageTree.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { evalLua, printed, tag } from './support.js'

const PING_PONG = `
Handlers.add('ping', 'Ping', function(m)
  local n = tonumber(m.Count)
  Count = (Count or 0) + 1
  if n > 0 then Send({ Target = m.From, Action = 'Ping', Count = tostring(n - 1) }) end
end)`

describe('network routing', () => {
  it('delivers a ping-pong between two processes until it is quiet, as a tree in delivery order', async () => {
    const net = new AoNetwork({ seed: 'routing' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    await evalLua(net, a, owner, PING_PONG)
    await evalLua(net, b, owner, PING_PONG)
    const sent = await evalLua(net, a, owner, `Send({ Target = '${b}', Action = 'Ping', Count = '4' })`)

    const deliveries = walk(sent).slice(1)
    expect(deliveries.map((n) => n.message.Target)).to.deep.equal([b, a, b, a, b])
    expect(deliveries.map((n) => tag(n.message.Tags, 'Count'))).to.deep.equal(['4', '3', '2', '1', '0'])
    // Each reply is a child of the message that caused it.
    expect(sent.children).to.have.length(1)
    expect(sent.children[0].children[0].children[0].message.Target).to.equal(b)
    expect(deliveries.every((n) => n.result.Error === undefined)).to.equal(true)
    const countOf = async (pid: string) => printed((await evalLua(net, pid, owner, 'Count')).result)
    expect(await countOf(a)).to.equal('2')
    expect(await countOf(b)).to.equal('3')
    expect(net.externalOutbox).to.deep.equal([])
  })

  it('delivers breadth-first: every message one handler sends before anything those messages cause', async () => {
    const net = new AoNetwork({ seed: 'bfs' })
    const owner = net.wallet('alice')
    const hub = await net.spawn({ owner })
    const x = await net.spawn({ owner })
    const y = await net.spawn({ owner })
    for (const pid of [x, y]) await evalLua(net, pid, owner, `Handlers.add('h', 'Hit', function(m) Send({ Target = '${hub}', Action = 'Back' }) end)`)
    const sent = await evalLua(net, hub, owner, `Send({ Target = '${x}', Action = 'Hit' }); Send({ Target = '${y}', Action = 'Hit' })`)
    // Deliveries in time: x, y, then x's Back, y's Back.
    const order: string[] = []
    const levels = [sent.children]
    while (levels.length) for (const n of levels.shift()!) { order.push(`${n.message.Target === hub ? 'hub' : n.message.Target === x ? 'x' : 'y'}:${tag(n.message.Tags, 'Action')}`); if (n.children.length) levels.push(n.children) }
    expect(order).to.deep.equal(['x:Hit', 'y:Hit', 'hub:Back', 'hub:Back'])
    expect(net.process(hub).scheduler.messages.slice(-2).map((m) => m.message.From)).to.deep.equal([x, y])
  })

  it('stops a message loop after maxMessagesPerSend with a typed error showing the last hops', async () => {
    const net = new AoNetwork({ seed: 'loop', maxMessagesPerSend: 20 })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    const forever = `Handlers.add('loop', 'Loop', function(m) Send({ Target = m.From, Action = 'Loop' }) end)`
    await evalLua(net, a, owner, forever)
    await evalLua(net, b, owner, forever)
    let error: unknown
    try {
      await net.send({ from: owner, to: a, tags: { Action: 'Eval' }, data: `Send({ Target = '${b}', Action = 'Loop' })` })
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(MessageLoopError).and.instanceOf(AokitError)
    const loop = error as MessageLoopError
    expect(loop.limit).to.equal(20)
    expect(loop.hops.length).to.be.greaterThan(2)
    expect(loop.hops.at(-1)).to.deep.include({ action: 'Loop' })
    expect([a, b]).to.include(loop.hops.at(-1)!.to)
    expect(loop.message).to.contain(`→ ${loop.hops.at(-1)!.to} (Action = Loop)`)
    // The network still works afterwards.
    const after = await net.send({ from: owner, to: a, tags: { Action: 'Eval' }, data: '1 + 1' })
    expect(printed(after.result)).to.equal('2')
  })

  it('puts messages to processes outside the network in the external outbox', async () => {
    const net = new AoNetwork({ seed: 'external' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const outside = net.wallet('somewhere-on-mainnet')
    const sent = await evalLua(net, a, owner, `Send({ Target = '${outside}', Action = 'Credit-Notice', Data = 'hi' })`)
    expect(sent.children).to.deep.equal([])
    expect(net.externalOutbox).to.have.length(1)
    const entry = net.externalOutbox[0]
    expect(entry.kind).to.equal('message')
    if (entry.kind !== 'message') return
    expect(entry.from).to.equal(a)
    expect(entry.message).to.include({ Target: outside, Data: 'hi', From: a, Owner: net.messenger.address })
    expect(tag(entry.message.Tags, 'Action')).to.equal('Credit-Notice')
  })

  it('refuses a send to a process it does not hold', async () => {
    const net = new AoNetwork({ seed: 'unknown' })
    let error: unknown
    try {
      await net.send({ from: net.wallet('alice'), to: net.wallet('nobody'), tags: { Action: 'X' } })
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(UnknownProcessError)
  })

  it('delivers an assignment: the already-known message reaches the listed processes with its own id', async () => {
    const net = new AoNetwork({ seed: 'assign' })
    const owner = net.wallet('alice')
    const a = await net.spawn({ owner })
    const b = await net.spawn({ owner })
    const c = await net.spawn({ owner })
    for (const pid of [b, c]) await evalLua(net, pid, owner, `Handlers.add('note', 'Note', function(m) Seen = m.Id .. ' ' .. m.Target end)`)
    // aos evaluates an assignment (a message whose Target is another process) only if it matches an assignable.
    await evalLua(net, b, owner, `ao.addAssignable('notes', { Action = 'Note' })`)
    const note = await net.send({ from: owner, to: a, tags: { Action: 'Note' }, data: 'x' })
    const assigned = await evalLua(net, a, owner, `Assign({ Processes = { '${b}', '${c}' }, Message = '${note.message.Id}' })`)

    expect(assigned.children.map((n) => n.message.Id)).to.deep.equal([note.message.Id, note.message.Id])
    expect(assigned.children.map((n) => n.message.Target)).to.deep.equal([a, a])
    expect(printed((await evalLua(net, b, owner, 'Seen')).result)).to.equal(`${note.message.Id} ${a}`)
    expect(printed(assigned.children[1].result)).to.contain('Assignment is not trusted!')
    for (const pid of [b, c]) {
      // Scheduled into the assignee's own history with its next nonce.
      expect(net.process(pid).scheduler.messages.map((m) => m.message.Id)).to.include(note.message.Id)
    }
    // c's refusal goes back to the sender's wallet, outside the network.
    expect(net.externalOutbox.map((e) => e.kind === 'message' && e.message.Target)).to.deep.equal([owner])
    // An assignment to a process outside the network leaves it.
    const outside = net.wallet('mainnet-process')
    await evalLua(net, a, owner, `Assign({ Processes = { '${outside}' }, Message = '${note.message.Id}' })`)
    expect(net.externalOutbox.at(-1)).to.deep.equal({ kind: 'assignment', from: a, processId: outside, messageId: note.message.Id })
  })
})
