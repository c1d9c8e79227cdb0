// The network's virtual clock. Nothing reads the wall clock: time moves only when a test calls advance/set.
import { AokitError } from '../../sdk/errors.js'

/** 2025-01-01T00:00:00Z, where every network's clock starts. */
export const CLOCK_START_MS = 1_735_689_600_000
/** The block height at CLOCK_START_MS (about Arweave's real height then). */
export const START_BLOCK_HEIGHT = 1_578_000
/** Arweave aims at one block every two minutes; the virtual chain makes exactly one per 120 s. */
export const BLOCK_INTERVAL_MS = 120_000

/** A duration (or cron interval) the clock cannot read, or a move backwards in time. */
export class InvalidDurationError extends AokitError {
  override name = 'InvalidDurationError'
  constructor(readonly value: unknown) {
    super(`Invalid duration: ${JSON.stringify(value)}`, {
      details: 'expected milliseconds (a non-negative number) or "<count>-<unit>", unit one of milliseconds, seconds, minutes, hours, days, weeks, months, years (singular or plural), e.g. "5-minutes"',
    })
  }
}

export class ClockError extends AokitError {
  override name = 'ClockError'
}

const SECOND = 1000
const DAY = 86_400 * SECOND
// AO's cron interval units. Months and years have fixed lengths (30 and 365 days), as the compute unit counts them.
const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: SECOND,
  minute: 60 * SECOND,
  hour: 3600 * SECOND,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY,
}

/** Milliseconds in a duration: a number of ms, or `'<count>-<unit>'` (`'5-minutes'`, `'1-hour'`, `'2-days'`). */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value
    throw new InvalidDurationError(value)
  }
  const match = typeof value === 'string' ? /^\s*(\d+)\s*-\s*([a-z]+?)s?\s*$/i.exec(value) : null
  const unit = match && UNIT_MS[match[2].toLowerCase()]
  if (!match || unit === undefined || unit === null) throw new InvalidDurationError(value)
  return Number(match[1]) * unit
}

export class VirtualClock {
  private ms = CLOCK_START_MS

  /** Current virtual time, in milliseconds since the epoch. */
  get now(): number {
    return this.ms
  }

  /** START_BLOCK_HEIGHT at the start instant, one more every BLOCK_INTERVAL_MS after it. */
  get blockHeight(): number {
    return START_BLOCK_HEIGHT + Math.floor((this.ms - CLOCK_START_MS) / BLOCK_INTERVAL_MS)
  }

  /** Moves time forward by a duration; returns the new time. */
  advance(duration: string | number): number {
    return this.set(this.ms + parseDuration(duration))
  }

  /** Puts the clock back to an instant it showed before: only a network revert may go back in time. */
  revert(ms: number): void {
    this.ms = ms
  }

  /** Moves time to an instant. Never backwards: schedulers hand out non-decreasing timestamps. */
  set(ms: number): number {
    if (!Number.isFinite(ms) || ms < this.ms) {
      throw new ClockError(`The clock cannot go back to ${ms}`, { details: `the clock is at ${this.ms} and only moves forward` })
    }
    this.ms = ms
    return this.ms
  }
}
