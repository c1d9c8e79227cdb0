// `npm run demo`: the whole toolkit in one story. Starts a devnet on a free port, deploys two tokens and the
// sharded staking app with `deploy` over HTTP (the SDK's legacy transport, Ethereum keys), then two wallets stake,
// an hour passes (the coordinator's cron pays rewards through the shards), and alice claims. Prints the message
// trees and the balances, and exits 0.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Wallet } from 'ethers'
import { startDevnetServer } from '../harness/server/devnetServer.js'
import { formatTrace } from '../harness/testing/trace.js'
import { createClient, dryrun, ethereumSigner, legacy, monitor, sendAndWait, token, type Client } from '../sdk/index.js'
import { deploy } from './deploy.js'

const HOUR = 3_600_000
const CONTRACTS = join(import.meta.dirname, '..', 'contracts')

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aokit-demo-'))
  // The devnet's clock is ours: an hour passes when the story says so, not in real time.
  let now = Date.UTC(2026, 0, 1)
  const server = await startDevnetServer({ port: 0, dataDir, now: () => now })
  const step = (text: string) => console.log(`\n▸ ${text}`)
  try {
    console.log(`devnet on ${server.url} (data in ${dataDir})`)
    const transport = legacy({ muUrl: server.muUrl, cuUrl: server.cuUrl })
    // Fixed demo keys: the same addresses every run.
    const wallet = (n: number) => new Wallet('0x' + String(n).repeat(64).slice(0, 64))
    const deployer = createClient({ transport, signer: ethereumSigner(wallet(1)) })
    const alice = createClient({ transport, signer: ethereumSigner(wallet(2)) })
    const bob = createClient({ transport, signer: ethereumSigner(wallet(3)) })
    const names: Record<string, string> = { [deployer.signer!.address]: 'deployer', [alice.signer!.address]: 'alice', [bob.signer!.address]: 'bob' }

    step('deploy: two tokens, a coordinator and two shards (bundle → spawn → Eval → verify → record)')
    const manifestPath = join(dataDir, 'deployments/devnet.json')
    const put = async (name: string, file: string, tags: Record<string, string> = {}) => {
      const { process } = await deploy({ file: join(CONTRACTS, file), client: deployer, scheduler: server.scheduler, manifestPath, name, tags, log: (line) => console.log(`  ${line}`) })
      names[process!] = name
      return process!
    }
    const stk = await put('stake-token', 'token.lua')
    const rwd = await put('reward-token', 'token.lua')
    const coordinator = await put('coordinator', 'staking/staking.lua', { 'Cron-Interval': '1-hour', 'Cron-Tag-Action': 'Distribute' })
    const shards = [await put('shard-1', 'staking/shard.lua', { Coordinator: coordinator }), await put('shard-2', 'staking/shard.lua', { Coordinator: coordinator })]

    step('configure the app and fund it: 1,000 reward tokens to the coordinator, 600 and 400 stake tokens to alice and bob')
    await write(deployer, coordinator, { Action: 'Configure', 'Stake-Token': stk, 'Reward-Token': rwd, 'Reward-Per-Epoch': '100', Shards: shards.join(',') })
    await token(deployer, rwd).mint({ quantity: 1000n })
    await token(deployer, rwd).transfer({ recipient: coordinator, quantity: 1000n })
    await token(deployer, stk).mint({ quantity: 1000n })
    await token(deployer, stk).transfer({ recipient: alice.signer!.address, quantity: 600n })
    await token(deployer, stk).transfer({ recipient: bob.signer!.address, quantity: 400n })

    step('alice and bob stake: a Transfer to their shard, which counts it on the Credit-Notice')
    for (const [client, amount] of [[alice, 600n], [bob, 400n]] as const) {
      const shard = tagOf((await dryrun(client, { process: coordinator, tags: { Action: 'Shard-Of' } })).Messages?.[0], 'Shard')!
      const id = await token(client, stk).transfer({ recipient: shard, quantity: amount })
      console.log(indent(formatTrace(server.devnet.tree(id)!, { names })))
    }

    step('an hour passes: the coordinator\'s cron snapshots the shards and pays 100 reward tokens pro rata')
    await monitor(deployer, { process: coordinator })
    now += HOUR + 1000
    await server.devnet.tick()

    step('alice claims her reward from her shard')
    const aliceShard = tagOf((await dryrun(alice, { process: coordinator, tags: { Action: 'Shard-Of' } })).Messages?.[0], 'Shard')!
    const claim = await write(alice, aliceShard, { Action: 'Claim' })
    console.log(indent(formatTrace(server.devnet.tree(claim)!, { names })))

    step('balances')
    for (const [label, process] of [['stake token', stk], ['reward token', rwd]] as const) {
      const balances = await token(deployer, process).balances()
      console.log(`  ${label}:`)
      for (const [account, amount] of Object.entries(balances)) console.log(`    ${(names[account] ?? account).padEnd(14)} ${amount}`)
    }
  } finally {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Sends and waits for the result; throws if the handler failed. */
async function write(client: Client, process: string, tags: Record<string, string>): Promise<string> {
  const { id, result } = await sendAndWait(client, { process, tags })
  if (result.Error !== undefined) throw new Error(`${tags.Action} failed: ${String(result.Error)}`)
  return id
}

function tagOf(message: { Tags?: { name: string; value: unknown }[] } | undefined, name: string): string | undefined {
  const value = message?.Tags?.find((tag) => tag.name === name)?.value
  return value === undefined ? undefined : String(value)
}

const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n')

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
