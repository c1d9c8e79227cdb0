// Peer: the real aos 2.0.6 module under @permaweb/ao-loader, as a compute unit runs it (aosLoaderWorker.ts, in a
// child process with --experimental-wasm-memory64).
import { fileURLToPath } from 'node:url'
import { runChild } from './child.js'
import type { AosLoaderInput, AosLoaderOutput } from './aosLoaderWorker.js'

const worker = fileURLToPath(new URL('./aosLoaderWorker.ts', import.meta.url))

export type { AosLoaderOutput }

export function runAosLoader(input: AosLoaderInput): Promise<AosLoaderOutput> {
  return runChild<AosLoaderOutput>(worker, input, { nodeArgs: ['--expose-gc'], timeoutMs: 90_000 })
}
