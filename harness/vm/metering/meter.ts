// Gas metering of a WebAssembly module, as AO's compute unit meters its modules: every unbounded computation
// (function calls, loop iterations, C library code included) is charged to a mutable i64 global and traps with
// `unreachable` when the gas goes negative. The pass only inserts code inside function bodies and appends one
// global, so every function, global, table and memory index of the module stays as it was.

import {
  MeteringError,
  Reader,
  SECTION_CODE,
  SECTION_GLOBAL,
  SECTION_IMPORT,
  appendExports,
  appendGlobal,
  codeBodies,
  codeSection,
  concat,
  importedGlobals,
  mutableGlobals,
  readSections,
  skipInstruction,
  skipLocals,
  sleb64,
  uleb,
  writeModule,
} from './wasmBinary.js'

export { MeteringError } from './wasmBinary.js'

/** The export naming the gas global: the host sets the budget before a call and reads what is left after. */
export const GAS_EXPORT = 'aokit_gas'
/** Prefix of the exports added for the module's own mutable globals, so a host can put them back after a trap. */
export const GLOBAL_EXPORT_PREFIX = 'aokit_global_'
/** Gas the module starts with: effectively unlimited until the host sets a budget. */
export const UNLIMITED_GAS = 1n << 62n

export type MeterStats = { functions: number; instructions: number; chargePoints: number }

/** The charge sequence: gas -= cost; if gas < 0 then unreachable. */
function charge(gasIndex: number, cost: number): number[] {
  const g = uleb(gasIndex)
  return [0x23, ...g, 0x42, ...sleb64(BigInt(cost)), 0x7d, 0x24, ...g, 0x23, ...g, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b]
}
/** Block markers do no work when run (a switch opens dozens of them at once): they cost nothing. */

const STRUCTURAL = new Set([0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x0b, 0x18, 0x19])
/**
 * Where a run of straight-line code starts: the function entry and right after `loop`, `if`, `else`, `end` and the
 * exception handling markers (`try`, `catch`, `catch_all`, `delegate`). A charge pays for its whole run, even one
 * left early through br/br_if/return.
 * Per block (`loopsOnly: false`) every run is charged, so gas is close to the instructions run; with `loopsOnly`
 * only the entry's and the loop headers' runs are: every call and every loop iteration still pays, which bounds all
 * work, for a third of the checks (the metering costs ~1.15× instead of ~1.45× on the token workload).
 */
const STARTS_RUN = new Set([0x03, 0x04, 0x05, 0x06, 0x07, 0x0b, 0x18, 0x19])

function meterBody(body: Uint8Array, gasIndex: number, stats: MeterStats, loopsOnly: boolean): Uint8Array {
  const reader = new Reader(body)
  skipLocals(reader)
  const parts: (Uint8Array | number[])[] = [body.subarray(0, reader.pos)]
  let runStart = reader.pos // where the current run begins: its charge goes in front of it
  let runCount = 0
  // The entry's and each loop header's run always charge, at least 1: every call and every iteration pays, even
  // one that reaches its back edge through block markers alone (`loop block end br 0 end`).
  let mode: 'always' | 'if-any' | 'never' = 'always'
  let depth = 1
  const flush = (at: number, next: typeof mode) => {
    if (mode === 'always' || (mode === 'if-any' && runCount > 0)) {
      parts.push(charge(gasIndex, Math.max(runCount, 1)))
      stats.chargePoints++
    }
    parts.push(body.subarray(runStart, at))
    runStart = at
    runCount = 0
    mode = next
  }
  while (reader.pos < body.length) {
    const op = skipInstruction(reader)
    stats.instructions++
    if (!STRUCTURAL.has(op)) runCount++
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) depth++
    else if (op === 0x0b || op === 0x18) depth-- // `delegate` closes its `try`
    if (depth === 0) {
      if (reader.pos !== body.length) throw new MeteringError('function body continues after its final end')
      break
    }
    if (STARTS_RUN.has(op)) flush(reader.pos, op === 0x03 ? 'always' : loopsOnly ? 'never' : 'if-any')
  }
  if (depth !== 0) throw new MeteringError('function body ends inside a block')
  flush(reader.pos, 'never')
  return concat(parts)
}

/**
 * Returns `wasm` with gas metering injected (see the file comment and STARTS_RUN; charges at function entries and
 * loop headers by default, at every block with `loopsOnly: false`) and the stats of what was done. The gas global
 * is exported as GAS_EXPORT; each of the module's own mutable globals as GLOBAL_EXPORT_PREFIX + its index.
 */
export function meterModule(wasm: Uint8Array, { loopsOnly = true } = {}): { bytes: Uint8Array<ArrayBuffer>; stats: MeterStats } {
  const stats: MeterStats = { functions: 0, instructions: 0, chargePoints: 0 }
  let sections = readSections(wasm)
  const imports = sections.find((s) => s.id === SECTION_IMPORT)
  const globals = sections.find((s) => s.id === SECTION_GLOBAL)
  const mutable = globals ? mutableGlobals(globals.body, imports ? importedGlobals(imports.body) : 0) : []
  const gas = appendGlobal(sections, [0x7e, 0x01, 0x42, ...sleb64(UNLIMITED_GAS), 0x0b], GAS_EXPORT)
  sections = appendExports(gas.sections, mutable.map((i) => [GLOBAL_EXPORT_PREFIX + i, 0x03, i] as const))
  sections = sections.map((s) => {
    if (s.id !== SECTION_CODE) return s
    const bodies = codeBodies(s.body).map((body) => {
      stats.functions++
      return meterBody(body, gas.index, stats, loopsOnly)
    })
    return { id: s.id, body: codeSection(bodies) }
  })
  return { bytes: writeModule(sections), stats }
}
