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
    // The case: Process, Eval (Counter = 0, handlers Boom and Inc), Inc, Boom (fails), Eval reading the state, Inc.
    const file = structuredClone(cases['handler-error-rollback'])
    const { results } = await replay(file)
    expect(results.map((r) => r.Error !== undefined)).to.deep.equal([false, false, false, true, false, false])
    expect(results[3]).to.have.keys(['Error'])
    expect(String(results[3]!.Error)).to.contain('kaput')
    const data = (i: number) => (results[i]!.Output as { data?: unknown }).data
    expect(data(2)).to.equal('counter 1')
    // Boom's Counter + 1, its added handler and the reference its ao.send took are all rolled back.
    expect(data(4)).to.equal('1 _eval,_default,Boom,Inc 0')
    expect(data(5)).to.equal('counter 2')
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
    ['a process message without Id, even marked Cron', (f) => ((f.process.Cron = true), delete f.process.Id), /process\.Id must be a non-empty string/],
    ['a cron tick with an empty Id', (f) => ((f.messages[0].Cron = true), (f.messages[0].Id = '')), /messages\[0\]\.Id must be a non-empty string/],
  ]
  it('accepts a cron tick without Id, Nonce or Hash-Chain, as the CU builds it', async () => {
    const file = cases['cron-messages']
    const tick = file.messages[1]
    expect(tick).to.not.have.any.keys('Id', 'Nonce', 'Hash-Chain')
    expect(() => parseReplayFile(file)).to.not.throw()
    const { results } = await replay(file)
    expect(results[2].Messages).to.have.length(1)
    expect((results[2].Output as { data: string }).data).to.equal('nil nil nil 1700000002000 1500002 nil nil nil nil owner')
  })

  it('still requires an Id on a message that is not a cron tick', () => {
    const file = structuredClone(cases['cron-messages']) as Record<string, any>
    file.messages[1].Cron = false
    expect(() => parseReplayFile(file)).to.throw(ReplayFormatError, /messages\[1\]\.Id must be a non-empty string/)
  })

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
