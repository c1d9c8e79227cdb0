// `aokit <command>`: the command-line entry. Each command returns its exit code.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { replay, ReplayFormatError } from './replay.js'
import { devnetBanner } from './server/banner.js'
import { startDevnetServer } from './server/devnetServer.js'

const USAGE = `Usage:
  aokit replay <file.json>   evaluate an ao-replay/1 file and print {"results": [...]} as JSON
  aokit devnet [--port 4000] [--host 127.0.0.1] [--data-dir .aokit]
                             serve AO's MU/CU/SU/gateway HTTP API on localhost, durable in the data dir`

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === 'replay') return replayCommand(args)
  if (command === 'devnet') return devnetCommand(args)
  process.stderr.write((command ? `Unknown command: ${command}\n` : '') + USAGE + '\n')
  return 2
}

async function replayCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('aokit replay: expected exactly one file\n' + USAGE + '\n')
    return 2
  }
  let input: unknown
  try {
    input = JSON.parse(readFileSync(args[0], 'utf8'))
  } catch (error) {
    process.stderr.write(`aokit replay: cannot read ${args[0]} as JSON: ${(error as Error).message}\n`)
    return 2
  }
  try {
    const output = await replay(input)
    process.stdout.write(JSON.stringify(output) + '\n')
    return 0
  } catch (error) {
    if (error instanceof ReplayFormatError) {
      process.stderr.write(`aokit replay: ${error.shortMessage}\n`)
      return 2
    }
    throw error
  }
}

async function devnetCommand(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; 'data-dir'?: string }
  try {
    ;({ values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } } }))
  } catch (error) {
    process.stderr.write(`aokit devnet: ${(error as Error).message}\n${USAGE}\n`)
    return 2
  }
  const port = Number(values.port ?? 4000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`aokit devnet: --port must be 0 to 65535, got ${values.port}\n`)
    return 2
  }
  const dataDir = resolve(values['data-dir'] ?? '.aokit')
  const server = await startDevnetServer({ port, host: values.host ?? '127.0.0.1', dataDir })
  process.stdout.write(devnetBanner(server, dataDir))
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await server.close()
  return 0
}
