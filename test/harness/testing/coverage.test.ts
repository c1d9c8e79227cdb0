// Line coverage of contract files: which lines ran, as lcov DA records, kept across reverts and failed messages,
// never counting the runtime or a test's own Eval; and AOKIT_COVERAGE=1 on a real mocha run.
import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { collectCoverage, coverageReport, formatCoverageTable, formatLcov, type CoverageReport } from '../../../harness/testing/coverage.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

const ROOT = resolve(import.meta.dirname, '../../..')
const FIXTURES = join(import.meta.dirname, 'fixtures/coverage')
const COUNTER = join(FIXTURES, 'counter.lua')
const counterPath = relative(process.cwd(), COUNTER)
const twicePath = relative(process.cwd(), join(FIXTURES, 'twice.lua'))

/** Line → hits of one file in a report. */
function hitsOf(report: CoverageReport, path: string): Map<number, number> {
  return new Map(report.files.find((file) => file.path === path)?.lines ?? [])
}

/** The lcov record of one file. */
function lcovRecord(report: CoverageReport, path: string): string {
  return formatLcov({ ...report, files: report.files.filter((file) => file.path === path) })
}

describe('harness/testing: coverage of contract files', function () {
  this.timeout(120_000)

  // On for this file only (unless the whole run collects coverage): it makes every message cost more gas.
  let stop: () => void
  before(() => (stop = collectCoverage()))
  after(() => stop())

  it('records each executable line of the files a contract was loaded from, the branch no test takes at 0', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const counter = await t.spawn({ file: COUNTER, name: 'counter' })
    await t.send(alice, counter, 'Increment', { By: '2' })
    await t.send(alice, counter, 'Increment', { By: '3' })
    await t.send(alice, counter, 'Double')
    const report = coverageReport()
    const lcov = lcovRecord(report, counterPath)
    const da = lcov.split('\n').filter((line) => line.startsWith('DA:'))
    // Lines 1, 3, 5, 10, 14: a comment or blank; `end` after the last statement of a function is no line of its own.
    expect(da.map((line) => Number(line.slice(3).split(',')[0]))).to.deep.equal([2, 4, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 18])
    expect(da.filter((line) => line.endsWith(',0'))).to.deep.equal(['DA:9,0'])
    // A line inside a handler counts once per message that ran it.
    expect(da).to.include.members(['DA:7,2', 'DA:11,2', 'DA:16,1'])
    expect(lcov).to.match(new RegExp(`^TN:\\nSF:${counterPath}\\n(DA:\\d+,\\d+\\n){13}LF:13\\nLH:12\\nend_of_record\\n$`))
    // The required module is a file of its own.
    expect(lcovRecord(report, twicePath)).to.equal(`TN:\nSF:${twicePath}\nDA:3,1\nDA:4,1\nLF:2\nLH:2\nend_of_record\n`)
  })

  it('lists contract files only: no runtime file, no bundler line', async () => {
    const t = createTestNetwork()
    await t.spawn({ file: COUNTER })
    const paths = coverageReport().files.map((file) => file.path)
    expect(paths).to.include.members([counterPath, twicePath])
    expect(paths.filter((path) => path.includes('harness/lua') || !path.endsWith('.lua'))).to.deep.equal([])
  })

  it('never counts code a test loaded with Eval, though it shares the chunk name "aos" and line numbers with the contract', async () => {
    const t = createTestNetwork()
    const counter = await t.spawn({ file: COUNTER })
    const before = hitsOf(coverageReport(), counterPath)
    // A handler running every line from 2 to 60, the lines where the loaded bundle has the contract's code.
    const probe = ["Handlers.add('Probe', function(msg)", ...Array.from({ length: 58 }, () => '  Probes = (Probes or 0) + 1'), 'end)']
    await t.eval(counter, probe.join('\n'))
    await t.send(t.wallet('alice'), counter, 'Probe')
    expect(await t.read(counter, 'Probes')).to.equal(58)
    expect(hitsOf(coverageReport(), counterPath)).to.deep.equal(before)
  })

  it('keeps lines run by a message that failed and by messages a revert undid', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')
    const counter = await t.spawn({ file: COUNTER })
    const before = hitsOf(coverageReport(), counterPath)
    const snapshot = t.snapshot()
    const failed = await t.send(alice, counter, 'Increment', { By: '500' })
    expect(failed.result.Error).to.contain('too much')
    await t.send(alice, counter, 'Double')
    t.revert(snapshot)
    expect(await t.read(counter, 'Count')).to.equal(0)
    const after = hitsOf(coverageReport(), counterPath)
    expect(after.get(9)! - before.get(9)!).to.equal(1) // error('too much'), rolled back with its message
    expect(after.get(16)! - before.get(16)!).to.equal(1) // Double, undone by the revert
  })

  it('counts dry-runs too: the code ran', async () => {
    const t = createTestNetwork()
    const counter = await t.spawn({ file: COUNTER })
    const before = hitsOf(coverageReport(), counterPath)
    await t.dryrun(t.wallet('alice'), counter, 'Double')
    expect(hitsOf(coverageReport(), counterPath).get(16)! - before.get(16)!).to.equal(1)
  })

  it('prints a table of lines hit / total per file', () => {
    const report: CoverageReport = {
      files: [
        { path: 'contracts/token.lua', lines: [[1, 2], [2, 0], [3, 1]], linesFound: 3, linesHit: 2 },
        { path: 'lib/math.lua', lines: [[4, 1]], linesFound: 1, linesHit: 1 },
      ],
      linesFound: 4,
      linesHit: 3,
    }
    expect(formatCoverageTable(report)).to.equal(
      [
        'File                | Lines | % Lines',
        '--------------------|-------|--------',
        'contracts/token.lua |   2/3 |   66.67',
        'lib/math.lua        |   1/1 |  100.00',
        '--------------------|-------|--------',
        'All files           |   3/4 |   75.00',
        '',
      ].join('\n'),
    )
  })

  describe('AOKIT_COVERAGE=1 on a mocha run', () => {
    let dir: string
    let run: { status: number; stdout: string; stderr: string }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'aokit-coverage-'))
      copyFileSync(COUNTER, join(dir, 'counter.lua'))
      copyFileSync(join(FIXTURES, 'twice.lua'), join(dir, 'twice.lua'))
      const harness = pathToFileURL(join(ROOT, 'harness/index.ts')).href
      writeFileSync(join(dir, 'counter.test.ts'), [
        `import { createTestNetwork } from ${JSON.stringify(harness)}`,
        `it('increments', async () => {`,
        `  const t = createTestNetwork()`,
        `  const counter = await t.spawn({ file: 'counter.lua', name: 'counter' })`,
        `  await t.send(t.wallet('alice'), counter, 'Increment', { By: '2' })`,
        `})`,
      ].join('\n'))
      const mocha = join(ROOT, 'node_modules/mocha/bin/mocha.js')
      const args = ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, mocha, '--timeout', '60000', 'counter.test.ts']
      const env: NodeJS.ProcessEnv = { ...process.env, AOKIT_COVERAGE: '1' }
      delete env.AOKIT_COVERAGE_PID // this run's own marker, when it collects coverage itself
      run = await new Promise((done) => {
        execFile(process.execPath, args, { cwd: dir, env, timeout: 100_000 }, (error, stdout, stderr) => {
          done({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
        })
      })
    })

    after(() => rmSync(dir, { recursive: true, force: true }))

    it('passes the tests and writes coverage/lcov.info with paths relative to the working directory', () => {
      expect(run.status, run.stderr).to.equal(0)
      expect(existsSync(join(dir, 'coverage/lcov.info'))).to.equal(true)
      const lcov = readFileSync(join(dir, 'coverage/lcov.info'), 'utf8')
      expect(lcov.split('\n').filter((line) => line.startsWith('SF:'))).to.deep.equal(['SF:counter.lua', 'SF:twice.lua'])
      // Only Increment ran: the "too much" branch, Double's body and the module's function body did not.
      const missed = lcov.split('\n').filter((line) => line.endsWith(',0'))
      expect(missed).to.deep.equal(['DA:9,0', 'DA:16,0', 'DA:17,0', 'DA:3,0'])
    })

    it('prints the table when the run ends', () => {
      expect(run.stdout).to.contain('1 passing')
      expect(run.stdout).to.contain(
        [
          'aokit coverage (lines of contract files), written to coverage/lcov.info:',
          '',
          'File        | Lines | % Lines',
          '------------|-------|--------',
          'counter.lua | 10/13 |   76.92',
          'twice.lua   |   1/2 |   50.00',
          '------------|-------|--------',
          'All files   | 11/15 |   73.33',
        ].join('\n'),
      )
    })
  })
})
