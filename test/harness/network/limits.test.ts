// Issue 12: items a devnet logs before applying must never throw out of the network (a replay would brick it),
// and no single input may exhaust memory or time. Each measured case, on a virtual clock and a fixed seed.
import { expect } from 'chai'
import { AokitError } from '../../../sdk/errors.js'
import { CLOCK_START_MS } from '../../../harness/network/clock.js'
import {
  CronBacklogError,
  DuplicateMessageError,
  InvalidSpawnTagError,
  MessageLoopError,
  NetworkOptionError,
  ProcessLimitError,
  SpawnLimitError,
  UnknownProcessError,
} from '../../../harness/network/errors.js'
import { hashId } from '../../../harness/network/ids.js'
import { DEFAULT_LIMITS, validateSpawnTags } from '../../../harness/network/limits.js'
import { networkErrors, walk, type MessageNode } from '../../../harness/network/messageTree.js'
import type { NetworkMessage, Tag } from '../../../harness/network/messenger.js'
import { AOS_MODULE, AoNetwork, type AoNetworkOptions } from '../../../harness/network/network.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { tag } from './support.js'

const ALICE = hashId('limits:alice')

/** A Process item as a devnet would submit it (its own id, signed by alice), with boot code in Data. */
function processItem(net: AoNetwork, name: string, tags: Record<string, string>, boot?: string): NetworkMessage {
  const id = hashId(`limits:item:${name}`)
  const all: Tag[] = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Type', value: 'Process' },
    { name: 'Module', value: AOS_MODULE },
    { name: 'Scheduler', value: net.ids.scheduler },
    { name: 'Authority', value: net.messenger.address },
    ...(boot === undefined ? [] : [{ name: 'On-Boot', value: 'Data' }]),
    ...Object.entries(tags).map(([n, value]) => ({ name: n, value })),
  ]
  return { Id: id, Owner: ALICE, From: ALICE, Target: id, Anchor: '', Data: boot ?? '', Tags: all }
}

function messageItem(name: string, target: string, action: string): NetworkMessage {
  const tags = [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Message' }, { name: 'Action', value: action }]
  return { Id: hashId(`limits:item:${name}`), Owner: ALICE, From: ALICE, Target: target, Anchor: '', Data: ' ', Tags: tags }
}

const LOOP = `Handlers.add('loop', 'Loop', function(m) Count = (Count or 0) + 1; Send({ Target = ao.id, Action = 'Loop' }) end)`
const MANY = `Handlers.add('many', 'Many', function(m) for i = 1, 1000 do Spawn(ao._module, { Data = 'x', Tags = { N = tostring(i) } }) end end)`
// Every process it boots spawns another with the same boot code: Inbox[1] is the Process message.
const CHAIN = `Spawn(ao._module, { Data = Inbox[1].Data, Tags = { ['On-Boot'] = 'Data' } })`

/** Boot code that fails every way a process can: compute, memory, stack, a plain error. */
const BOMBS = {
  loop: 'while true do end',
  memory: 'local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1e6) .. i end',
  stack: 'local function f() return f() + 1 end f()',
  error: 'error("boom")',
}
/** Small VM limits so the bombs go off in well under a second. */
const SMALL_VM = { computeLimit: 20_000_000, memoryLimit: 64 * 1024 * 1024 }

const names = (errors: AokitError[]) => errors.map((error) => error.name)

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('network limits (issue 12)', () => {
  describe('validateSpawnTags', () => {
    it('names the tag, the value and the rule, without spawning', () => {
      const check = (value: string) => () => validateSpawnTags([{ name: 'Cron-Interval', value }])
      expect(check('every-tuesday')).to.throw(InvalidSpawnTagError, 'Cron-Interval: "every-tuesday" must be a duration "<count>-<unit>", e.g. "5-minutes"')
      expect(check('1-millisecond')).to.throw(InvalidSpawnTagError, 'Cron-Interval: "1-millisecond" must be at least 1000 ms')
      expect(check('0-seconds')).to.throw(InvalidSpawnTagError, 'at least 1000 ms')
      expect(check('1000')).to.throw(InvalidSpawnTagError, 'must be a duration')
      expect(check('1-second')).not.to.throw()
      expect(() => validateSpawnTags([{ name: 'Name', value: 'x' }])).not.to.throw()
      expect(() => validateSpawnTags([{ name: 'Cron-Interval', value: '1-second' }], { minCronInterval: 60_000 })).to.throw('at least 60000 ms')
      const error = (() => {
        try {
          check('every-tuesday')()
        } catch (e) {
          return e as InvalidSpawnTagError
        }
      })()!
      expect(error).to.be.instanceOf(AokitError)
      expect([error.tag, error.value]).to.deep.equal(['Cron-Interval', 'every-tuesday'])
    })

    it('has the documented defaults, and refuses a limit that is not a positive integer', () => {
      expect(DEFAULT_LIMITS).to.deep.equal({
        maxMessagesPerSend: 10_000,
        maxSpawnsPerMessage: 100,
        maxSpawnsPerInput: 100,
        maxProcesses: 1_000,
        minCronInterval: 1_000,
        maxCronTicksPerAdvance: 1_000,
        maxCronDeliveriesPerAdvance: 10_000,
      })
      expect(() => new AoNetwork({ maxProcesses: 0 })).to.throw(NetworkOptionError, 'maxProcesses must be a positive integer, got 0')
      expect(() => new AoNetwork({ maxSpawnsPerMessage: 1.5 })).to.throw(NetworkOptionError)
    })
  })

  describe('submit never throws for what an item holds', () => {
    it('refuses a spawn with Cron-Interval every-tuesday or 1-millisecond: an Error result, no process', async () => {
      const net = new AoNetwork({ seed: 'limits-cron' })
      for (const [name, value, rule] of [['tuesday', 'every-tuesday', 'a duration'], ['fast', '1-millisecond', 'at least 1000 ms']]) {
        const item = processItem(net, name, { 'Cron-Interval': value })
        const root = await net.submit(item)
        expect(root.result.Error).to.contain(`Cron-Interval: "${value}" must be ${rule}`)
        expect(names(root.errors!)).to.deep.equal(['InvalidSpawnTagError'])
        expect(root.message.Id).to.equal(item.Id)
        expect(net.processIds).to.deep.equal([])
        // The item was seen: the same id again is a duplicate, not a second refusal.
        expect(await caught(net.submit(item))).to.be.instanceOf(DuplicateMessageError)
      }
      const ok = await net.submit(processItem(net, 'ok', { 'Cron-Interval': '1-second', 'Cron-Tag-Action': 'Tick' }))
      expect(ok.result.Error).to.equal(undefined)
      expect(net.processIds).to.have.length(1)
    })

    it('answers a message to an unknown process with an Error root, and an unknown assignment with nothing', async () => {
      const net = new AoNetwork({ seed: 'limits-unknown' })
      const root = await net.submit(messageItem('lost', hashId('nowhere'), 'Hello'))
      expect(root.result.Error).to.contain('Unknown process')
      expect(root.errors![0]).to.be.instanceOf(UnknownProcessError)
      expect(await net.assign({ process: hashId('nowhere'), message: root.message.Id })).to.deep.equal([])
    })

    it('stops a handler sending to itself after 10,000 deliveries: an Error on the tree, deliveries done kept', async function () {
      this.timeout(120_000)
      const net = new AoNetwork({ seed: 'limits-loop' })
      const pid = (await net.submit(processItem(net, 'looper', {}, LOOP))).message.Id
      const root = await net.submit(messageItem('start', pid, 'Loop'))
      expect(root.errors).to.have.length(1)
      const loop = root.errors![0] as MessageLoopError
      expect(loop).to.be.instanceOf(MessageLoopError)
      expect(loop.limit).to.equal(10_000)
      expect(loop.shortMessage).to.equal('Message loop: more than 10000 messages delivered for one send')
      expect(loop.hops.at(-1)).to.deep.equal({ from: pid, to: pid, action: 'Loop' })
      // Process message, then 10,000 deliveries; the 10,001st was dropped, not half-delivered.
      const history = net.process(pid).scheduler.messages
      expect(history).to.have.length(10_001)
      expect(await net.process(pid).vm.read('Count')).to.equal(10_000)
      // Usable afterwards, and the loop starts over under its own bound.
      const again = await net.submit(messageItem('again', pid, 'Loop'))
      expect(names(again.errors!)).to.deep.equal(['MessageLoopError'])
      expect(await net.process(pid).vm.read('Count')).to.equal(20_000)
    })

    it('creates 100 of the 1,000 processes one message spawns, and records a SpawnLimitError', async function () {
      this.timeout(120_000)
      const net = new AoNetwork({ seed: 'limits-many' })
      const pid = (await net.submit(processItem(net, 'factory', {}, MANY))).message.Id
      const root = await net.submit(messageItem('many', pid, 'Many'))
      expect(root.result.Spawns).to.have.length(1000)
      expect(names(root.errors!)).to.deep.equal(['SpawnLimitError'])
      expect(root.errors![0].message).to.equal('Spawn limit: more than 100 spawns in one message (maxSpawnsPerMessage); the rest were not created')
      expect(net.processIds).to.have.length(101)
      expect(root.children.filter((node) => tag(node.message.Tags, 'Type') === 'Process').map((node) => tag(node.message.Tags, 'N'))).to.deep.equal(
        Array.from({ length: 100 }, (_, i) => String(i + 1)),
      )
    })

    it('bounds a spawn chain (boot code that spawns itself) by maxSpawnsPerInput', async function () {
      this.timeout(120_000)
      const net = new AoNetwork({ seed: 'limits-chain', maxSpawnsPerInput: 20 })
      const root = await net.submit(processItem(net, 'chain', {}, CHAIN))
      const errors = networkErrors(root)
      expect(names(errors)).to.deep.equal(['SpawnLimitError'])
      expect((errors[0] as SpawnLimitError).scope).to.equal('input')
      expect(net.processIds).to.have.length(21)
      // The refused spawn is a node that was not evaluated; its spawner got no Spawned notice.
      const refused = walk(root).filter((node) => node.errors)
      expect(refused).to.have.length(1)
      expect(refused[0].result.Error).to.contain('Spawn limit')
      expect(net.processIds).not.to.include(refused[0].message.Id)
    })

    it('gives a spawn whose boot code is a bomb an Error result; the process exists, as on AO, and the network goes on', async function () {
      this.timeout(60_000)
      const net = new AoNetwork({ seed: 'limits-bombs', vm: SMALL_VM })
      const healthy = (await net.submit(processItem(net, 'healthy', {}))).message.Id
      for (const [name, boot] of Object.entries(BOMBS)) {
        const root = await net.submit(processItem(net, name, {}, boot))
        expect(root.result.Error, name).to.be.a('string')
        expect(root.errors, name).to.equal(undefined)
        // A later message to it is a result too (what it says is the VM's business, not the network's).
        const after = await net.submit({ ...messageItem(`${name}-after`, root.message.Id, 'Eval'), Data: '1 + 1' })
        expect(after.errors, name).to.equal(undefined)
        const ok = await net.submit({ ...messageItem(`${name}-healthy`, healthy, 'Eval'), Data: '1 + 1' })
        expect(String((ok.result.Output as { data?: unknown }).data), name).to.contain('2')
      }
      expect(net.processIds).to.have.length(5)
    })

    it('refuses a spawn past maxProcesses: an Error from submit and Lua, a ProcessLimitError from spawn', async () => {
      const net = new AoNetwork({ seed: 'limits-max', maxProcesses: 2 })
      const a = (await net.submit(processItem(net, 'a', {}, `Handlers.add('kid', 'Kid', function(m) Spawn(ao._module, { Data = 'x' }) end)`))).message.Id
      await net.spawn({ owner: ALICE })
      const root = await net.submit(processItem(net, 'c', {}))
      expect(root.result.Error).to.equal('Process limit: the network already holds 2 processes (maxProcesses)')
      const kid = await net.submit(messageItem('kid', a, 'Kid'))
      expect(kid.children.map((node) => node.result.Error)).to.deep.equal(['Process limit: the network already holds 2 processes (maxProcesses)'])
      expect(await caught(net.spawn({ owner: ALICE }))).to.be.instanceOf(ProcessLimitError)
      expect(await caught(net.mock(() => undefined))).to.be.instanceOf(ProcessLimitError)
      expect(await caught(net.fork(a))).to.be.instanceOf(ProcessLimitError)
      expect(net.processIds).to.have.length(2)
    })

    it('sends nothing for outbox entries Lua set to something that cannot be a data item', async () => {
      const net = new AoNetwork({ seed: 'limits-outbox' })
      const junk = [
        'ao.outbox.Spawns = 5',
        'ao.outbox.Messages = "x"',
        'ao.outbox.Messages = { 5, { Target = 5, Tags = "x" } }',
        'ao.outbox.Assignments = 7',
        'ao.outbox.Assignments = { { Processes = "abc", Message = 5 } }',
        'ao.outbox.Spawns = { { Tags = 5 } }',
      ]
      const code = `Handlers.add('junk', 'Junk', function(m) load(m.Data)() end)`
      const pid = (await net.submit(processItem(net, 'junk', {}, code))).message.Id
      for (const [i, lua] of junk.entries()) {
        const root = await net.submit({ ...messageItem(`junk-${i}`, pid, 'Junk'), Data: lua })
        expect(root.result.Error, lua).to.equal(undefined)
        expect(root.errors, lua).to.equal(undefined)
      }
      // The spawn with Tags = 5 has no tags of its own: it is spawned with the messenger's.
      expect(net.processIds).to.have.length(2)
      expect(net.externalOutbox.map((entry) => entry.kind === 'message' ? entry.message.Target : entry.processId)).to.deep.equal([5])
    })
  })

  describe('crons', () => {
    it('runs at most maxCronTicksPerAdvance ticks in one advance and skips the rest, keeping the phase', async function () {
      this.timeout(60_000)
      // minCronInterval lowered to 1 ms: a process restored from an image made before the minimum can have one.
      const net = new AoNetwork({ seed: 'limits-backlog', minCronInterval: 1 })
      await net.submit(processItem(net, 'fast', { 'Cron-Interval': '7-milliseconds', 'Cron-Tag-Action': 'Tick' }))
      const ticks = await net.advance('1-minute')
      expect(ticks).to.have.length(1000)
      const backlog = ticks.at(-1)!.errors![0] as CronBacklogError
      expect(backlog).to.be.instanceOf(CronBacklogError)
      // 60,000 ms / 7 = 8,571 boundaries, 1,000 ticked.
      expect(backlog.skipped).to.equal(7571)
      expect(backlog.message).to.equal('Cron backlog: 1000 cron ticks in one advance (maxCronTicksPerAdvance); 7571 ticks skipped')
      expect(net.clock.now).to.equal(CLOCK_START_MS + 60_000)
      const cron = net.process(net.processIds[0]).cron!
      expect(cron.next).to.equal(CLOCK_START_MS + 8572 * 7)
      expect(await net.advance(0)).to.deep.equal([])
      expect(await net.advance(11)).to.have.length(2)
    })

    it('stops ticking once the ticks of one advance caused maxCronDeliveriesPerAdvance deliveries', async () => {
      const net = new AoNetwork({ seed: 'limits-cron-deliveries', maxMessagesPerSend: 50, maxCronDeliveriesPerAdvance: 120 })
      const pid = (await net.submit(processItem(net, 'ticker', { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Loop' }, LOOP))).message.Id
      // A looping cron, a day behind: three ticks of 50 deliveries each, then 1,437 boundaries skipped.
      const ticks = await net.advance('1-day')
      expect(ticks.map((tick) => names(tick.errors ?? []))).to.deep.equal([['MessageLoopError'], ['MessageLoopError'], ['MessageLoopError', 'CronBacklogError']])
      expect(ticks[2].errors![1].message).to.equal('Cron backlog: 120 cron deliveries in one advance (maxCronDeliveriesPerAdvance); 1437 ticks skipped')
      expect(await net.process(pid).vm.read('Count')).to.equal(150)
      expect(net.process(pid).cron!.next).to.equal(CLOCK_START_MS + 86_400_000 + 60_000)
    })

    it('records a loop in a cron tick on the tick; the test API throws it once the clock is there', async () => {
      const options = { seed: 'limits-tick', maxMessagesPerSend: 50 }
      const net = new AoNetwork(options)
      const pid = (await net.submit(processItem(net, 'ticker', { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Loop' }, LOOP))).message.Id
      const ticks = await net.advance('2-minutes')
      expect(ticks.map((tick) => names(tick.errors ?? []))).to.deep.equal([['MessageLoopError'], ['MessageLoopError']])
      expect(await net.process(pid).vm.read('Count')).to.equal(100)

      const t = createTestNetwork(options)
      await t.spawn({ tags: { 'Cron-Interval': '1-minute', 'Cron-Tag-Action': 'Loop' }, source: LOOP })
      expect(await caught(t.advance('2-minutes'))).to.be.instanceOf(MessageLoopError)
      expect(t.net.clock.now).to.equal(CLOCK_START_MS + 120_000)
    })

    it('refuses a Lua Spawn with a bad Cron-Interval: a node in the tree; send throws it to the test', async () => {
      const net = new AoNetwork({ seed: 'limits-lua-cron' })
      const pid = (await net.submit(processItem(net, 'parent', {}, `Handlers.add('kid', 'Kid', function(m) Spawn(ao._module, { Data = 'x', Tags = { ['Cron-Interval'] = m.Every } }) end)`))).message.Id
      const item = { ...messageItem('kid', pid, 'Kid'), Tags: [...messageItem('kid', pid, 'Kid').Tags, { name: 'Every', value: 'every-tuesday' }] }
      const root = await net.submit(item)
      expect(root.children).to.have.length(1)
      expect(root.children[0].result.Error).to.equal('Cron-Interval: "every-tuesday" must be a duration "<count>-<unit>", e.g. "5-minutes"')
      expect(net.processIds).to.have.length(1)
      const error = await caught(net.send({ from: ALICE, to: pid, tags: { Action: 'Kid', Every: '1-millisecond' } }))
      expect(error).to.be.instanceOf(InvalidSpawnTagError)
      expect(net.processIds).to.have.length(1)
    })
  })

  it('replays a sequence of every poison item to the same results, ids and state', async function () {
    this.timeout(120_000)
    const options: AoNetworkOptions = { seed: 'limits-replay', maxMessagesPerSend: 300, maxSpawnsPerMessage: 5, maxSpawnsPerInput: 8, maxCronTicksPerAdvance: 50, vm: SMALL_VM }
    const run = async () => {
      const net = new AoNetwork(options)
      const roots: MessageNode[] = []
      const looper = processItem(net, 'looper', { 'Cron-Interval': '1-second', 'Cron-Tag-Action': 'Tick' }, LOOP)
      const factory = processItem(net, 'factory', {}, MANY)
      const items = [
        processItem(net, 'tuesday', { 'Cron-Interval': 'every-tuesday' }),
        processItem(net, 'fast', { 'Cron-Interval': '1-millisecond' }),
        looper,
        factory,
        processItem(net, 'chain', {}, CHAIN),
        messageItem('start', looper.Id, 'Loop'),
        messageItem('many', factory.Id, 'Many'),
        messageItem('lost', hashId('nowhere'), 'Hello'),
        ...Object.entries(BOMBS).map(([name, boot]) => processItem(net, `bomb-${name}`, {}, boot)),
      ]
      for (const item of items) {
        roots.push(await net.submit(item))
        roots.push(...(await net.advance('3-seconds')))
      }
      roots.push(...(await net.advance('2-minutes')))
      roots.push(...(await net.assign({ process: factory.Id, message: items[5].Id })))
      const state = await Promise.all(net.processIds.map(async (id) => ({
        id,
        count: await net.process(id).vm.read('Count'),
        history: net.process(id).scheduler.messages.map((entry) => ({ id: entry.message.Id, nonce: entry.nonce, error: entry.result?.Error })),
        cron: net.process(id).cron,
      })))
      const trees = roots.map((root) => walk(root).map((node) => ({
        id: node.message.Id,
        target: node.message.Target,
        result: node.result,
        errors: (node.errors ?? []).map((error) => `${error.name}: ${error.message}`),
      })))
      return { trees, state, clock: net.clock.now, outbox: net.externalOutbox.length }
    }
    const first = await run()
    const errors = first.trees.flat().flatMap((node) => node.errors.map((e) => e.split(':')[0]))
    expect([...new Set(errors)].sort()).to.deep.equal(['CronBacklogError', 'InvalidSpawnTagError', 'MessageLoopError', 'SpawnLimitError', 'UnknownProcessError'])
    expect(JSON.stringify(await run())).to.equal(JSON.stringify(first))
  })
})

describe('network limits in traces', () => {
  it('marks where a loop stopped', async () => {
    const t = createTestNetwork({ seed: 'limits-trace', maxMessagesPerSend: 3 })
    const looper = await t.spawn({ name: 'looper', source: LOOP })
    const error = await caught(t.send(t.wallet('alice'), looper, 'Loop'))
    expect(error).to.be.instanceOf(MessageLoopError)
    const root = await t.net.submit(messageItem('trace', looper, 'Loop'))
    expect(t.trace(root, { colors: false }).split('\n')[0]).to.match(/ Loop ✗ Message loop: more than 3 messages delivered for one send$/)
  })
})
