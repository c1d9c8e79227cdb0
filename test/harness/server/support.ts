// A devnet for tests: a fresh data dir, a free loopback port, a wall clock that only moves when a test moves it,
// and a fetch that refuses anything but loopback (aoconnect's defaults name public hosts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnetServer, type DevnetServer, type DevnetServerOptions } from '../../../harness/server/devnetServer.js'

export type TestDevnet = DevnetServer & { dataDir: string; clock: { now: number }; restart(): Promise<TestDevnet> }

/** 2026-01-01T00:00:00Z: far enough from the network's start that block heights look real. */
export const DEVNET_EPOCH = 1767225600000

export async function startTestDevnet(options: Partial<DevnetServerOptions> = {}): Promise<TestDevnet> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'aokit-devnet-'))
  const clock = { now: DEVNET_EPOCH }
  const open = async (): Promise<TestDevnet> => {
    const server = await startDevnetServer({ port: 0, cronCheckMs: 3_600_000, ...options, dataDir, now: () => clock.now })
    return { ...server, dataDir, clock, restart: async () => (await server.close(), open()) }
  }
  return open()
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true })
}

/** fetch for loopback URLs only: a test that would reach a public host fails loudly instead. */
export const loopbackFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`test fetch refused a non-loopback URL: ${url.href}`)
  return fetch(input, init)
}
