// Gas metering of a WebAssembly module, as AO's compute unit meters its modules: every unbounded computation
// (function calls, loop iterations, C library code included) is charged to a mutable i64 global and traps with
// `unreachable` when the gas goes negative. The pass only inserts code inside function bodies and appends one
// global, so every function, global, table and memory index of the module stays as it was.

import { AokitError } from '../../../sdk/errors.js'

/** The export naming the gas global: the host sets the budget before a call and reads what is left after. */
export const GAS_EXPORT = 'aokit_gas'
/** Prefix of the exports added for the module's own mutable globals, so a host can put them back after a trap. */
export const GLOBAL_EXPORT_PREFIX = 'aokit_global_'
/** Gas the module starts with: effectively unlimited until the host sets a budget. */
export const UNLIMITED_GAS = 1n << 62n

/** A module that this pass cannot read (an unknown opcode, a truncated section). */
export class MeteringError extends AokitError {
  override name = 'MeteringError'
}

export type MeterStats = { functions: number; instructions: number; chargePoints: number }

const SECTION_IMPORT = 2
const SECTION_GLOBAL = 6
const SECTION_EXPORT = 7
const SECTION_CODE = 10
/** Where a section sits in the required order (the tag section, 13, goes between memory and global). */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 }

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new MeteringError(`unexpected end of module at byte ${this.pos}`)
    return this.bytes[this.pos++]!
  }
  u32(): number {
    let result = 0
    let shift = 0
    for (;;) {
      const b = this.byte()
      result += (b & 0x7f) * 2 ** shift
      if (!(b & 0x80)) return result
      shift += 7
      if (shift > 35) throw new MeteringError(`LEB128 too long at byte ${this.pos}`)
    }
  }
  /** Skips a signed or unsigned LEB128 of any width. */
  leb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n
    if (this.pos > this.bytes.length) throw new MeteringError(`unexpected end of module at byte ${this.pos}`)
  }
  name(): string {
    const length = this.u32()
    const start = this.pos
    this.skip(length)
    return new TextDecoder().decode(this.bytes.subarray(start, this.pos))
  }
}

function uleb(value: number): number[] {
  const out: number[] = []
  do {
    let b = value % 128
    value = Math.floor(value / 128)
    if (value) b |= 0x80
    out.push(b)
  } while (value)
  return out
}

function sleb64(value: bigint): number[] {
  const out: number[] = []
  for (;;) {
    const b = Number(value & 0x7fn)
    value >>= 7n
    if ((value === 0n && !(b & 0x40)) || (value === -1n && b & 0x40)) {
      out.push(b)
      return out
    }
    out.push(b | 0x80)
  }
}

function nameBytes(name: string): number[] {
  const bytes = new TextEncoder().encode(name)
  return [...uleb(bytes.length), ...bytes]
}

type Section = { id: number; body: Uint8Array }

function readSections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
  if (!magic.every((b, i) => bytes[i] === b)) throw new MeteringError('not a WebAssembly 1.0 binary')
  const reader = new Reader(bytes, 8)
  const sections: Section[] = []
  while (reader.pos < bytes.length) {
    const id = reader.byte()
    const size = reader.u32()
    const start = reader.pos
    reader.skip(size)
    sections.push({ id, body: bytes.subarray(start, start + size) })
  }
  return sections
}

/** Reads a vector section's entry count and returns the bytes after it. */
function vector(body: Uint8Array): { count: number; rest: Uint8Array } {
  const reader = new Reader(body)
  const count = reader.u32()
  return { count, rest: body.subarray(reader.pos) }
}

function importedGlobals(body: Uint8Array): number {
  const reader = new Reader(body)
  let globals = 0
  for (let count = reader.u32(); count > 0; count--) {
    reader.name()
    reader.name()
    const kind = reader.byte()
    if (kind === 0) reader.u32() // function: type index
    else if (kind === 1) {
      reader.byte() // table: reftype, limits
      limits(reader)
    } else if (kind === 2) limits(reader)
    else if (kind === 3) {
      reader.byte()
      reader.byte()
      globals++
    } else if (kind === 4) {
      reader.byte()
      reader.u32()
    } else throw new MeteringError(`unknown import kind ${kind}`)
  }
  return globals
}

function limits(reader: Reader): void {
  const flags = reader.byte()
  reader.u32()
  if (flags & 1) reader.u32()
}

/** Skips a constant expression up to and including its `end`. */
function skipConstExpr(reader: Reader): void {
  for (;;) {
    const op = reader.byte()
    if (op === 0x0b) return
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) reader.leb()
    else if (op === 0x43) reader.skip(4)
    else if (op === 0x44) reader.skip(8)
    else if (op === 0xd0) reader.byte()
    else if (op !== 0x6a && op !== 0x6b && op !== 0x6c && op !== 0x7c && op !== 0x7d && op !== 0x7e) {
      throw new MeteringError(`unsupported constant expression opcode 0x${op.toString(16)}`)
    }
  }
}

/** Indices (in the global index space) of the module's own mutable globals. */
function mutableGlobals(body: Uint8Array, firstIndex: number): number[] {
  const reader = new Reader(body)
  const out: number[] = []
  const count = reader.u32()
  for (let i = 0; i < count; i++) {
    reader.byte() // value type
    if (reader.byte() === 1) out.push(firstIndex + i)
    skipConstExpr(reader)
  }
  return out
}

/** The charge sequence: gas -= cost; if gas < 0 then unreachable. */
function charge(gasIndex: number, cost: number): number[] {
  const g = uleb(gasIndex)
  return [0x23, ...g, 0x42, ...sleb64(BigInt(cost)), 0x7d, 0x24, ...g, 0x23, ...g, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b]
}

function skipBlockType(reader: Reader): void {
  // 0x40 (empty) or a one-byte value type; anything else is an s33 type index.
  if (BLOCK_TYPE_BYTES.has(reader.bytes[reader.pos]!)) reader.pos++
  else reader.leb()
}

const BLOCK_TYPE_BYTES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f])

function skipMemarg(reader: Reader): void {
  const align = reader.u32()
  if (align & 0x40) throw new MeteringError('multi-memory memarg is not supported')
  reader.u32()
}

/**
 * Decodes one instruction at the reader's position, leaving it after the instruction; returns the opcode with
 * 0xFC-prefixed ones as 0xFC00 + sub-opcode. Throws MeteringError on any opcode this pass does not know.
 */
function skipInstruction(reader: Reader): number {
  const op = reader.byte()
  if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) skipBlockType(reader)
  else if (op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b) {
    // no immediate
  } else if (op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18 || op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12) reader.u32()
  else if (op === 0x0e) {
    for (let n = reader.u32() + 1; n > 0; n--) reader.u32()
  } else if (op === 0x11 || op === 0x13) {
    reader.u32()
    reader.u32()
  } else if (op === 0x1c) {
    for (let n = reader.u32(); n > 0; n--) reader.byte()
  } else if (op >= 0x20 && op <= 0x26) reader.u32()
  else if (op >= 0x28 && op <= 0x3e) skipMemarg(reader)
  else if (op === 0x3f || op === 0x40) reader.u32()
  else if (op === 0x41 || op === 0x42) reader.leb()
  else if (op === 0x43) reader.skip(4)
  else if (op === 0x44) reader.skip(8)
  else if (op >= 0x45 && op <= 0xc4) {
    // numeric and sign-extension operators: no immediate
  } else if (op === 0xd0) reader.byte()
  else if (op === 0xd1) {
    // ref.is_null
  } else if (op === 0xd2) reader.u32()
  else if (op === 0xfc) {
    const sub = reader.u32()
    if (sub <= 7) {
      // saturating truncations
    } else if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
      reader.u32()
      reader.u32()
    } else if (sub === 9 || sub === 11 || sub === 13 || sub === 15 || sub === 16 || sub === 17) reader.u32()
    else throw new MeteringError(`unknown opcode 0xfc ${sub} at byte ${reader.pos}`)
    return 0xfc00 + sub
  } else throw new MeteringError(`unknown opcode 0x${op.toString(16)} at byte ${reader.pos - 1}`)
  return op
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
  for (let groups = reader.u32(); groups > 0; groups--) {
    reader.u32()
    reader.byte()
  }
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

function concat(parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const length = parts.reduce((sum, p) => sum + p.length, 0)
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function meterCode(body: Uint8Array, gasIndex: number, stats: MeterStats, loopsOnly: boolean): Uint8Array {
  const reader = new Reader(body)
  const count = reader.u32()
  const parts: (Uint8Array | number[])[] = [uleb(count)]
  for (let i = 0; i < count; i++) {
    const size = reader.u32()
    const start = reader.pos
    reader.skip(size)
    const metered = meterBody(body.subarray(start, start + size), gasIndex, stats, loopsOnly)
    parts.push(uleb(metered.length), metered)
    stats.functions++
  }
  return concat(parts)
}

/**
 * Returns `wasm` with gas metering injected (see the file comment and STARTS_RUN; charges at function entries and
 * loop headers by default, at every block with `loopsOnly: false`) and the stats of what was done. The gas global
 * is exported as GAS_EXPORT; each of the module's own mutable globals as GLOBAL_EXPORT_PREFIX + its index.
 */
export function meterModule(wasm: Uint8Array, { loopsOnly = true } = {}): { bytes: Uint8Array<ArrayBuffer>; stats: MeterStats } {
  const sections = readSections(wasm)
  const stats: MeterStats = { functions: 0, instructions: 0, chargePoints: 0 }
  const imports = sections.find((s) => s.id === SECTION_IMPORT)
  const firstGlobal = imports ? importedGlobals(imports.body) : 0
  const globals = sections.find((s) => s.id === SECTION_GLOBAL)
  const defined = globals ? vector(globals.body).count : 0
  const gasIndex = firstGlobal + defined
  const mutable = globals ? mutableGlobals(globals.body, firstGlobal) : []

  const gasGlobal = [0x7e, 0x01, 0x42, ...sleb64(UNLIMITED_GAS), 0x0b]
  const newGlobals = globals
    ? concat([uleb(defined + 1), vector(globals.body).rest, gasGlobal])
    : concat([uleb(1), gasGlobal])
  const added = [[GAS_EXPORT, gasIndex], ...mutable.map((i) => [GLOBAL_EXPORT_PREFIX + i, i] as const)] as const
  const exportBytes = added.map(([name, index]) => [...nameBytes(name as string), 0x03, ...uleb(index as number)])
  const exports = sections.find((s) => s.id === SECTION_EXPORT)
  const newExports = exports
    ? concat([uleb(vector(exports.body).count + added.length), vector(exports.body).rest, ...exportBytes])
    : concat([uleb(added.length), ...exportBytes])

  const out: Section[] = []
  const place = (id: number, body: Uint8Array) => {
    // Insert before the first non-custom section that must come after it.
    const at = out.findIndex((s) => s.id !== 0 && ORDER[s.id]! > ORDER[id]!)
    if (at < 0) out.push({ id, body })
    else out.splice(at, 0, { id, body })
  }
  for (const section of sections) {
    if (section.id === SECTION_GLOBAL) out.push({ id: section.id, body: newGlobals })
    else if (section.id === SECTION_EXPORT) out.push({ id: section.id, body: newExports })
    else if (section.id === SECTION_CODE) out.push({ id: section.id, body: meterCode(section.body, gasIndex, stats, loopsOnly) })
    else out.push(section)
  }
  if (!globals) place(SECTION_GLOBAL, newGlobals)
  if (!exports) place(SECTION_EXPORT, newExports)

  const parts: (Uint8Array | number[])[] = [wasm.subarray(0, 8)]
  for (const s of out) parts.push([s.id, ...uleb(s.body.length)], s.body)
  return { bytes: concat(parts), stats }
}
