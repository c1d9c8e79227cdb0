// Puts contracts/token.lua on a devnet for the dApp: spawns an aos process, loads the token by Eval (as owner),
// and gives an account some tokens (the owner mints them to itself, then transfers them).
// Usage: npx tsx examples/dapp/deploy.ts --fund 0xYourWalletAddress [--devnet http://127.0.0.1:4000] [--amount 1000]
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getAddress, isAddress, parseUnits, Wallet } from 'ethers'
import { AOS_MODULE } from '../../sdk/constants.js'
import { ProcessError, createClient, ethereumSigner, legacy, sendAndWait, spawn, token, type Client } from '../../sdk/index.js'

const TOKEN_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../../contracts/token.lua')

/** Spawns a process on the devnet's scheduler and loads the token into it; returns the process id. */
export async function deployToken(client: Client, params: { scheduler: string; name?: string }): Promise<string> {
  const process = await spawn(client, { module: AOS_MODULE, scheduler: params.scheduler, tags: { Name: params.name ?? 'Points Coin' } })
  const { id, result } = await sendAndWait(client, { process, tags: { Action: 'Eval' }, data: readFileSync(TOKEN_SOURCE, 'utf8') })
  if (result.Error !== undefined) throw new ProcessError(process, id, result.Error)
  return process
}

/** Gives `account` `quantity` (smallest unit) new tokens: only the token's owner may do this. */
export async function fund(client: Client, process: string, account: string, quantity: bigint): Promise<void> {
  const t = token(client, process)
  await t.mint({ quantity })
  await t.transfer({ recipient: account, quantity })
}

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const devnet = (option('--devnet') ?? 'http://127.0.0.1:4000').replace(/\/+$/, '')
  const given = option('--fund')
  if (!given) throw new Error('Pass --fund <address>: the wallet address the page will connect.')
  // Ethereum senders appear in AO under their EIP-55 (checksummed) spelling.
  const account = isAddress(given) ? getAddress(given) : given
  const { scheduler } = (await (await fetch(devnet)).json()) as { scheduler: string }
  const client = createClient({ transport: legacy({ muUrl: `${devnet}/mu`, cuUrl: `${devnet}/cu` }), signer: ethereumSigner(Wallet.createRandom()) })
  const process = await deployToken(client, { scheduler })
  const { denomination = 0 } = await token(client, process).info()
  await fund(client, process, account, parseUnits(option('--amount') ?? '1000', denomination))
  console.log(`Token ${process}; ${account} holds ${option('--amount') ?? '1000'}.`)
  console.log(`Open the page with ?devnet=${encodeURIComponent(devnet)}&token=${process}`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
