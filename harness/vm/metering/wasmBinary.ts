// Reading and writing WebAssembly 1.0 binaries, as much as aokit's module passes (gas metering, the stack
// watermark, the initial memory) need: sections, LEB128 numbers, and a decoder that steps over every instruction.
import { AokitError } from '../../../sdk/errors.js'

/** A module that these passes cannot read (an unknown opcode, a truncated section). */
export class MeteringError extends AokitError {
  override name = 'MeteringError'
}

export const SECTION_IMPORT = 2
export const SECTION_MEMORY = 5
export const SECTION_GLOBAL = 6
export const SECTION_EXPORT = 7
export const SECTION_CODE = 10
/** Where a section sits in the required order (the tag section, 13, goes between memory and global). */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 }


export class Reader {
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

export function uleb(value: number): number[] {
  const out: number[] = []
  do {
    let b = value % 128
    value = Math.floor(value / 128)
    if (value) b |= 0x80
    out.push(b)
  } while (value)
  return out
}

export function sleb64(value: bigint): number[] {
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

export function nameBytes(name: string): number[] {
  const bytes = new TextEncoder().encode(name)
  return [...uleb(bytes.length), ...bytes]
}


export type Section = { id: number; body: Uint8Array }

export function readSections(bytes: Uint8Array): Section[] {
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
export function vector(body: Uint8Array): { count: number; rest: Uint8Array } {
  const reader = new Reader(body)
  const count = reader.u32()
  return { count, rest: body.subarray(reader.pos) }
}

/** How many functions and globals a module imports: they come first in their index spaces. */
export function importCounts(body: Uint8Array): { functions: number; globals: number } {
  const reader = new Reader(body)
  const counts = { functions: 0, globals: 0 }
  for (let count = reader.u32(); count > 0; count--) {
    reader.name()
    reader.name()
    const kind = reader.byte()
    if (kind === 0) {
      reader.u32() // function: type index
      counts.functions++
    } else if (kind === 1) {
      reader.byte() // table: reftype, limits
      limits(reader)
    } else if (kind === 2) limits(reader)
    else if (kind === 3) {
      reader.skip(2) // global: value type, mutability
      counts.globals++
    } else if (kind === 4) {
      reader.byte()
      reader.u32()
    } else throw new MeteringError(`unknown import kind ${kind}`)
  }
  return counts
}

/** Imported globals come first in the global index space. */
export function importedGlobals(body: Uint8Array): number {
  return importCounts(body).globals
}

export function limits(reader: Reader): void {
  const flags = reader.byte()
  reader.u32()
  if (flags & 1) reader.u32()
}

/** Skips a constant expression up to and including its `end`. */
export function skipConstExpr(reader: Reader): void {
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
export function mutableGlobals(body: Uint8Array, firstIndex: number): number[] {
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



export function skipBlockType(reader: Reader): void {
  // 0x40 (empty) or a one-byte value type; anything else is an s33 type index.
  if (BLOCK_TYPE_BYTES.has(reader.bytes[reader.pos]!)) reader.pos++
  else reader.leb()
}

const BLOCK_TYPE_BYTES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f])

export function skipMemarg(reader: Reader): void {
  const align = reader.u32()
  if (align & 0x40) throw new MeteringError('multi-memory memarg is not supported')
  reader.u32()
}

/**
 * Decodes one instruction at the reader's position, leaving it after the instruction; returns the opcode with
 * 0xFC-prefixed ones as 0xFC00 + sub-opcode. Throws MeteringError on any opcode this pass does not know.
 */
export function skipInstruction(reader: Reader): number {
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



export function concat(parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const length = parts.reduce((sum, p) => sum + p.length, 0)
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Imported functions come first in the function index space: their count maps a function index to its body. */
export function importedFunctions(body: Uint8Array): number {
  return importCounts(body).functions
}

/** The index of the function a module exports as `name`, or undefined. */
export function exportedFunction(body: Uint8Array, name: string): number | undefined {
  const reader = new Reader(body)
  for (let count = reader.u32(); count > 0; count--) {
    const exported = reader.name()
    const kind = reader.byte()
    const index = reader.u32()
    if (kind === 0 && exported === name) return index
  }
  return undefined
}

/** The bodies of a code section, each as it sits in the section (locals declarations included). */
export function codeBodies(body: Uint8Array): Uint8Array[] {
  const reader = new Reader(body)
  const bodies: Uint8Array[] = []
  for (let count = reader.u32(); count > 0; count--) {
    const size = reader.u32()
    const start = reader.pos
    reader.skip(size)
    bodies.push(body.subarray(start, start + size))
  }
  return bodies
}

/** A code section from its (rewritten) bodies. */
export function codeSection(bodies: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return concat([uleb(bodies.length), ...bodies.flatMap((b) => [uleb(b.length), b])])
}

/** Steps over a body's locals declarations; the reader is left at its first instruction. */
export function skipLocals(reader: Reader): void {
  for (let groups = reader.u32(); groups > 0; groups--) {
    reader.u32()
    reader.byte()
  }
}

/**
 * Appends one global (`type` and `init`: its value type, mutability and constant expression bytes) and exports it
 * as `name`; returns the sections and the new global's index. No existing index moves.
 */
export function appendGlobal(sections: Section[], global: number[], name: string): { sections: Section[]; index: number } {
  const imports = sections.find((s) => s.id === SECTION_IMPORT)
  const globals = sections.find((s) => s.id === SECTION_GLOBAL)
  const defined = globals ? vector(globals.body).count : 0
  const index = (imports ? importedGlobals(imports.body) : 0) + defined
  const newGlobals = concat([uleb(defined + 1), globals ? vector(globals.body).rest : [], global])
  return { sections: appendExports(replaceSection(sections, SECTION_GLOBAL, newGlobals), [[name, 0x03, index]]), index }
}

/** Adds exports (name, kind, index) after the module's own. */
export function appendExports(sections: Section[], added: (readonly [string, number, number])[]): Section[] {
  const exports = sections.find((s) => s.id === SECTION_EXPORT)
  const bytes = added.map(([name, kind, index]) => [...nameBytes(name), kind, ...uleb(index)])
  const count = (exports ? vector(exports.body).count : 0) + added.length
  return replaceSection(sections, SECTION_EXPORT, concat([uleb(count), exports ? vector(exports.body).rest : [], ...bytes]))
}

/** The sections with the one of `id` replaced by `body` (or inserted where the order requires). */
export function replaceSection(sections: Section[], id: number, body: Uint8Array): Section[] {
  const out = sections.map((s) => (s.id === id ? { id, body } : s))
  if (out.some((s) => s.id === id)) return out
  // Insert before the first non-custom section that must come after it.
  const at = out.findIndex((s) => s.id !== 0 && ORDER[s.id]! > ORDER[id]!)
  out.splice(at < 0 ? out.length : at, 0, { id, body })
  return out
}

/** A module's bytes from its sections. */
export function writeModule(sections: Section[]): Uint8Array<ArrayBuffer> {
  const parts: (Uint8Array | number[])[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]]
  for (const s of sections) parts.push([s.id, ...uleb(s.body.length)], s.body)
  return concat(parts)
}

/** The module with its memory's initial size set to `pages` (64 KiB each); its maximum stays. */
export function setInitialMemory(wasm: Uint8Array, pages: number): Uint8Array<ArrayBuffer> {
  const sections = readSections(wasm)
  const memory = sections.find((s) => s.id === SECTION_MEMORY)
  if (!memory) throw new MeteringError('the module defines no memory')
  const reader = new Reader(memory.body)
  if (reader.u32() !== 1) throw new MeteringError('the module defines more than one memory')
  const flags = reader.byte()
  reader.u32()
  const rest = memory.body.subarray(reader.pos)
  return writeModule(replaceSection(sections, SECTION_MEMORY, concat([[1, flags], uleb(pages), rest])))
}
