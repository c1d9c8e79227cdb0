// The bounds that keep one input from exhausting a network's memory or time, and the spawn-tag check a devnet
// runs when it accepts an item (so a bad one is answered 400 and never logged).
import { parseDuration } from './clock.js'
import { InvalidSpawnTagError, NetworkOptionError } from './errors.js'

export type NetworkLimits = {
  /** Deliveries one input (send, submit, assign, or cron tick) may cause; past it the rest are dropped (MessageLoopError). */
  maxMessagesPerSend: number
  /** Spawns one result may ask for; the ones after it are not created (SpawnLimitError). */
  maxSpawnsPerMessage: number
  /** Processes one input may spawn from Lua, all messages together (SpawnLimitError). */
  maxSpawnsPerInput: number
  /** Processes the network may hold; a spawn past it is refused (ProcessLimitError). */
  maxProcesses: number
  /** Shortest Cron-Interval a spawn may ask for, in ms (InvalidSpawnTagError). */
  minCronInterval: number
  /** Cron ticks one advance may run; the boundaries after it are skipped (CronBacklogError). */
  maxCronTicksPerAdvance: number
  /**
   * Deliveries the ticks of one advance may cause, all together (each tick is also bound by maxMessagesPerSend);
   * once reached, no further tick starts and the boundaries left are skipped (CronBacklogError).
   */
  maxCronDeliveriesPerAdvance: number
}

/**
 * The defaults. A delivery costs about 1 ms, so one input runs for seconds at most. A process costs about 2 MB
 * hibernated and as much again in a network image, so one input adds at most ~200 MB and a full network of 1,000
 * processes images in a few GB (a devnet that streams its image per process could allow more).
 */
export const DEFAULT_LIMITS: Readonly<NetworkLimits> = Object.freeze({
  maxMessagesPerSend: 10_000,
  maxSpawnsPerMessage: 100,
  maxSpawnsPerInput: 100,
  maxProcesses: 1_000,
  minCronInterval: 1_000,
  maxCronTicksPerAdvance: 1_000,
  maxCronDeliveriesPerAdvance: 10_000,
})

/** Defaults filled in; every limit must be a positive integer (minCronInterval may be 1). */
export function resolveLimits(options: Partial<NetworkLimits>): NetworkLimits {
  const limits = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof NetworkLimits)[]) {
    const value = options[key]
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || value < 1) throw new NetworkOptionError(`${key} must be a positive integer, got ${String(value)}`)
    limits[key] = value
  }
  return limits
}

type TagLike = { name: string; value: string }

/** The Cron-Interval of spawn tags in ms, or undefined when there is none; throws InvalidSpawnTagError. */
export function cronIntervalOf(tags: readonly TagLike[], minCronInterval: number = DEFAULT_LIMITS.minCronInterval): number | undefined {
  const value = tags.find((tag) => tag.name === 'Cron-Interval')?.value
  if (value === undefined) return undefined
  let interval: number
  try {
    // A tag is text: only "<count>-<unit>" reads, as on AO (parseDuration also takes numbers, which a tag is not).
    interval = parseDuration(String(value))
  } catch {
    throw new InvalidSpawnTagError('Cron-Interval', value, 'a duration "<count>-<unit>", e.g. "5-minutes"')
  }
  if (interval < minCronInterval) throw new InvalidSpawnTagError('Cron-Interval', value, `at least ${minCronInterval} ms`)
  return interval
}

/**
 * Checks a Process item's tags as the network would at spawn, without spawning: Cron-Interval must read as a
 * duration and be at least `minCronInterval` ms (default 1 second).
 *
 * @throws {InvalidSpawnTagError} naming the tag, its value and the rule.
 */
export function validateSpawnTags(tags: readonly TagLike[], options: { minCronInterval?: number } = {}): void {
  cronIntervalOf(tags, options.minCronInterval)
}
