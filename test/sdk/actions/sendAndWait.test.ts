import { expect } from 'chai'
import { ProcessError, ReplyTimeoutError, ResultNotFoundError, ResultTimeoutError } from '../../../sdk/actions/errors.js'
import { sendAndWait, type WaitClock } from '../../../sdk/actions/sendAndWait.js'
import { createClient } from '../../../sdk/client.js'
import { ECHO, relay, setup, type Setup } from './setup.js'

/** A clock whose sleep moves virtual time at once, counting polls. */
function virtualClock(): WaitClock & { sleeps: number } {
  let now = 0
  const clock = { sleeps: 0, now: () => now, sleep: async (ms: number) => { now += ms; clock.sleeps += 1 } }
  return clock
}

describe('sendAndWait', () => {
  let s: Setup
  beforeEach(async () => {
    s = await setup()
  })

  it('returns the message id and its result', async () => {
    const clock = virtualClock()
    const { id, result } = await sendAndWait(s.client, { process: s.counter, tags: { Action: 'Inc' }, clock })
    // fakeSign numbers the items it signs.
    expect(id).to.equal(`fake-${s.alice.slice(0, 6)}-1`)
    expect(result.Messages![0].Data).to.equal('1')
    expect(clock.sleeps).to.equal(0)
  })

  it('waits for a reply another process sends later', async () => {
    const echo = await s.tn.spawn({ name: 'echo', source: ECHO })
    const pinger = await s.tn.spawn({ name: 'pinger', source: relay(echo) })
    // An older Pong from echo must not count: only replies after this send do.
    await sendAndWait(s.client, { process: pinger, tags: { Action: 'Ping' }, clock: virtualClock() })
    const { result, reply } = await sendAndWait(s.client, {
      process: pinger,
      tags: { Action: 'Ping' },
      reply: { process: echo, match: { Action: 'Pong', Target: s.alice } },
      clock: virtualClock(),
    })
    expect(result.Messages![0]).to.include({ Target: echo })
    expect(reply).to.include({ Target: s.alice, Data: 'pong' })
    const page = await s.client.transport.results({ process: echo })
    expect(page.edges).to.have.length(4) // Process message, code Eval, two Forwards
  })

  it('throws ResultTimeoutError naming the message and timeout when no result comes', async () => {
    const transport = { ...s.client.transport, result: async ({ process, message }: { process: string; message: string }) => { throw new ResultNotFoundError(process, message) } }
    const client = createClient({ ...s.client, transport })
    const clock = virtualClock()
    try {
      await sendAndWait(client, { process: s.counter, tags: { Action: 'Inc' }, timeout: 1000, pollInterval: 100, clock })
      expect.fail('should time out')
    } catch (error) {
      expect(error).to.be.instanceOf(ResultTimeoutError)
      const timeout = error as ResultTimeoutError
      expect(timeout.timeout).to.equal(1000)
      expect(timeout.messageId).to.match(/^fake-/)
      expect(timeout.message).to.contain(timeout.messageId).and.contain('1000 ms')
      expect(clock.sleeps).to.equal(10)
    }
  })

  it('throws ReplyTimeoutError when no matching reply comes', async () => {
    const echo = await s.tn.spawn({ name: 'echo', source: ECHO })
    try {
      await sendAndWait(s.client, { process: s.counter, tags: { Action: 'Inc' }, reply: { process: echo, match: () => true }, timeout: 500, pollInterval: 100, clock: virtualClock() })
      expect.fail('should time out')
    } catch (error) {
      expect(error).to.be.instanceOf(ReplyTimeoutError)
      expect((error as ReplyTimeoutError).process).to.equal(echo)
    }
  })

  it('throws ProcessError at once when the message fails and a reply was asked for; returns the failed result otherwise', async () => {
    const clock = virtualClock()
    try {
      await sendAndWait(s.client, { process: s.counter, tags: { Action: 'Fail' }, reply: { process: s.counter, match: () => true }, clock })
      expect.fail('should throw')
    } catch (error) {
      expect(error).to.be.instanceOf(ProcessError)
      expect((error as ProcessError).process).to.equal(s.counter)
      expect((error as ProcessError).details).to.contain('asked to fail')
    }
    expect(clock.sleeps, 'no waiting for a reply that cannot come').to.equal(0)
    const { result } = await sendAndWait(s.client, { process: s.counter, tags: { Action: 'Fail' }, clock })
    expect(result.Error).to.contain('asked to fail')
  })

  it('rethrows transport errors other than a missing result', async () => {
    const transport = { ...s.client.transport, result: async () => { throw new Error('CU down') } }
    const client = createClient({ ...s.client, transport })
    try {
      await sendAndWait(client, { process: s.counter, tags: { Action: 'Inc' }, clock: virtualClock() })
      expect.fail('should throw')
    } catch (error) {
      expect((error as Error).message).to.equal('CU down')
    }
  })
})
