// `aokit deploy <contract.lua>`: bundles a contract, spawns a process, loads the code by Eval, checks it answers and
// records it in a manifest; unchanged source does nothing, changed source is loaded into the same process.
import { readFileSync } from 'node:fs'
import type { DeployNetwork } from '../../scripts/deploy.js'
import type { Command } from './command.js'
import { UsageError } from './errors.js'

const NETWORKS = ['devnet', 'mainnet', 'legacynet', 'local'] as const
type Network = (typeof NETWORKS)[number]

/** AO's public HyperBEAM push node: mainnet's default. */
const MAINNET_URL = 'https://push.forward.computer'
/** AO's legacy MU and CU: legacynet's defaults. */
const LEGACYNET = { muUrl: 'https://mu.ao-testnet.xyz', cuUrl: 'https://cu.ao-testnet.xyz' }

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'bundle a Lua contract, spawn it, load it and record it in a manifest; unchanged source does nothing',
  args: ['<contract.lua>'],
  usage: [
    'aokit deploy <contract.lua> --network devnet|mainnet|legacynet|local (--eth-key <hex> | --wallet <jwk.json>)',
    '             [--url <url>] [--name <key>] [--tag Name=Value …] [--respawn] [--dry-run] [--manifest <file>]',
  ],
  description: `Bundles the contract with its local requires, spawns a process (or reuses the one the manifest records),
loads the code by Eval, checks that the process answers, and records it in the manifest. Running it again with
unchanged source does nothing; changed source is loaded into the same process. "mainnet" is AO's HyperBEAM API
(the node at --url, which also schedules the process); "legacynet" AO's legacy MU and CU; "devnet" the devnet's
legacy API; "local" a throwaway in-memory network: a check that the contract bundles, loads and answers. The
manifest records the network and the API each process was deployed through.`,
  flags: [
    { name: 'network', value: 'devnet|mainnet|legacynet|local', help: 'where to deploy (required)' },
    { name: 'eth-key', value: '<hex>', help: 'sign with this Ethereum private key (or give --wallet)' },
    { name: 'wallet', value: '<jwk.json>', help: 'sign with this Arweave key file (or give --eth-key)' },
    { name: 'url', value: '<url>', help: `the network's URL: mainnet's HyperBEAM node (default ${MAINNET_URL}), the base of a legacy MU/CU as <url>/mu and <url>/cu (devnet default http://127.0.0.1:4000; legacynet default AO's MU and CU)` },
    { name: 'name', value: '<key>', help: "manifest key and the process's Name tag (default: the file name without .lua)" },
    { name: 'tag', value: 'Name=Value', multiple: true, help: 'an extra tag on the spawn; repeat for several' },
    { name: 'respawn', help: 'spawn a new process even if the manifest records one' },
    { name: 'dry-run', help: 'print the plan; send nothing, write nothing' },
    { name: 'manifest', value: '<file>', help: 'where deployments are recorded (default deployments/<network>.json)' },
  ],
  examples: [
    'aokit deploy contracts/token.lua --network devnet --wallet wallet.json',
    'aokit deploy contracts/token.lua --network mainnet --wallet wallet.json',
    'aokit deploy contracts/token.lua --network local --eth-key 0x… --dry-run',
  ],
  async run(args, io) {
    const network = args.string('network')
    if (!isNetwork(network)) throw new UsageError(`--network must be devnet, mainnet, legacynet or local, got ${network ?? '(none)'}`)
    const ethKey = args.string('eth-key')
    const wallet = args.string('wallet')
    if (!ethKey === !wallet) throw new UsageError('give exactly one of --eth-key <hex> and --wallet <jwk.json>')
    const tags: Record<string, string> = {}
    for (const pair of args.strings('tag')) {
      const at = pair.indexOf('=')
      if (at <= 0) throw new UsageError(`--tag must be Name=Value, got ${pair}`)
      tags[pair.slice(0, at)] = pair.slice(at + 1)
    }
    const jwk = wallet === undefined ? undefined : readWallet(wallet)

    // Loaded here: the SDK and the bundler are not needed by the other commands, nor by --help.
    const { createClient, ethereumSigner, arweaveSigner, legacy, local, mainnet, DEFAULT_SCHEDULER } = await import('../../sdk/index.js')
    const signer = ethKey ? ethereumSigner(ethKey) : arweaveSigner(jwk as Parameters<typeof arweaveSigner>[0])
    const given = args.string('url')?.replace(/\/+$/, '')
    let transport
    let where: DeployNetwork
    // Undefined: the transport's own (a HyperBEAM node schedules what it is sent).
    let scheduler: string | undefined = DEFAULT_SCHEDULER
    if (network === 'local') {
      // A throwaway in-memory network: checks that the contract bundles, loads and answers, then is gone.
      const { AoNetwork } = await import('../network/network.js')
      const net = new AoNetwork()
      transport = local(net)
      scheduler = net.ids.scheduler
      where = { name: network, api: 'local' }
    } else if (network === 'mainnet') {
      const url = given ?? MAINNET_URL
      transport = mainnet({ url })
      scheduler = undefined
      where = { name: network, api: 'hyperbeam', url }
    } else {
      const base = given ?? (network === 'devnet' ? 'http://127.0.0.1:4000' : undefined)
      const urls = base ? { muUrl: `${base}/mu`, cuUrl: `${base}/cu` } : LEGACYNET
      transport = legacy(urls)
      where = { name: network, api: 'legacy', ...urls }
    }
    const { deploy } = await import('../../scripts/deploy.js')
    const result = await deploy({
      file: args.positionals[0]!,
      client: createClient({ transport, signer }),
      scheduler,
      network: where,
      manifestPath: args.string('manifest') ?? `deployments/${network}.json`,
      name: args.string('name'),
      tags,
      respawn: args.has('respawn'),
      dryRun: args.has('dry-run'),
      log: (line) => io.stdout(line + '\n'),
    })
    io.stdout(`${result.action} ${result.process ?? ''}\n`)
    return 0
  },
}

function isNetwork(value: string | undefined): value is Network {
  return (NETWORKS as readonly string[]).includes(value ?? '')
}

/** The key file, read before anything is sent: a wrong path is a mistake on the command line. */
function readWallet(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`--wallet: cannot read ${file} as a JSON key file: ${(error as Error).message}`)
  }
}
