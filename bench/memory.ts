// Measurement 2: spawn time and RSS with many live processes, in a child process so the main run's heap stays clean.
import { fileURLToPath } from 'node:url'
import { runChild } from './peers/child.js'
import type { MemoryInput, MemoryOutput } from './memoryWorker.js'

const worker = fileURLToPath(new URL('./memoryWorker.ts', import.meta.url))

export type MemoryResult = MemoryOutput & {
  /** RSS at `target` processes: measured, or extrapolated linearly from the last two steps when stopped early. */
  rssAtTarget: number
  extrapolated: boolean
}

export async function runMemory(input: MemoryInput): Promise<MemoryResult> {
  const out = await runChild<MemoryOutput>(worker, input, { nodeArgs: ['--expose-gc'], timeoutMs: 120_000 })
  const last = out.rss[out.rss.length - 1]
  if (!out.stoppedEarly && last?.processes === input.processes) return { ...out, rssAtTarget: last.bytes, extrapolated: false }
  const first = out.rss.length > 1 ? out.rss[0] : { processes: 0, bytes: out.baselineBytes }
  const perProcess = (last.bytes - first.bytes) / (last.processes - first.processes)
  return { ...out, rssAtTarget: last.bytes + perProcess * (input.processes - last.processes), extrapolated: true }
}
