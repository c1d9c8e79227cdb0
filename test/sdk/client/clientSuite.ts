// One client test suite, run on every transport: the same calls must give the same shapes and behaviour on the
// in-memory network (`local`) and over HTTP against the devnet (`legacy`, and `mainnet` over its HyperBEAM API).
// It uses only the SDK's actions; where an API offers less (HyperBEAM: latest result only, no assign or monitor),
// SuiteOptions says so and the suite asserts that difference instead.
import { expect } from 'chai'
import { assign } from '../../../sdk/actions/assign.js'
import { dryrun } from '../../../sdk/actions/dryrun.js'
import { ResultNotFoundError } from '../../../sdk/actions/errors.js'
import { message } from '../../../sdk/actions/message.js'
import { monitor } from '../../../sdk/actions/monitor.js'
import { result } from '../../../sdk/actions/result.js'
import { results } from '../../../sdk/actions/results.js'
import { sendAndWait } from '../../../sdk/actions/sendAndWait.js'
import { spawn } from '../../../sdk/actions/spawn.js'
import { unmonitor } from '../../../sdk/actions/unmonitor.js'
import type { Client } from '../../../sdk/client.js'
import { UnsupportedOperationError } from '../../../sdk/transports/errors.js'
import { AOS_MODULE } from '../../../sdk/constants.js'

export type SuiteTarget = {
  client: Client
  scheduler: string
  /** The processes the unit runs crons for on its own (a devnet's MU); absent where monitor is a no-op (local). */
  monitored?: () => readonly string[]
  close(): Promise<void>
}

/** What the target's API offers; the defaults are the legacy API's. */
export type SuiteOptions = {
  /** `paged`: every result, with cursors; `latest`: only the latest slot's (HyperBEAM). */
  results?: 'paged' | 'latest'
  /** false: assign, monitor and unmonitor throw UnsupportedOperationError. */
  assign?: boolean
  /** The transport's message() also answers the slot (mainnet). */
  messageSlot?: boolean
}

const COUNTER = `Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('get', 'Get', function(msg) msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('fail', 'Fail', function(msg) error('asked to fail') end)
Handlers.add('ping', 'Ping', function(msg) ao.send({ Target = msg.Echo, Action = 'Forward', Origin = msg.From }) end)`
const ECHO = `Handlers.add('forward', 'Forward', function(msg) ao.send({ Target = msg.Origin, Action = 'Pong', Data = 'pong' }) end)
Seen = 0
ao.addAssignable('incs', { Action = 'Inc' })
Handlers.add('inc', 'Inc', function() Seen = Seen + 1 end)
Handlers.add('seen', 'Seen', function(msg) msg.reply({ Action = 'Seen', Data = tostring(Seen) }) end)`

/** No real time passes while the suite waits: each poll moves this clock instead. */
const instantClock = () => {
  let now = 0
  return { now: () => now, sleep: async (ms: number) => void (now += ms) }
}

export function clientSuite(name: string, makeTarget: () => Promise<SuiteTarget>, options: SuiteOptions = {}): void {
  const { results: paging = 'paged', assign: assigns = true, messageSlot = false } = options
  describe(`client suite on ${name}`, function () {
    let t: SuiteTarget
    let counter: string
    let echo: string

    const load = async (process: string, code: string) => {
      const loaded = await sendAndWait(t.client, { process, tags: { Action: 'Eval' }, data: code, clock: instantClock() })
      expect(loaded.result.Error, 'loading code').to.equal(undefined)
    }
    const countNow = async () => (await dryrun(t.client, { process: counter, tags: { Action: 'Get' } })).Messages![0]!.Data

    before(async () => {
      t = await makeTarget()
    })
    // Fresh processes for every test, so none depends on what an earlier one sent.
    beforeEach(async () => {
      counter = await spawn(t.client, { module: AOS_MODULE, scheduler: t.scheduler, tags: { Name: 'counter' } })
      echo = await spawn(t.client, { module: AOS_MODULE, scheduler: t.scheduler, tags: { Name: 'echo' } })
      await load(counter, COUNTER)
      await load(echo, ECHO)
    })
    after(() => t.close())

    it('spawn returns a 43-character process id', () => {
      expect(counter).to.match(/^[A-Za-z0-9_-]{43}$/)
    })

    it('message + result: the reply in the CU shape', async () => {
      const id = await message(t.client, { process: counter, tags: { Action: 'Inc' } })
      const res = await result(t.client, { process: counter, message: id })
      expect(res).to.include.all.keys('Messages', 'Spawns', 'Assignments', 'Output')
      expect(res.Messages![0]).to.include({ Target: t.client.signer!.address, Data: '1' })
    })

    it('keeps the Error of a failing handler in the result, and the state as it was', async () => {
      await message(t.client, { process: counter, tags: { Action: 'Inc' } })
      const id = await message(t.client, { process: counter, tags: { Action: 'Fail' } })
      expect(String((await result(t.client, { process: counter, message: id })).Error)).to.contain('asked to fail')
      expect(await countNow()).to.equal('1')
    })

    it('result of an unknown message throws ResultNotFoundError', async () => {
      const error = await result(t.client, { process: counter, message: 'Z'.repeat(43) }).catch((e: unknown) => e)
      expect(error).to.be.instanceOf(ResultNotFoundError).and.include({ process: counter, messageId: 'Z'.repeat(43) })
    })

    if (paging === 'paged') {
      it('results: string cursors, pages that continue, newest first with DESC', async () => {
        // The history: the spawn (0), the Eval that loaded COUNTER (1), then Inc (2) and Fail (3).
        await message(t.client, { process: counter, tags: { Action: 'Inc' } })
        await message(t.client, { process: counter, tags: { Action: 'Fail' } })
        const first = await results(t.client, { process: counter, limit: 2 })
        expect(first.edges.map((e) => e.cursor)).to.deep.equal(['0', '1'])
        const next = await results(t.client, { process: counter, from: first.edges[1]!.cursor, limit: 1 })
        expect(next.edges.map((e) => e.cursor)).to.deep.equal(['2'])
        expect(next.edges[0]!.node.Messages![0]).to.include({ Target: t.client.signer!.address, Data: '1' })
        const newest = await results(t.client, { process: counter, sort: 'DESC', limit: 1 })
        expect(newest.edges.map((e) => e.cursor)).to.deep.equal(['3'])
        expect(String(newest.edges[0]!.node.Error)).to.contain('asked to fail')
      })
    } else {
      it('results: only the latest slot, as a string cursor; the page after it is empty', async () => {
        const id = await message(t.client, { process: counter, tags: { Action: 'Fail' } })
        const latest = await results(t.client, { process: counter, limit: 2 })
        expect(latest.edges).to.have.length(1)
        expect(latest.edges[0]!.cursor).to.match(/^\d+$/)
        expect(latest.edges[0]!.node).to.deep.equal(await result(t.client, { process: counter, message: id }))
        expect(latest).to.include({ latestOnly: true })
        expect((await results(t.client, { process: counter, from: latest.edges[0]!.cursor })).edges).to.deep.equal([])
        expect((await results(t.client, { process: counter, sort: 'DESC', limit: 1 })).edges).to.deep.equal(latest.edges)
      })
    }

    if (messageSlot) {
      it("the transport's message answers the item id and the slot it was scheduled at", async () => {
        const transport = t.client.transport as unknown as { message(item: unknown): Promise<{ id: string; slot: number }> }
        const { signItem } = await import('../../../sdk/actions/signItem.js')
        const { protocolTags } = await import('../../../sdk/actions/tags.js')
        const item = await signItem(t.client, { target: counter, tags: protocolTags({ Action: 'Get' }, 'Message', true), data: ' ' })
        const before = (await results(t.client, { process: counter })).edges[0]!.cursor
        expect(await transport.message(item)).to.deep.equal({ id: item.id, slot: Number(before) + 1 })
      })
    }

    it('dryrun answers from the current state and changes nothing', async () => {
      await message(t.client, { process: counter, tags: { Action: 'Inc' } })
      const res = await dryrun(t.client, { process: counter, tags: { Action: 'Inc' } })
      expect(res.Messages![0]!.Data).to.equal('2')
      expect(await countNow()).to.equal('1')
    })

    it('sendAndWait waits for a reply from another process', async () => {
      const sent = await sendAndWait(t.client, {
        process: counter,
        tags: { Action: 'Ping', Echo: echo },
        reply: { process: echo, match: { Action: 'Pong' } },
        clock: instantClock(),
      })
      expect(sent.result.Error).to.equal(undefined)
      expect(sent.reply).to.include({ Target: t.client.signer!.address, Data: 'pong' })
    })

    if (assigns) {
      it('assign schedules a message on a second process that accepts it', async () => {
        const id = await message(t.client, { process: counter, tags: { Action: 'Inc' } })
        expect(await assign(t.client, { process: echo, message: id })).to.match(new RegExp(`^${echo}/`))
        const res = await result(t.client, { process: echo, message: id })
        expect(res.Error).to.equal(undefined)
        const seen = await dryrun(t.client, { process: echo, tags: { Action: 'Seen' } })
        expect(seen.Messages![0]).to.deep.include({ Data: '1' })
        // The counter ran it too, as the message's target.
        expect(await countNow()).to.equal('1')
      })

      it('monitor makes the unit run the process\'s crons; unmonitor stops it (a no-op where crons tick anyway)', async () => {
        const history = async () => (await results(t.client, { process: counter, limit: 100 })).edges.length
        const before = await history()
        expect(await monitor(t.client, { process: counter })).to.equal(undefined)
        if (t.monitored) expect(t.monitored()).to.include(counter)
        expect(await unmonitor(t.client, { process: counter })).to.equal(undefined)
        if (t.monitored) expect(t.monitored()).to.not.include(counter)
        // Neither call is a message to the process: its history is as it was.
        expect(await history()).to.equal(before)
      })
    } else {
      it('assign, monitor and unmonitor throw UnsupportedOperationError', async () => {
        const id = await message(t.client, { process: counter, tags: { Action: 'Inc' } })
        const calls = [
          () => assign(t.client, { process: echo, message: id }),
          () => monitor(t.client, { process: counter }),
          () => unmonitor(t.client, { process: counter }),
        ]
        for (const call of calls) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(error).to.be.instanceOf(UnsupportedOperationError)
        }
      })
    }
  })
}
