// Line coverage of contract files: `AOKIT_COVERAGE=1 npm test` writes coverage/lcov.info and prints a table
// when the run ends; collectCoverage() / coverageReport() do the same from code.
//
// How: each file a test network loads (t.spawn({ file })) is compiled once, here, into a dump of its bytecode,
// which lists every function with the lines it can run and where each line came from (bundleLua's origins).
// Processes count the lines their contract functions run with a Lua line hook (in every message but an Eval of
// code from no file) and hand the counts over after each message, naming each function by its bytecode
// (coverage.lua): an Eval's chunk name is always "aos", so the name cannot tell. The counts are kept in the host,
// so snapshots, reverts and rollbacks never undo them, and every network of the run adds to the same totals.
import { writeFileSync, mkdirSync, writeSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { isMainThread } from 'node:worker_threads'
import type { SourceOrigin } from '../bundle.js'
import { LuaVm } from '../vm/luaVm.js'
import { observeEvaluations, observedEvaluations, type AoMessage, type CoveredFunction } from '../vm/processVm.js'
import { hostFunctions, runtimeImage } from '../vm/runtimeImage.js'
import { chunkFunctions, functionKey } from './coverageBytecode.js'

/** One contract file's line coverage. */
export type FileCoverage = {
  /** Relative to the working directory, with `/` between folders (as lcov's SF). */
  path: string
  /** `[line, hits]` for each executable line, in line order. */
  lines: [number, number][]
  /** Executable lines (lcov LF). */
  linesFound: number
  /** Executable lines that ran at least once (lcov LH). */
  linesHit: number
}

/** Line coverage of every contract file loaded since collectCoverage(), files in path order. */
export type CoverageReport = { files: FileCoverage[]; linesFound: number; linesHit: number }

type KnownFunction = { lines: Set<number>; origins: readonly (SourceOrigin | undefined)[] }

/** A function's key → its lines; a file (absolute path) → line → hits, every executable line present. */
const functions = new Map<string, KnownFunction>()
const files = new Map<string, Map<number, number>>()
const compiled = new Map<string, Promise<void>>()
let collecting = false
let compiler: Promise<LuaVm> | undefined

/**
 * Starts counting which lines of contract files run, in every process of this host, from the next message on.
 * Only files loaded after this call are counted (test networks load them with `spawn({ file })`). Messages use
 * more gas meanwhile: the line hook runs inside the metered VM. Returns a function that stops counting (what was
 * counted stays in coverageReport()); a no-op when coverage was already on, so a test cannot end a run's.
 */
export function collectCoverage(): () => void {
  if (collecting) return () => {}
  collecting = true
  observeEvaluations({ ...observedEvaluations(), coverage: countHits, coverMessage })
  return () => {
    collecting = false
    observeEvaluations({ ...observedEvaluations(), coverage: undefined, coverMessage: undefined })
  }
}

/**
 * Every message but an Eval of code from no file (t.eval, setState): the hook costs gas on every line it sees, and
 * such code has no line to count (a contract function it calls goes uncounted too; a test rarely relies on that).
 */
function coverMessage(message: AoMessage): boolean {
  const isEval = message.Tags.some((tag) => tag.name.toLowerCase() === 'action' && tag.value === 'Eval')
  return !isEval || (typeof message.Data === 'string' && compiled.has(message.Data))
}

/** Whether collectCoverage() is on. */
export function isCollectingCoverage(): boolean {
  return collecting
}

/**
 * Makes a loaded source's lines known: `origins[n - 1]` is where line n came from (bundleLua's), undefined for
 * lines of no file, which are never counted. Does nothing unless coverage is being collected.
 */
export function registerCoverageSource(source: string, origins: readonly (SourceOrigin | undefined)[]): Promise<void> {
  if (!collecting) return Promise.resolve()
  let done = compiled.get(source)
  if (!done) {
    done = compile(source).then((hex) => {
      if (hex !== undefined) addFunctions(hex, origins)
    })
    compiled.set(source, done)
  }
  return done
}

async function compile(source: string): Promise<string | undefined> {
  compiler ??= runtimeImage().then((image) => LuaVm.fromImage(image, hostFunctions))
  const { hex } = (await compiler).callValue('chunk', source) as { hex?: string }
  return hex
}

function addFunctions(hex: string, origins: readonly (SourceOrigin | undefined)[]): void {
  for (const fn of chunkFunctions(hex)) {
    // The same code at the same lines in two loads is one function: the first load names its file.
    if (functions.has(fn.key)) continue
    functions.set(fn.key, { lines: new Set(fn.lines), origins })
    for (const line of fn.lines) {
      const origin = origins[line - 1]
      if (origin === undefined) continue
      const counts = fileCounts(origin.path)
      if (!counts.has(origin.line)) counts.set(origin.line, 0)
    }
  }
}

function fileCounts(path: string): Map<number, number> {
  const key = resolve(path)
  let counts = files.get(key)
  if (!counts) {
    counts = new Map()
    files.set(key, counts)
  }
  return counts
}

/** A message's counts from a process: functions of no loaded file (a test's own Eval) are left out. */
function countHits(seen: CoveredFunction[]): void {
  for (const { key, hits } of seen) {
    const fn = functions.get(functionKey(key))
    if (!fn) continue
    for (let i = 0; i + 1 < hits.length; i += 2) {
      const line = hits[i]!
      const origin = fn.lines.has(line) ? fn.origins[line - 1] : undefined
      if (origin === undefined) continue
      const counts = fileCounts(origin.path)
      counts.set(origin.line, (counts.get(origin.line) ?? 0) + hits[i + 1]!)
    }
  }
}

/** What has been counted so far; paths relative to `cwd` (default: the working directory). */
export function coverageReport(cwd = process.cwd()): CoverageReport {
  const report: CoverageReport = { files: [], linesFound: 0, linesHit: 0 }
  for (const [path, counts] of files) {
    const lines = [...counts].sort((a, b) => a[0] - b[0])
    const linesHit = lines.filter(([, hits]) => hits > 0).length
    report.files.push({ path: relative(cwd, path).split(sep).join('/'), lines, linesFound: lines.length, linesHit })
    report.linesFound += lines.length
    report.linesHit += linesHit
  }
  report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return report
}

/** The report as an lcov tracefile (TN/SF/DA/LF/LH/end_of_record), as genhtml and codecov read it. */
export function formatLcov(report: CoverageReport): string {
  return report.files
    .map((file) => ['TN:', `SF:${file.path}`, ...file.lines.map(([line, hits]) => `DA:${line},${hits}`), `LF:${file.linesFound}`, `LH:${file.linesHit}`, 'end_of_record'].join('\n') + '\n')
    .join('')
}

const percent = (hit: number, found: number) => (found === 0 ? '100.00' : ((100 * hit) / found).toFixed(2))

/** The report as a table: one row per file (lines hit/total, %), then the total. */
export function formatCoverageTable(report: CoverageReport): string {
  const rows = report.files.map((file) => [file.path, `${file.linesHit}/${file.linesFound}`, percent(file.linesHit, file.linesFound)])
  rows.push(['All files', `${report.linesHit}/${report.linesFound}`, percent(report.linesHit, report.linesFound)])
  const header = ['File', 'Lines', '% Lines']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-')
  return [line(header), rule, ...rows.slice(0, -1).map(line), rule, line(rows.at(-1)!)].join('\n') + '\n'
}

/** Writes `<dir>/lcov.info` (default coverage/) and returns the table, for the end of a run; '' when no file was loaded. */
export function writeCoverage(dir = 'coverage', cwd = process.cwd()): string {
  const report = coverageReport(cwd)
  // Silent: a process a test starts (a devnet) may inherit AOKIT_COVERAGE and load no file.
  if (report.files.length === 0) return ''
  mkdirSync(resolve(cwd, dir), { recursive: true })
  const file = join(dir, 'lcov.info')
  writeFileSync(resolve(cwd, file), formatLcov(report))
  return `\naokit coverage (lines of contract files), written to ${file}:\n\n${formatCoverageTable(report)}`
}

// AOKIT_COVERAGE=1: collect from the first import of aokit/testing, report once the run is over (any test runner).
// Processes the run starts (a CLI a test runs) inherit the variable, and the pid says they are not the run;
// worker threads (same pid) are not it either.
const env = process.env
if (isMainThread && env.AOKIT_COVERAGE && env.AOKIT_COVERAGE !== '0' && (env.AOKIT_COVERAGE_PID ?? String(process.pid)) === String(process.pid)) {
  env.AOKIT_COVERAGE_PID = String(process.pid)
  collectCoverage()
  process.once('exit', () => {
    try {
      const table = writeCoverage()
      if (table) writeSync(1, table)
    } catch (error) {
      writeSync(2, `aokit coverage: no report: ${error instanceof Error ? error.message : String(error)}\n`)
    }
  })
}
