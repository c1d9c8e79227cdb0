// `deploy` against the devnet: a fresh deploy, a re-run with the same source, changed source, a failing Eval.
import { expect } from 'chai'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dryrun } from '../../sdk/actions/dryrun.js'
import { ProcessError } from '../../sdk/actions/errors.js'
import { createClient } from '../../sdk/client.js'
import { ethereumSigner } from '../../sdk/signers/ethereumSigner.js'
import { legacy } from '../../sdk/transports/legacy.js'
import { ContractLoadError, deploy } from '../../scripts/deploy.js'
import { main } from '../../harness/cli.js'
import { ETH_PRIVATE_KEY } from '../sdk/helpers/keys.js'
import { loopbackFetch, removeDataDir, startTestDevnet, type TestDevnet } from '../harness/server/support.js'

describe('scripts/deploy against the devnet', function () {
  let devnet: TestDevnet
  let dir: string
  const at = new Date('2026-01-02T03:04:05Z')

  const version = (n: number) => `local greeting = require('lib.greeting')\nHandlers.add('hello', 'Hello', function(msg) msg.reply({ Data = greeting.text .. ' v${n}' }) end)\n`

  before(async () => {
    devnet = await startTestDevnet()
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })
  // A fresh project (hello.lua v1 and lib/greeting.lua) and manifest for every test: none depends on another's deploy.
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aokit-deploy-'))
    writeFileSync(join(dir, 'hello.lua'), version(1))
    mkdirSync(join(dir, 'lib'))
    writeFileSync(join(dir, 'lib', 'greeting.lua'), "return { text = 'hi' }\n")
  })
  afterEach(() => removeDataDir(dir))

  const client = () => createClient({ transport: legacy({ muUrl: devnet.muUrl, cuUrl: devnet.cuUrl, fetch: loopbackFetch }), signer: ethereumSigner(ETH_PRIVATE_KEY) })
  const run = (extra: { respawn?: boolean; dryRun?: boolean } = {}) => {
    const lines: string[] = []
    return deploy({ file: join(dir, 'hello.lua'), client: client(), scheduler: devnet.scheduler, manifestPath: join(dir, 'deployments/devnet.json'), now: () => at, log: (line) => lines.push(line), ...extra }).then((r) => ({ ...r, lines }))
  }
  const hello = async (process: string) => (await dryrun(client(), { process, tags: { Action: 'Hello' } })).Messages?.[0]?.Data
  const manifest = () => JSON.parse(readFileSync(join(dir, 'deployments/devnet.json'), 'utf8'))

  it('a fresh deploy bundles the requires, spawns, loads, verifies and records the process', async () => {
    const first = await run()
    expect(first.action).to.equal('spawned')
    expect(await hello(first.process!)).to.equal('hi v1')
    expect(manifest().hello).to.include({ process: first.process, sourceHash: first.sourceHash, deployedAt: at.toISOString() })
    expect(first.lines.map((line) => line.split(' ')[0])).to.deep.equal(['bundle', 'spawn', 'eval', 'verify', 'record'])
  })

  it('the same source again does nothing', async () => {
    const first = await run()
    const before = devnet.devnet.logLength
    const again = await run()
    expect(again).to.include({ action: 'unchanged', process: first.process, sourceHash: first.sourceHash })
    expect(devnet.devnet.logLength).to.equal(before)
  })

  it('--dry-run prints the plan and sends nothing', async () => {
    await run()
    writeFileSync(join(dir, 'hello.lua'), version(2))
    const before = devnet.devnet.logLength
    const planned = await run({ dryRun: true })
    expect(planned.action).to.equal('planned')
    expect(planned.lines.at(-1)).to.match(/would load the new source into/)
    expect(devnet.devnet.logLength).to.equal(before)
  })

  it('changed source is loaded into the same process by Eval; --respawn makes a new one', async () => {
    const process = (await run()).process!
    writeFileSync(join(dir, 'hello.lua'), version(2))
    const updated = await run()
    expect(updated).to.include({ action: 'updated', process })
    expect(await hello(process)).to.equal('hi v2')
    const respawned = await run({ respawn: true })
    expect(respawned.action).to.equal('spawned')
    expect(respawned.process).to.not.equal(process)
    expect(manifest().hello.process).to.equal(respawned.process)
  })

  it('a failing Eval throws ProcessError and leaves the manifest as it was', async () => {
    await run()
    const recorded = manifest()
    writeFileSync(join(dir, 'hello.lua'), "error('broken on purpose')\n")
    const error = await run().catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ProcessError)
    expect(String((error as ProcessError).message)).to.contain('broken on purpose')
    expect(manifest()).to.deep.equal(recorded)
  })

  const deployFile = (file: string) =>
    deploy({ file: join(dir, file), client: client(), scheduler: devnet.scheduler, manifestPath: join(dir, 'deployments/devnet.json'), now: () => at })

  it('a broken line reports the contract file and line, not the Eval chunk', async () => {
    writeFileSync(join(dir, 'broken.lua'), "Counter = 0\nName = 'broken'\nCounter = = 1\n")
    const error = await deployFile('broken.lua').then(() => undefined, (e: unknown) => e)
    expect(error).to.be.instanceOf(ContractLoadError).and.instanceOf(ProcessError)
    expect((error as ContractLoadError).location).to.equal(`${join(dir, 'broken.lua')}:3`)
    expect((error as ContractLoadError).shortMessage).to.match(new RegExp(`^Loading .*broken\\.lua failed at .*broken\\.lua:3 \\(process `))
    // The process's own text is kept as aos gave it: line 5 of the bundle, which starts with two blank lines.
    expect((error as ContractLoadError).details).to.equal(`[string "aos"]:5: unexpected symbol near '='`)
  })

  it('an error raised in a required module reports that module file and line', async () => {
    writeFileSync(join(dir, 'lib', 'checks.lua'), "local checks = {}\nfunction checks.positive(n)\n  assert(n > 0, 'must be positive')\nend\nreturn checks\n")
    writeFileSync(join(dir, 'uses.lua'), "local checks = require('lib.checks')\nchecks.positive(-1)\n")
    const error = (await deployFile('uses.lua').then(() => undefined, (e: unknown) => e)) as ContractLoadError
    expect(error.location).to.equal(`${join(dir, 'lib', 'checks.lua')}:3`)
  })

  describe('aokit deploy (CLI)', () => {
    const quiet = async (argv: string[]) => {
      const write = process.stdout.write
      const errors: string[] = []
      const errWrite = process.stderr.write
      process.stdout.write = (() => true) as never
      process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as never
      try {
        return { code: await main(argv), stderr: errors.join('') }
      } finally {
        process.stdout.write = write
        process.stderr.write = errWrite
      }
    }

    it('deploys to the devnet and records the manifest where told', async () => {
      writeFileSync(join(dir, 'hello.lua'), version(3))
      const manifestPath = join(dir, 'cli/devnet.json')
      const { code } = await quiet(['deploy', join(dir, 'hello.lua'), '--network', 'devnet', '--url', devnet.url, '--eth-key', ETH_PRIVATE_KEY, '--manifest', manifestPath])
      expect(code).to.equal(0)
      const record = JSON.parse(readFileSync(manifestPath, 'utf8')).hello
      expect(await hello(record.process)).to.equal('hi v3')
    })

    it('takes a manifest name and spawn tags, as a shard of a multi-process app needs', async () => {
      const manifestPath = join(dir, 'cli/shards.json')
      const args = (n: number) => ['deploy', join(dir, 'hello.lua'), '--network', 'devnet', '--url', devnet.url, '--eth-key', ETH_PRIVATE_KEY, '--manifest', manifestPath, '--name', `hello-${n}`, '--tag', `Shard-Index=${n}`]
      expect((await quiet(args(1))).code).to.equal(0)
      expect((await quiet(args(2))).code).to.equal(0)
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
      expect(Object.keys(manifest)).to.deep.equal(['hello-1', 'hello-2'])
      const tags = devnet.devnet.network.process(manifest['hello-2'].process).env.Process.Tags
      expect(tags).to.deep.include({ name: 'Shard-Index', value: '2' })
      expect(tags).to.deep.include({ name: 'Name', value: 'hello-2' })
    })

    it('--network mainnet deploys through the HyperBEAM API, idempotently, and records the network and API', async () => {
      writeFileSync(join(dir, 'hello.lua'), version(4))
      const manifestPath = join(dir, 'cli/mainnet.json')
      const args = ['deploy', join(dir, 'hello.lua'), '--network', 'mainnet', '--url', devnet.url, '--eth-key', ETH_PRIVATE_KEY, '--manifest', manifestPath]
      const read = () => JSON.parse(readFileSync(manifestPath, 'utf8')).hello
      expect((await quiet(args)).code).to.equal(0)
      const first = read()
      expect(first.network).to.deep.equal({ name: 'mainnet', api: 'hyperbeam', url: devnet.url })
      expect(await hello(first.process)).to.equal('hi v4')
      // Spawned as HyperBEAM spawns: the node schedules it, with the process@1.0 devices.
      const tags = devnet.devnet.network.process(first.process).env.Process.Tags
      expect(tags).to.deep.include({ name: 'device', value: 'process@1.0' })
      expect(tags).to.deep.include({ name: 'Scheduler', value: devnet.scheduler })

      const before = devnet.devnet.logLength
      expect((await quiet(args)).code).to.equal(0)
      expect(devnet.devnet.logLength).to.equal(before)
      expect(read()).to.deep.equal(first)

      writeFileSync(join(dir, 'hello.lua'), version(5))
      expect((await quiet(args)).code).to.equal(0)
      expect(read()).to.include({ process: first.process, deployedAt: first.deployedAt })
      expect(read().sourceHash).to.not.equal(first.sourceHash)
      expect(await hello(first.process)).to.equal('hi v5')
    })

    it('--network devnet records the legacy API; a record from another network is refused unless --respawn', async () => {
      const manifestPath = join(dir, 'cli/devnet.json')
      expect((await quiet(['deploy', join(dir, 'hello.lua'), '--network', 'devnet', '--url', devnet.url, '--eth-key', ETH_PRIVATE_KEY, '--manifest', manifestPath])).code).to.equal(0)
      expect(JSON.parse(readFileSync(manifestPath, 'utf8')).hello.network).to.deep.equal({
        name: 'devnet',
        api: 'legacy',
        muUrl: devnet.muUrl,
        cuUrl: devnet.cuUrl,
      })
      const args = ['deploy', join(dir, 'hello.lua'), '--network', 'mainnet', '--url', devnet.url, '--eth-key', ETH_PRIVATE_KEY, '--manifest', manifestPath]
      const refused = await quiet(args)
      expect(refused.code).to.not.equal(0)
      expect(refused.stderr).to.match(/hello is recorded on devnet, not mainnet/)
      expect((await quiet([...args, '--respawn'])).code).to.equal(0)
      expect(JSON.parse(readFileSync(manifestPath, 'utf8')).hello.network).to.include({ name: 'mainnet', api: 'hyperbeam' })
    })

    it('a contract that does not load exits 1 naming its file and line', async () => {
      writeFileSync(join(dir, 'broken.lua'), "Counter = 0\nName = 'broken'\nCounter = = 1\n")
      const { code, stderr } = await quiet(['deploy', join(dir, 'broken.lua'), '--network', 'local', '--eth-key', ETH_PRIVATE_KEY, '--manifest', join(dir, 'cli/local.json')])
      expect(code).to.equal(1)
      expect(stderr).to.contain(`failed at ${join(dir, 'broken.lua')}:3 (process `)
      expect(stderr).to.contain(`[string "aos"]:5: unexpected symbol near '='`)
    })

    it('exits 2 naming the bad argument', async () => {
      const noNetwork = await quiet(['deploy', join(dir, 'hello.lua'), '--eth-key', ETH_PRIVATE_KEY])
      expect(noNetwork.code).to.equal(2)
      expect(noNetwork.stderr).to.match(/--network must be devnet, mainnet, legacynet or local/)
      const noKey = await quiet(['deploy', join(dir, 'hello.lua'), '--network', 'devnet'])
      expect(noKey.stderr).to.match(/exactly one of --eth-key/)
    })
  })
})
