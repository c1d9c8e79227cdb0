// Runs a bench worker in a child Node process: input as JSON on stdin, result as JSON on fd 3, progress on
// stderr (passed through). A child because the aos module needs --experimental-wasm-memory64 on Node 20,
// ao-loader rewrites Date.now / Math.random / console.log, and memory measured there leaves the main run clean.
import { spawn } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export class ChildError extends Error {
  override name = 'ChildError'
}

/** Runs `workerFile` (a .ts file) with `input`; rejects with the child's stderr/stdout tail on failure or timeout. */
export function runChild<T>(workerFile: string, input: unknown, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const args = ['--experimental-wasm-memory64', '--no-warnings', ...(options.nodeArgs ?? []), '--import', 'tsx', workerFile]
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] })
    const result: Buffer[] = []
    const log: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 120_000)
    child.stdio[3]!.on('data', (chunk: Buffer) => result.push(chunk))
    child.stdout!.on('data', (chunk: Buffer) => log.push(chunk))
    child.stderr!.on('data', (chunk: Buffer) => {
      log.push(chunk)
      process.stderr.write(chunk)
    })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const tail = Buffer.concat(log).toString().trim().split('\n').slice(-8).join('\n')
      if (timedOut) return reject(new ChildError(`timed out after ${options.timeoutMs ?? 120_000} ms\n${tail}`))
      if (code !== 0) return reject(new ChildError(`exited with ${code}\n${tail}`))
      try {
        resolve(JSON.parse(Buffer.concat(result).toString('utf8')) as T)
      } catch (err) {
        reject(new ChildError(`gave no result (${err})\n${tail}`))
      }
    })
    child.stdin!.end(JSON.stringify(input))
  })
}

/** Worker side: reads the input, runs `main`, writes its result to fd 3 and exits (0, or 1 with the error). */
export function workerMain<I, O>(main: (input: I) => Promise<O>): void {
  const input = JSON.parse(readFileSync(0, 'utf8')) as I
  main(input)
    .then(
      (output) =>
        new Promise<void>((resolve, reject) => {
          const out = createWriteStream('', { fd: 3 })
          out.on('error', reject)
          out.end(JSON.stringify(output), () => resolve())
        }),
    )
    .then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : err}\n`)
        process.exit(1)
      },
    )
}

/** A progress line on stderr. */
export function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`)
}
