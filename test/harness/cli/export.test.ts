// `aokit export <pid> --url …`: what a user sees, run in-process against a devnet.
import { expect } from 'chai'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportProcess } from '../../../harness/exportProcess.js'
import { replay } from '../../../harness/replay.js'
import { startTokenHistory, type TokenHistory } from '../exportSupport.js'
import { runCli } from './support.js'

describe('aokit export', function () {
  this.timeout(120_000)
  let h: TokenHistory
  let dir: string

  before(async () => {
    h = await startTokenHistory()
    dir = mkdtempSync(join(tmpdir(), 'aokit-export-'))
  })
  after(async () => {
    await h?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('prints the ao-replay/1 file on stdout and exits 0; aokit replay evaluates it', async () => {
    const { code, stdout, stderr } = await runCli(['export', h.token, '--url', h.devnet.url])
    expect(stderr).to.equal('')
    expect(code).to.equal(0)
    const file = JSON.parse(stdout)
    expect(file).to.deep.equal(await exportProcess({ url: h.devnet.url, process: h.token }))
    const { results } = await replay(file)
    expect(results).to.have.length(file.messages.length + 1)
  })

  it('--out writes the file instead, and says so on stderr', async () => {
    const out = join(dir, 'replay.json')
    const { code, stdout, stderr } = await runCli(['export', h.token, '--url', `${h.devnet.url}/su`, '--out', out])
    expect(code).to.equal(0)
    expect(stdout).to.equal('')
    const file = JSON.parse(readFileSync(out, 'utf8'))
    expect(stderr).to.equal(`aokit export: wrote ${out} (the Process message and ${file.messages.length} messages)\n`)
    const replayed = await runCli(['replay', out])
    expect(replayed.code).to.equal(0)
    expect(JSON.parse(replayed.stdout).results).to.have.length(file.messages.length + 1)
  })

  it('an unknown process exits 1 and names it', async () => {
    const pid = 'Z'.repeat(43)
    const { code, stdout, stderr } = await runCli(['export', pid, '--url', h.devnet.url])
    expect(code).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`aokit export: No process ${pid} at the scheduler unit ${h.devnet.url}/su.`)
  })

  it('an unreachable URL exits 1 and names it', async () => {
    const server = createServer()
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const { port } = server.address() as { port: number }
    await new Promise((done) => server.close(done))
    const { code, stderr } = await runCli(['export', h.token, '--url', `http://127.0.0.1:${port}`])
    expect(code).to.equal(1)
    expect(stderr).to.match(new RegExp(`^aokit export: Cannot read the scheduler unit at http://127\\.0\\.0\\.1:${port}: unreachable`))
  })

  it('a missing or malformed --url, or a bad pid, is a usage error: exit 2', async () => {
    for (const [argv, says] of [
      [['export', h.token], '--url is required'],
      [['export', h.token, '--url', 'localhost:4000'], '--url must be an http(s) URL, got localhost:4000'],
      [['export', 'abc', '--url', h.devnet.url], '<pid> must be a 43-character process id, got abc'],
      [['export', '--url', h.devnet.url], 'missing <pid>'],
    ] as const) {
      const { code, stderr } = await runCli([...argv])
      expect(code, argv.join(' ')).to.equal(2)
      expect(stderr).to.contain(`aokit export: ${says}`)
    }
  })
})
