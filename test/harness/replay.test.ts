import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parseReplayFile, replay, ReplayFormatError } from '../../harness/replay.js'
import { cases } from '../fidelity/cases.js'

const run = promisify(execFile)
const cli = new URL('../../bin/aokit.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'aokit-replay-'))
const token = cases['token-transfer']

function writeCase(name: string, content: unknown): string {
  const path = join(dir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env: { ...process.env, ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('harness/replay', () => {
  it('returns one result per evaluated message, the Process message first', async () => {
    const { results } = await replay(token)
    expect(results).to.have.length(token.messages.length + 1)
    expect(results[0]).to.have.keys(['Output', 'Messages', 'Spawns', 'Assignments'])
  })

  it('leaves an errored message out of the state: the next message sees the state from before it', async () => {
    const file = structuredClone(cases['handler-error-rollback'])
    const { results } = await replay(file)
    const errored = results.findIndex((r) => r.Error !== undefined)
    expect(errored).to.be.greaterThan(0)
    expect(results[errored]).to.have.keys(['Error'])
  })

  it('gives byte-identical output when run twice', async () => {
    expect(JSON.stringify(await replay(token))).to.equal(JSON.stringify(await replay(token)))
  })

  const bad: [string, (f: Record<string, any>) => void, RegExp][] = [
    ['a wrong format', (f) => (f.format = 'ao-replay/2'), /^Invalid replay file: format must be "ao-replay\/1"/],
    ['a module without Id', (f) => delete f.module.Id, /module\.Id must be a non-empty string/],
    ['a tag value that is not a string', (f) => (f.process.Tags[0].value = 5), /process\.Tags\[0\] must be \{name: string, value: string\}/],
    ['a Timestamp that is a string', (f) => (f.messages[1].Timestamp = '1700'), /messages\[1\]\.Timestamp must be a number/],
    ['messages that are not an array', (f) => (f.messages = {}), /messages must be an array/],
  ]
  for (const [what, spoil, message] of bad) {
    it(`rejects ${what} with ReplayFormatError naming the field`, () => {
      const file = structuredClone(token) as Record<string, any>
      spoil(file)
      expect(() => parseReplayFile(file)).to.throw(ReplayFormatError, message)
    })
  }
})

describe('aokit replay (CLI)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('prints {"results": [...]} as JSON on stdout and exits 0', async () => {
    const { code, stdout } = await runCli(['replay', writeCase('token.json', token)])
    expect(code).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal(JSON.parse(JSON.stringify(await replay(token))))
  })

  it('gives the same bytes whatever the host timezone, environment or script path', async () => {
    const file = writeCase('token-again.json', token)
    const tokyo = await runCli(['replay', file], { TZ: 'Asia/Tokyo', LANG: 'ja_JP.UTF-8', AOKIT_PADDING: 'x'.repeat(300) })
    expect(tokyo.stdout.trim()).to.equal(JSON.stringify(await replay(token)))
  })

  it('exits 2 and names the field for a malformed file', async () => {
    const { code, stderr, stdout } = await runCli(['replay', writeCase('bad.json', { ...token, messages: 'none' })])
    expect(code).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('aokit replay: Invalid replay file: messages must be an array.')
  })

  it('exits 2 for a file that is not JSON', async () => {
    const { code, stderr } = await runCli(['replay', writeCase('broken.json', '{"format": ')])
    expect(code).to.equal(2)
    expect(stderr).to.match(/^aokit replay: cannot read .*broken\.json as JSON/)
  })

  it('exits 2 with usage when the file is missing from the command line', async () => {
    const { code, stderr } = await runCli(['replay'])
    expect(code).to.equal(2)
    expect(stderr).to.contain('Usage:')
  })
})
