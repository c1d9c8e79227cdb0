// Gas per process and handler, as `forge test --gas-report` gives it per contract and function:
// `AOKIT_GAS_REPORT=1 npx mocha …` prints it for the whole run when it ends; `t.gasReport()` gives one network's.
import { writeSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'

/** Gas of the messages one handler (or set of handlers) took: WebAssembly instructions, as GasUsed counts them. */
export type HandlerGas = {
  /** The handlers that ran, joined by ` + ` (usually one); `Eval` for the owner's Evals, `(no handler)` when none matched. */
  handler: string
  calls: number
  min: number
  /** The middle value; for an even count, the mean of the two middle ones, rounded down. */
  median: number
  /** Rounded to the nearest integer. */
  mean: number
  max: number
}

/** One process's rows: by its name (t.spawn's `name`, else its Name tag), else its file, else its id. */
export type ProcessGas = { process: string; handlers: HandlerGas[] }

/** Processes in name order, each with its handlers in name order (the `(…)` rows last). */
export type GasReport = ProcessGas[]

/** The row a message goes to: what Handlers.evaluate ran (the side channel), `(aborted)` when a limit stopped it. */
export function handlerLabel(handlers: readonly string[] | undefined): string {
  if (handlers === undefined) return '(aborted)'
  if (handlers.length === 0) return '(no handler)'
  return handlers.map((name) => (name === '_eval' ? 'Eval' : name)).join(' + ')
}

/** Collects gas per process and handler label. */
export class GasRecorder {
  private readonly gas = new Map<string, Map<string, number[]>>()

  record(process: string, handler: string, gasUsed: number): void {
    let byHandler = this.gas.get(process)
    if (!byHandler) {
      byHandler = new Map()
      this.gas.set(process, byHandler)
    }
    const list = byHandler.get(handler)
    if (list) list.push(gasUsed)
    else byHandler.set(handler, [gasUsed])
  }

  report(): GasReport {
    return [...this.gas]
      .sort(([a], [b]) => compareLabels(a, b))
      .map(([process, byHandler]) => ({
        process,
        handlers: [...byHandler].sort(([a], [b]) => compareLabels(a, b)).map(([handler, values]) => ({ handler, ...stats(values) })),
      }))
  }
}

function compareLabels(a: string, b: string): number {
  const aside = (label: string) => (label.startsWith('(') ? 1 : 0)
  return aside(a) - aside(b) || (a < b ? -1 : a > b ? 1 : 0)
}

function stats(values: number[]): Omit<HandlerGas, 'handler'> {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  const middle = n % 2 === 1 ? sorted[(n - 1) / 2]! : Math.floor((sorted[n / 2 - 1]! + sorted[n / 2]!) / 2)
  const sum = sorted.reduce((total, value) => total + value, 0)
  return { calls: n, min: sorted[0]!, median: middle, mean: Math.round(sum / n), max: sorted[n - 1]! }
}

const number = (value: number) => value.toLocaleString('en-US')

/** The report as text: a block per process, a row per handler (calls, then gas min, median, mean, max). */
export function formatGasReport(report: GasReport): string {
  if (report.length === 0) return 'aokit gas report: no message was evaluated.\n'
  const header = ['Handler', 'Calls', 'Min', 'Median', 'Mean', 'Max']
  const rows = report.flatMap((p) => p.handlers.map((h) => [h.handler, String(h.calls), number(h.min), number(h.median), number(h.mean), number(h.max)]))
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  const blocks = report.map((p) => [p.process, line(header), ...p.handlers.map((h) => line([h.handler, String(h.calls), number(h.min), number(h.median), number(h.mean), number(h.max)]))].join('\n'))
  return `aokit gas report (gas: WebAssembly instructions per message)\n\n${blocks.join('\n\n')}\n`
}

const env = process.env
// Processes the run starts (a CLI a test runs) inherit the variable, and the pid says they are not the run;
// worker threads (same pid) are not it either.
const wanted = isMainThread && !!env.AOKIT_GAS_REPORT && env.AOKIT_GAS_REPORT !== '0' && (env.AOKIT_GAS_REPORT_PID ?? String(process.pid)) === String(process.pid)

/** The whole run's recorder when AOKIT_GAS_REPORT is set (every test network adds to it), else undefined. */
export const runGasRecorder: GasRecorder | undefined = wanted ? new GasRecorder() : undefined

if (runGasRecorder) {
  env.AOKIT_GAS_REPORT_PID = String(process.pid)
  // Silent when empty: a process a test starts (a devnet) may inherit AOKIT_GAS_REPORT and run no test network.
  process.once('exit', () => {
    const report = runGasRecorder.report()
    if (report.length > 0) writeSync(1, '\n' + formatGasReport(report))
  })
}
