// Crons: the schedule a Process message's Cron tags ask for, which process ticks next, skipping a backlog, and
// the message a tick evaluates.
import type { AoMessage } from '../vm/processVm.js'
import type { VirtualClock } from './clock.js'
import { cronIntervalOf } from './limits.js'
import type { Tag } from './messenger.js'
import type { CronSchedule, NetworkProcess } from './networkTypes.js'

/**
 * Cron-Interval and Cron-Tag-<Name> tags → a schedule whose first tick is one interval after `now`. Callers
 * check the tags first (refuseSpawn), so the throw here is only a guard.
 */
export function cronSchedule(tags: Tag[], minCronInterval: number, now: number): CronSchedule | undefined {
  const interval = cronIntervalOf(tags, minCronInterval)
  if (interval === undefined) return undefined
  const cronTags = tags.filter((tag) => tag.name.startsWith('Cron-Tag-')).map((tag) => ({ name: tag.name.slice('Cron-Tag-'.length), value: tag.value }))
  return { interval, next: now + interval, tags: cronTags }
}

/** The process whose cron ticks first by `target` (same instant: the first in spawn order), if any. */
export function dueProcess(processes: Iterable<NetworkProcess>, target: number): NetworkProcess | undefined {
  let due: NetworkProcess | undefined
  for (const process of processes) {
    if (process.cron && process.cron.next <= target && (!due || process.cron.next < due.cron!.next)) due = process
  }
  return due
}

/** Moves every cron due by `target` to its first boundary after it; returns how many ticks that skipped. */
export function skipTicks(processes: Iterable<NetworkProcess>, target: number): number {
  let skipped = 0
  for (const process of processes) {
    const cron = process.cron
    if (!cron || cron.next > target) continue
    const count = Math.floor((target - cron.next) / cron.interval) + 1
    cron.next += count * cron.interval
    skipped += count
  }
  return skipped
}

/** The message a cron tick evaluates at `process` now. */
export function cronMessage(process: NetworkProcess, cron: CronSchedule, clock: VirtualClock): AoMessage {
  // A cron message carries only these fields (spec §0); it is not scheduled, so it has no Nonce or Id.
  return {
    Owner: process.owner,
    Target: process.id,
    From: process.owner,
    Tags: cron.tags,
    Timestamp: clock.now,
    'Block-Height': clock.blockHeight,
    Cron: true,
  } as unknown as AoMessage
}
