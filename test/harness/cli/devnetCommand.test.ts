// `aokit devnet` in-process: the banner, a clean stop, and a busy port said in words with the flag that fixes it.
import { expect } from 'chai'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, startCliDevnet } from './support.js'
import { useBusyPort } from '../../helpers/busyPort.js'

describe('aokit devnet', function () {
  this.timeout(60_000)
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aokit-cli-devnet-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('prints the banner, answers on 127.0.0.1, and exits 0 when stopped, leaving no lock', async () => {
    const devnet = await startCliDevnet(['--port', '0', '--data-dir', dir])
    expect(devnet.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(existsSync(join(dir, 'devnet.lock'))).to.equal(true)
    const info = await (await fetch(devnet.url)).json()
    expect(info).to.include({ name: 'aokit devnet', processes: 0 })
    const { code, stdout, stderr } = await devnet.stop()
    expect(code).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.match(new RegExp(`^aokit devnet listening on ${devnet.url} {2}\\(data: ${dir}, 0 processes\\)\\n`))
    expect(stdout).to.match(/^ {2}Scheduler \S{43}$/m)
    expect(existsSync(join(dir, 'devnet.lock'))).to.equal(false)
  })

  it('refuses an unknown --engine before opening anything, naming the two engines', async () => {
    const { code, stdout, stderr } = await runCli(['devnet', '--port', '0', '--data-dir', dir, '--engine', 'v8'])
    expect(code).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr.split('\n')[0]).to.equal('aokit devnet: --engine must be wasmoon or aos, got v8 (see aokit devnet --help)')
    expect(existsSync(join(dir, 'devnet.lock'))).to.equal(false)
  })

  describe('on a busy port', () => {
    const busy = useBusyPort()

    it('says the port is in use and how to choose another, exit 1, no stack', async () => {
      const { code, stdout, stderr } = await runCli(['devnet', '--port', String(busy.port), '--data-dir', dir])
      expect(code).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(`aokit devnet: port ${busy.port} on 127.0.0.1 is already in use; choose another with --port <n> (0 picks a free one)\n`)
    })

    it('leaves the data dir unlocked: a devnet on another port opens it at once', async () => {
      await runCli(['devnet', '--port', String(busy.port), '--data-dir', dir])
      expect(existsSync(join(dir, 'devnet.lock'))).to.equal(false)
      const devnet = await startCliDevnet(['--port', '0', '--data-dir', dir])
      expect((await devnet.stop()).code).to.equal(0)
    })
  })
})
