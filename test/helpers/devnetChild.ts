// `aokit devnet` as a child process (it runs dist/: `npm run build` first), for tests that SIGKILL it.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process'
import { messageTags } from '../harness/server/rawItem.js'

export type DevnetChild = { process: ChildProcess; url: string; scheduler: string }

/** Every child started, so an afterEach can kill what a failing test left running (see killChildren). */
const children: ChildProcess[] = []

/** `aokit devnet` in a child process on a free port; resolves once it prints its banner. */
export function startChild(dataDir: string): Promise<DevnetChild> {
  const child = spawnChild(process.execPath, ['bin/aokit.js', 'devnet', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk) => (err += chunk))
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      const scheduler = /Scheduler (\S{43})/.exec(out)?.[1]
      if (url && scheduler) resolve({ process: child, url, scheduler })
    })
    child.once('exit', (code) => reject(new Error(`devnet exited early (${code}): ${err}`)))
  })
}

/** SIGKILLs every child still running. */
export function killChildren(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** POST /mu with a raw data item. */
export function post(url: string, raw: Uint8Array): Promise<Response> {
  return fetch(`${url}/mu`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: raw as BodyInit })
}

/** The test contract's `State` answer from a devnet at `url`, by dry-run over HTTP. */
export async function dryRunState(url: string, pid: string): Promise<string> {
  const res = await fetch(`${url}/cu/dry-run?process-id=${pid}`, { method: 'POST', body: JSON.stringify({ Owner: 'reader', Tags: messageTags('State') }) })
  return String((await res.json()).Messages[0].Data)
}
