// One devnet per data dir: the CLI and the library refuse a dir a running devnet holds, and take over a lock its
// dead owner left behind (a SIGKILL, a crash), so a killed devnet restarts without anyone deleting files.
import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Devnet } from '../../../harness/server/devnet.js'
import { startDevnetServer } from '../../../harness/server/devnetServer.js'
import { DataDirLockedError, PortInUseError } from '../../../harness/server/errors.js'
import { runCli, startCliDevnet } from './support.js'
import { rejection } from '../../helpers/rejection.js'
import { useBusyPort } from '../../helpers/busyPort.js'

/** The pid of a process that has exited: what a lock holds after its devnet was killed. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid!
}


describe('devnet data dir lock', function () {
  this.timeout(60_000)
  let dir: string
  let lock: string
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'aokit-cli-lock-')))
    lock = join(dir, 'devnet.lock')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('aokit devnet refuses a data dir a running devnet holds, naming the dir and its pid, exit 1', async () => {
    const first = await startCliDevnet(['--port', '0', '--data-dir', dir])
    try {
      expect(readFileSync(lock, 'utf8')).to.equal(`${process.pid}\n`)
      const { code, stdout, stderr } = await runCli(['devnet', '--port', '0', '--data-dir', dir])
      expect(code).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(
        `aokit devnet: data dir ${dir} is in use by another devnet (pid ${process.pid}); stop it, or choose another dir with --data-dir <dir>\n` +
          `  If no devnet runs there, delete ${lock}.\n`,
      )
    } finally {
      await first.stop()
    }
    const second = await startCliDevnet(['--port', '0', '--data-dir', dir])
    expect((await second.stop()).code).to.equal(0)
  })

  it('a lock whose process is gone is taken over', async () => {
    const pid = deadPid()
    writeFileSync(lock, `${pid}\n`)
    const devnet = await startCliDevnet(['--port', '0', '--data-dir', dir])
    expect(readFileSync(lock, 'utf8')).to.equal(`${process.pid}\n`)
    expect((await devnet.stop()).code).to.equal(0)
  })

  it("a lock naming this process's pid with no devnet open here is taken over (pids repeat across restarts)", async () => {
    writeFileSync(lock, `${process.pid}\n`)
    const devnet = await Devnet.open({ dataDir: dir })
    await devnet.close()
  })

  it('a lock that holds no pid (a crash mid-write) is taken over', async () => {
    writeFileSync(lock, '')
    const devnet = await Devnet.open({ dataDir: dir })
    await devnet.close()
  })

  it('a lock naming another live process is refused', async () => {
    // The parent of this test process runs as long as the test does.
    writeFileSync(lock, `${process.ppid}\n`)
    const error = await rejection(Devnet.open({ dataDir: dir }))
    expect(error).to.be.instanceOf(DataDirLockedError)
    expect(error).to.include({ dataDir: dir, pid: process.ppid, lockFile: lock })
    expect(readFileSync(lock, 'utf8')).to.equal(`${process.ppid}\n`)
  })

  it('Devnet.open refuses a dir another open Devnet holds, and opens it after close', async () => {
    const first = await Devnet.open({ dataDir: dir })
    const error = await rejection(Devnet.open({ dataDir: dir }))
    expect(error).to.be.instanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).message).to.equal(`Data dir ${dir} is in use by a running devnet (pid ${process.pid}).`)
    await first.close()
    const again = await Devnet.open({ dataDir: dir })
    await again.close()
  })

  describe('startDevnetServer on a busy port', () => {
    const busy = useBusyPort()

    it('throws PortInUseError naming host and port, and closes the devnet it opened', async () => {
      const error = await rejection(startDevnetServer({ port: busy.port, dataDir: dir }))
      expect(error).to.be.instanceOf(PortInUseError)
      expect(error).to.include({ host: '127.0.0.1', port: busy.port })
      expect((error as PortInUseError).message).to.equal(`Port ${busy.port} on 127.0.0.1 is already in use.`)
      const devnet = await Devnet.open({ dataDir: dir })
      await devnet.close()
    })
  })
})
