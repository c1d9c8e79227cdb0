// `aokit devnet`: serves AO's MU, CU, SU and gateway HTTP API on this machine until Ctrl-C, durable in a data dir.
import { resolve } from 'node:path'
import type { CliIo } from './cliIo.js'
import type { Command } from './command.js'
import { CommandError, UsageError } from './errors.js'

const DEFAULT_PORT = 4000
const DEFAULT_HOST = '127.0.0.1'
const DEFAULT_DATA_DIR = '.aokit'

export const devnetCommand: Command = {
  name: 'devnet',
  summary: "serve AO's MU, CU, SU and gateway HTTP API on this machine, durable in a data dir",
  args: [],
  usage: ['aokit devnet [--port <n>] [--host <address>] [--data-dir <dir>]'],
  description: `Runs a local AO until Ctrl-C: stock aoconnect in legacy mode and aokit's SDK both talk to it. Every
message it acknowledges is stored in the data dir first, so a restart (even after a crash) keeps every process
and result. One devnet per data dir: a second one on the same dir is refused while the first runs.`,
  flags: [
    { name: 'port', value: '<n>', help: `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
    { name: 'host', value: '<address>', help: `address to listen on (default ${DEFAULT_HOST}: this machine only)` },
    { name: 'data-dir', value: '<dir>', help: `where the devnet keeps its store (default ${DEFAULT_DATA_DIR}); created if missing` },
  ],
  examples: ['aokit devnet', 'aokit devnet --port 0 --data-dir /tmp/devnet'],
  async run(args, io) {
    const port = parsePort(args.string('port'))
    const host = args.string('host') ?? DEFAULT_HOST
    if (host === '') throw new UsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0')
    const dataDir = resolve(args.string('data-dir') ?? DEFAULT_DATA_DIR)
    // Loaded here: SQLite and the Lua runtime are not needed by the other commands, nor by --help.
    const { startDevnetServer } = await import('../server/devnetServer.js')
    const { devnetBanner } = await import('../server/banner.js')
    let server
    try {
      server = await startDevnetServer({ port, host, dataDir })
    } catch (error) {
      throw await explain(error)
    }
    io.stdout(devnetBanner(server, dataDir))
    await stopRequested(io)
    await server.close()
    return 0
  },
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0 to 65535, got ${text}`)
  return port
}

/** The devnet's start-up failures a user can fix, said with the flag that fixes them. */
async function explain(error: unknown): Promise<unknown> {
  // From the same lazy import as the server's, so `instanceof` compares one copy of the classes (see reportError.ts).
  const { DataDirLockedError, PortInUseError } = await import('../server/errors.js')
  if (error instanceof PortInUseError) {
    return new CommandError(`port ${error.port} on ${error.host} is already in use; choose another with --port <n> (0 picks a free one)`, { cause: error })
  }
  if (error instanceof DataDirLockedError) {
    return new CommandError(`data dir ${error.dataDir} is in use by another devnet (pid ${error.pid}); stop it, or choose another dir with --data-dir <dir>`, {
      cause: error,
      details: `If no devnet runs there, delete ${error.lockFile}.`,
    })
  }
  return error
}

/** Resolves on the caller's abort signal, or else on SIGINT/SIGTERM; a second Ctrl-C while closing kills at once. */
function stopRequested(io: CliIo): Promise<void> {
  const { signal } = io
  if (signal) {
    return new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })))
  }
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      done()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
