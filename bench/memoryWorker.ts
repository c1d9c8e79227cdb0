// Child side of measurement 2 (see memory.ts): spawns processes one after another on one network, timing each
// spawn (a new VM from the runtime image + its Process message) and then loading a small contract into it by Eval,
// and reads RSS every `step` processes. Stops early past `rssLimit` bytes and says so.
import { createTestNetwork } from '../harness/index.js'
import { median, quantile } from './stats.js'
import { RECEIVER_SOURCE } from './workload.js'
import { progress, workerMain } from './peers/child.js'

export type MemoryInput = { processes: number; warmup: number; step: number; rssLimit: number }
export type MemoryOutput = {
  spawnMs: { median: number; p95: number; samples: number }
  /** RSS after each step: processes alive then, bytes. */
  rss: { processes: number; bytes: number }[]
  baselineBytes: number
  stoppedEarly: boolean
}

function rssAfterGc(): number {
  global.gc?.()
  return process.memoryUsage().rss
}

async function main(input: MemoryInput): Promise<MemoryOutput> {
  const t = createTestNetwork({ seed: 'bench-memory', maxProcesses: 10_000 }) // past the default bound, to measure 1,000+
  // Warm-up processes boot the runtime image and JIT the spawn path; they stay alive and are counted.
  const times: number[] = []
  const baselineBytes = rssAfterGc()
  const rss: MemoryOutput['rss'] = []
  let stoppedEarly = false
  for (let i = 1; i <= input.processes; i++) {
    const start = performance.now()
    const id = await t.spawn({})
    const ms = performance.now() - start
    if (i > input.warmup) times.push(ms)
    await t.eval(id, RECEIVER_SOURCE)
    if (i % input.step === 0) {
      const bytes = rssAfterGc()
      rss.push({ processes: i, bytes })
      progress(`memory: ${i} processes, RSS ${(bytes / 2 ** 20).toFixed(0)} MiB`)
      if (bytes > input.rssLimit && i < input.processes) {
        stoppedEarly = true
        break
      }
    }
  }
  return { spawnMs: { median: median(times), p95: quantile(times, 0.95), samples: times.length }, rss, baselineBytes, stoppedEarly }
}

workerMain(main)
