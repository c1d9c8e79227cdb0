// The gas report: calls and gas (min / median / mean / max) per process and per handler that took the messages,
// from t.gasReport() and, with AOKIT_GAS_REPORT=1, printed when a mocha run ends.
import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatGasReport, GasRecorder, type GasReport } from '../../../harness/testing/gasReport.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

const ROOT = resolve(import.meta.dirname, '../../..')

const COUNTER = `
Count = 0
-- Sees every Increment and lets the next handler take it too.
Handlers.add('log', function(msg) return msg.Action == 'Increment' and 'continue' or false end, function() end)
Handlers.add('Increment', function(msg)
  if msg.By == 'bad' then error('not a number') end
  Count = Count + tonumber(msg.By)
end)
Handlers.add('Double', function(msg)
  for i = 1, 100 do Count = Count + 0 end
  Count = Count * 2
end)`

describe('harness/testing: gas report', function () {
  this.timeout(60_000)

  it('gives calls per process and handler: Eval, messages no handler took, handlers that ran together', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const counter = await t.spawn({ source: COUNTER, name: 'counter' })
    for (const by of ['1', '2', 'bad']) await t.send(alice, counter, 'Increment', { By: by })
    await t.send(alice, counter, 'Double')
    await t.send(alice, counter, 'Unknown')
    await t.eval(counter, 'return Count')
    await t.dryrun(alice, counter, 'Double') // a read: not in the report
    const report = t.gasReport()
    expect(report.map((p) => p.process)).to.deep.equal(['counter'])
    expect(report[0]!.handlers.map((h) => [h.handler, h.calls])).to.deep.equal([
      ['Double', 1],
      ['Eval', 2], // the spawn's code, then t.eval
      ['_boot', 1], // the Process message
      ['log + Increment', 3],
      ['(no handler)', 1],
    ])
  })

  it('orders min ≤ median ≤ max with the mean between, all from the messages\' GasUsed', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const counter = await t.spawn({ source: COUNTER, name: 'counter' })
    const gas: number[] = []
    for (const by of ['1', '22', '333', '4444']) gas.push((await t.send(alice, counter, 'Increment', { By: by })).result.GasUsed!)
    const row = t.gasReport()[0]!.handlers.find((h) => h.handler === 'log + Increment')!
    const sorted = [...gas].sort((a, b) => a - b)
    expect(row).to.deep.equal({
      handler: 'log + Increment',
      calls: 4,
      min: sorted[0],
      median: Math.floor((sorted[1]! + sorted[2]!) / 2),
      mean: Math.round(gas.reduce((a, b) => a + b) / 4),
      max: sorted[3],
    })
    expect(row.min).to.be.greaterThan(0)
    expect(row.min <= row.median && row.median <= row.max && row.min <= row.mean && row.mean <= row.max).to.equal(true)
  })

  it('names a process by its spawn name, else its Name tag, else its id', async () => {
    const t = createTestNetwork()
    await t.spawn({ source: COUNTER, name: 'named' })
    await t.spawn({ source: COUNTER, tags: { Name: 'tagged' } })
    const bare = await t.spawn({ source: COUNTER })
    expect(t.gasReport().map((p) => p.process)).to.deep.equal([bare, 'named', 'tagged'].sort())
  })

  it('takes the middle of an odd count and the mean of the two middles of an even one', () => {
    const recorder = new GasRecorder()
    for (const gas of [30, 10, 20]) recorder.record('p', 'Odd', gas)
    for (const gas of [4, 1, 2, 8]) recorder.record('p', 'Even', gas)
    expect(recorder.report()).to.deep.equal([
      {
        process: 'p',
        handlers: [
          { handler: 'Even', calls: 4, min: 1, median: 3, mean: 4, max: 8 },
          { handler: 'Odd', calls: 3, min: 10, median: 20, mean: 20, max: 30 },
        ],
      },
    ])
  })

  it('prints a block per process and a row per handler, columns aligned across blocks', () => {
    const report: GasReport = [
      { process: 'counter', handlers: [{ handler: 'Increment', calls: 12, min: 1_250_000, median: 1_300_000, mean: 1_310_417, max: 1_402_000 }] },
      {
        process: 'token',
        handlers: [
          { handler: 'Transfer', calls: 3, min: 2_100_000, median: 2_200_000, mean: 2_233_333, max: 2_400_000 },
          { handler: '(no handler)', calls: 1, min: 900_000, median: 900_000, mean: 900_000, max: 900_000 },
        ],
      },
    ]
    expect(formatGasReport(report)).to.equal(
      [
        'aokit gas report (gas: WebAssembly instructions per message)',
        '',
        'counter',
        '  Handler       Calls        Min     Median       Mean        Max',
        '  Increment        12  1,250,000  1,300,000  1,310,417  1,402,000',
        '',
        'token',
        '  Handler       Calls        Min     Median       Mean        Max',
        '  Transfer          3  2,100,000  2,200,000  2,233,333  2,400,000',
        '  (no handler)      1    900,000    900,000    900,000    900,000',
        '',
      ].join('\n'),
    )
  })

  it('prints the run\'s report when a mocha run with AOKIT_GAS_REPORT=1 ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aokit-gas-'))
    try {
      const harness = pathToFileURL(join(ROOT, 'harness/index.ts')).href
      writeFileSync(join(dir, 'counter.test.ts'), [
        `import { createTestNetwork } from ${JSON.stringify(harness)}`,
        `const COUNTER = ${JSON.stringify(COUNTER)}`,
        `for (const name of ['first', 'second']) it(name, async () => {`,
        `  const t = createTestNetwork()`,
        `  const counter = await t.spawn({ source: COUNTER, name: 'counter' })`,
        `  await t.send(t.wallet('alice'), counter, 'Double')`,
        `})`,
      ].join('\n'))
      const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
      const args = ['--import', tsx, join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--timeout', '60000', 'counter.test.ts']
      const env: NodeJS.ProcessEnv = { ...process.env, AOKIT_GAS_REPORT: '1' }
      delete env.AOKIT_GAS_REPORT_PID // this run's own marker, when it prints a report itself
      const run = await new Promise<{ failed: boolean; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, args, { cwd: dir, env, timeout: 100_000 }, (error, stdout, stderr) => done({ failed: !!error, stdout, stderr }))
      })
      expect(run.failed, run.stderr).to.equal(false)
      const printed = run.stdout.slice(run.stdout.indexOf('2 passing'))
      // Both tests' networks add up under the process's name.
      expect(printed).to.match(/\naokit gas report \(gas: WebAssembly instructions per message\)\n\ncounter\n  Handler +Calls +Min +Median +Mean +Max\n/)
      expect(printed.split('\n').filter((line) => line.startsWith('  ') && !line.includes('Calls')).map((line) => line.trim().split(/ {2,}/).slice(0, 2))).to.deep.equal([
        ['Double', '2'],
        ['Eval', '2'],
        ['_boot', '2'],
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
