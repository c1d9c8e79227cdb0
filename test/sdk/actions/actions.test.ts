import { expect } from 'chai'
import { assign } from '../../../sdk/actions/assign.js'
import { dryrun } from '../../../sdk/actions/dryrun.js'
import { MissingSignerError } from '../../../sdk/actions/errors.js'
import { message } from '../../../sdk/actions/message.js'
import { monitor } from '../../../sdk/actions/monitor.js'
import { result } from '../../../sdk/actions/result.js'
import { results } from '../../../sdk/actions/results.js'
import { spawn } from '../../../sdk/actions/spawn.js'
import { unmonitor } from '../../../sdk/actions/unmonitor.js'
import { createClient } from '../../../sdk/client.js'
import { local } from '../../../sdk/transports/local.js'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { setup, type Setup } from './setup.js'

const tagsOf = (tags: { name: string; value: unknown }[]) => tags.map((tag) => `${tag.name}=${tag.value}`)

describe('actions on the local transport', () => {
  let s: Setup
  beforeEach(async () => {
    s = await setup()
  })

  describe('spawn', () => {
    it('creates a process owned by the signer, with protocol, Module and Scheduler tags', async () => {
      const id = await spawn(s.client, { module: AOS_MODULE, scheduler: s.tn.net.ids.scheduler, tags: { Name: 'made-by-sdk' } })
      const process = s.tn.net.process(id)
      expect(process.owner).to.equal(s.alice)
      expect(tagsOf(process.env.Process.Tags as never)).to.include.members([
        'Name=made-by-sdk', 'SDK=aokit', 'Data-Protocol=ao', 'Variant=ao.TN.1', 'Type=Process', `Module=${AOS_MODULE}`, `Scheduler=${s.tn.net.ids.scheduler}`,
      ])
    })
  })

  describe('message + result', () => {
    it('sends from the signer and reads the result in CU shape', async () => {
      const id = await message(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      const res = await result(s.client, { process: s.counter, message: id })
      expect(res).to.have.all.keys('Messages', 'Spawns', 'Assignments', 'Output', 'GasUsed')
      expect(res.Messages![0]).to.include({ Target: s.alice, Data: '1' })
      expect(await s.tn.read(s.counter, 'Count')).to.equal(1)
    })

    it('appends the SDK and protocol tags after the user tags', async () => {
      await message(s.client, { process: s.counter, tags: [{ name: 'Action', value: 'Inc' }], data: 'hello' })
      const last = s.tn.net.process(s.counter).scheduler.messages.at(-1)!.message
      expect(tagsOf(last.Tags)).to.deep.equal(['Action=Inc', 'SDK=aokit', 'Data-Protocol=ao', 'Variant=ao.TN.1', 'Type=Message'])
      expect(last.Data).to.equal('hello')
    })

    it('keeps Error in the result when the handler fails', async () => {
      const id = await message(s.client, { process: s.counter, tags: { Action: 'Fail' } })
      const res = await result(s.client, { process: s.counter, message: id })
      expect(String(res.Error)).to.contain('asked to fail')
    })

    it('throws MissingSignerError on a client that cannot sign, and sends nothing', async () => {
      const client = createClient({ transport: local(s.tn) })
      const before = s.tn.net.process(s.counter).scheduler.messages.length
      const error = await message(client, { process: s.counter, tags: { Action: 'Inc' } }).catch((e: unknown) => e)
      expect(error).to.be.instanceOf(MissingSignerError)
      expect((error as MissingSignerError).message).to.equal('message needs a signer: pass one to createClient({ transport, signer }).')
      expect(s.tn.net.process(s.counter).scheduler.messages.length).to.equal(before)
    })
  })

  describe('results', () => {
    it('pages through the history with cursors', async () => {
      for (let i = 0; i < 3; i++) await message(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      // History: Process message, the Eval that loaded the code, then 3 Incs.
      const first = await results(s.client, { process: s.counter, limit: 2 })
      expect(first.edges.map((e) => e.cursor)).to.deep.equal(['0', '1'])
      const second = await results(s.client, { process: s.counter, from: first.edges[1].cursor, limit: 2 })
      expect(second.edges.map((e) => e.cursor)).to.deep.equal(['2', '3'])
      expect(second.edges[0].node.Messages![0].Data).to.equal('1')
      const third = await results(s.client, { process: s.counter, from: '3' })
      expect(third.edges.map((e) => e.cursor)).to.deep.equal(['4'])
    })

    it('sorts newest first with DESC', async () => {
      await message(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      const page = await results(s.client, { process: s.counter, sort: 'DESC', limit: 2 })
      expect(page.edges.map((e) => e.cursor)).to.deep.equal(['2', '1'])
    })
  })

  describe('dryrun', () => {
    it('returns the reply without changing state or history', async () => {
      await message(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      const before = s.tn.net.process(s.counter).scheduler.messages.length
      const res = await dryrun(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      expect(res.Messages![0]).to.include({ Target: s.alice, Data: '2' })
      expect(await s.tn.read(s.counter, 'Count')).to.equal(1)
      expect(s.tn.net.process(s.counter).scheduler.messages.length).to.equal(before)
    })
  })

  describe('assign', () => {
    // aos drops assignments unless ao.addAssignable allows them (the message's Target is another process).
    const ASSIGNABLE = `Seen = 0
ao.addAssignable('incs', { Action = 'Inc' })
Handlers.add('inc', 'Inc', function() Seen = Seen + 1 end)`

    it('schedules a sent message on a second process too', async () => {
      const other = await s.tn.spawn({ name: 'other', source: ASSIGNABLE })
      const id = await message(s.client, { process: s.counter, tags: { Action: 'Inc' } })
      const assignment = await assign(s.client, { process: other, message: id })
      // The network gives the message its own id; the assignment names it at the assigned process.
      const networkId = String(s.tn.net.process(s.counter).scheduler.messages.at(-1)!.message.Id)
      expect(assignment).to.equal(`${other}/${networkId}`)
      expect(await s.tn.read(other, 'Seen')).to.equal(1)
      expect(await result(s.client, { process: other, message: id })).to.have.property('Messages')
    })
  })

  describe('monitor / unmonitor', () => {
    // The local network runs every cron as its clock moves: monitor and unmonitor change nothing there.
    const TICKER = `Ticks = 0
Handlers.add('tick', 'Tick', function() Ticks = Ticks + 1 end)`

    it('resolve without scheduling anything; crons tick with the clock before, between and after', async () => {
      const ticker = await s.tn.spawn({ name: 'ticker', source: TICKER, tags: { 'Cron-Interval': '10-seconds', 'Cron-Tag-Action': 'Tick' } })
      const history = () => s.tn.net.process(ticker).scheduler.messages.length
      const scheduled = history()
      await s.tn.advance('10-seconds')
      expect(await monitor(s.client, { process: ticker })).to.equal(undefined)
      await s.tn.advance('10-seconds')
      expect(await unmonitor(s.client, { process: ticker })).to.equal(undefined)
      await s.tn.advance('10-seconds')
      expect(await s.tn.read(ticker, 'Ticks')).to.equal(3)
      expect(history()).to.equal(scheduled)
    })
  })
})
