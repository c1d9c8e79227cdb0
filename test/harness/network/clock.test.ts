import { expect } from 'chai'
import { AokitError } from '../../../sdk/errors.js'
import { BLOCK_INTERVAL_MS, CLOCK_START_MS, ClockError, InvalidDurationError, START_BLOCK_HEIGHT, VirtualClock, parseDuration } from '../../../harness/network/clock.js'
import { Ids } from '../../../harness/network/ids.js'

describe('network clock and ids', () => {
  it('parses AO cron durations in every unit, singular and plural', () => {
    expect(parseDuration(1500)).to.equal(1500)
    expect(parseDuration('10-seconds')).to.equal(10_000)
    expect(parseDuration('5-minutes')).to.equal(300_000)
    expect(parseDuration('1-minute')).to.equal(60_000)
    expect(parseDuration('1-hour')).to.equal(3_600_000)
    expect(parseDuration('2-days')).to.equal(172_800_000)
    expect(parseDuration('1-week')).to.equal(604_800_000)
    expect(parseDuration('1-month')).to.equal(30 * 86_400_000)
    expect(parseDuration('1-year')).to.equal(365 * 86_400_000)
    expect(parseDuration('250-milliseconds')).to.equal(250)
  })

  it('rejects an unreadable duration with a typed error naming the value', () => {
    for (const bad of ['5-fortnights', 'soon', '-5-minutes', '', -1, Number.NaN]) {
      const attempt = () => parseDuration(bad)
      expect(attempt).to.throw(InvalidDurationError)
      expect(attempt).to.throw(AokitError)
      expect(attempt).to.throw(JSON.stringify(bad))
    }
  })

  it('starts at 2025-01-01 and moves only when told, one block per two minutes', () => {
    const clock = new VirtualClock()
    expect(clock.now).to.equal(CLOCK_START_MS)
    expect(new Date(clock.now).toISOString()).to.equal('2025-01-01T00:00:00.000Z')
    expect(clock.blockHeight).to.equal(START_BLOCK_HEIGHT)
    clock.advance('119-seconds')
    expect(clock.blockHeight).to.equal(START_BLOCK_HEIGHT)
    clock.advance(1000)
    expect(clock.blockHeight).to.equal(START_BLOCK_HEIGHT + 1)
    clock.set(CLOCK_START_MS + 10 * BLOCK_INTERVAL_MS)
    expect(clock.blockHeight).to.equal(START_BLOCK_HEIGHT + 10)
    expect(() => clock.set(CLOCK_START_MS)).to.throw(ClockError)
  })

  it('derives 43-character ids and wallets from the seed, the same on every run', () => {
    const a = new Ids('seed')
    const b = new Ids('seed')
    const first = a.next('message')
    expect(first).to.match(/^[A-Za-z0-9_-]{43}$/)
    expect(b.next('message')).to.equal(first)
    expect(a.next('message')).to.not.equal(first)
    expect(a.wallet('alice')).to.equal(b.wallet('alice')).and.match(/^[A-Za-z0-9_-]{43}$/)
    expect(new Ids('other').wallet('alice')).to.not.equal(a.wallet('alice'))
    expect(a.messenger).to.not.equal(a.wallet('messenger'))
  })
})
