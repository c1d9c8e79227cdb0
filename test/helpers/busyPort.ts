import { createServer } from 'node:net'

export type BusyPort = { port: number; close(): Promise<void> }

/** A port on 127.0.0.1 that something else is already listening on. */
export async function occupyPort(): Promise<BusyPort> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * For a describe block: a fresh busy port before each test, freed after it. Read `busy.port` inside the tests.
 */
export function useBusyPort(): { readonly port: number } {
  let busy: BusyPort | undefined
  beforeEach(async () => {
    busy = await occupyPort()
  })
  afterEach(async () => {
    await busy?.close()
    busy = undefined
  })
  return {
    get port() {
      if (!busy) throw new Error('useBusyPort: the port exists only inside a test')
      return busy.port
    },
  }
}
