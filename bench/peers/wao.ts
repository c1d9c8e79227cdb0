// Peer: WAO's in-memory AO (the `wao` package), in a child process (waoWorker.ts).
import { fileURLToPath } from 'node:url'
import { runChild } from './child.js'
import type { WaoInput, WaoOutput } from './waoWorker.js'

const worker = fileURLToPath(new URL('./waoWorker.ts', import.meta.url))

export type { WaoOutput }

export function runWao(input: WaoInput): Promise<WaoOutput> {
  return runChild<WaoOutput>(worker, input, { timeoutMs: 150_000 })
}
