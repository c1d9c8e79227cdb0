// `npm run demo` is the README's main command: it must exit 0 and end with the balances its story produces.
import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

describe('npm run demo', function () {
  it('deploys to a devnet, runs the staking story and prints the resulting balances (exit 0)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { timeout: 120_000 })
    // 100 reward tokens split 600:400 between the shards; alice claimed her 60.
    expect(stdout).to.match(/alice → stake-token Transfer Quantity=600 Recipient=shard-\d/)
    const rewards = Object.fromEntries([...stdout.split('reward token:')[1]!.matchAll(/^\s+(\S+)\s+(\d+)$/gm)].map((m) => [m[1], m[2]]))
    expect(rewards).to.include({ coordinator: '900', alice: '60' })
    expect([rewards['shard-1'], rewards['shard-2']]).to.include('40')
  })
})
