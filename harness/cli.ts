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
                             serve AO's MU/CU/SU/gateway HTTP API on localhost, durable in the data dir
  aokit deploy <contract.lua> --network devnet|mainnet|local (--eth-key <hex> | --wallet <jwk.json>)
               [--url http://127.0.0.1:4000] [--name key] [--tag Name=Value …] [--respawn] [--dry-run]
               [--manifest deployments/<network>.json]
                             bundle, spawn, load by Eval, verify and record; unchanged source does nothing`

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === 'replay') return replayCommand(args)
  if (command === 'devnet') return devnetCommand(args)
  if (command === 'deploy') return deployCommand(args)
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

async function deployCommand(args: string[]): Promise<number> {
  const fail = (why: string) => (process.stderr.write(`aokit deploy: ${why}\n${USAGE}\n`), 2)
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        network: { type: 'string' },
        url: { type: 'string' },
        'eth-key': { type: 'string' },
        wallet: { type: 'string' },
        respawn: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        manifest: { type: 'string' },
        name: { type: 'string' },
        tag: { type: 'string', multiple: true },
      },
    })
  } catch (error) {
    return fail((error as Error).message)
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1) return fail('expected exactly one contract file')
  const network = values.network
  if (network !== 'devnet' && network !== 'mainnet' && network !== 'local') return fail(`--network must be devnet, mainnet or local, got ${network ?? '(none)'}`)
  if (!values['eth-key'] === !values.wallet) return fail('give exactly one of --eth-key <hex> and --wallet <jwk.json>')
  const tags: Record<string, string> = {}
  for (const pair of values.tag ?? []) {
    const at = pair.indexOf('=')
    if (at <= 0) return fail(`--tag must be Name=Value, got ${pair}`)
    tags[pair.slice(0, at)] = pair.slice(at + 1)
  }
  const { createClient, ethereumSigner, arweaveSigner, legacy, local, DEFAULT_SCHEDULER } = await import('../sdk/index.js')
  const signer = values['eth-key'] ? ethereumSigner(values['eth-key']) : arweaveSigner(JSON.parse(readFileSync(values.wallet!, 'utf8')))
  let transport
  let scheduler = DEFAULT_SCHEDULER
  if (network === 'local') {
    // A throwaway in-memory network: checks that the contract bundles, loads and answers, then is gone.
    const { AoNetwork } = await import('./network/network.js')
    const net = new AoNetwork()
    transport = local(net)
    scheduler = net.ids.scheduler
  } else {
    const url = (values.url ?? (network === 'devnet' ? 'http://127.0.0.1:4000' : '')).replace(/\/+$/, '')
    transport =
      network === 'devnet'
        ? legacy({ muUrl: `${url}/mu`, cuUrl: `${url}/cu` })
        : legacy({ muUrl: values.url ? `${url}/mu` : 'https://mu.ao-testnet.xyz', cuUrl: values.url ? `${url}/cu` : 'https://cu.ao-testnet.xyz' })
  }
  const { deploy } = await import('../scripts/deploy.js')
  try {
    const result = await deploy({
      file: positionals[0]!,
      client: createClient({ transport, signer }),
      scheduler,
      manifestPath: values.manifest ?? `deployments/${network}.json`,
      name: values.name,
      tags,
      respawn: values.respawn,
      dryRun: values['dry-run'],
      log: (line) => process.stdout.write(line + '\n'),
    })
    process.stdout.write(`${result.action} ${result.process ?? ''}\n`)
    return 0
  } catch (error) {
    process.stderr.write(`aokit deploy: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
