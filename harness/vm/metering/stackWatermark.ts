// The C stack's low-water mark. After every write of the stack pointer the module keeps the lowest value it has
// held in an exported global, so the host knows how far down finished calls left frames behind. Zeroing that much
// at each quiet point keeps the dead part of the stack all zero, and checkpoints need not compare or copy it
// (it is most of a fresh process's memory). Like the gas pass, this only inserts code and appends one global.
import {
  MeteringError,
  Reader,
  SECTION_CODE,
  SECTION_EXPORT,
  SECTION_IMPORT,
  appendGlobal,
  codeBodies,
  codeSection,
  concat,
  exportedFunction,
  importedFunctions,
  readSections,
  skipInstruction,
  skipLocals,
  uleb,
  writeModule,
  type Section,
} from './wasmBinary.js'

/** The export naming the low-water global (an i32; -1, the largest unsigned value, until the pointer moves). */
export const STACK_LOW_EXPORT = 'aokit_stack_low'

/** Returns `wasm` with the stack pointer's low-water mark kept in the global exported as STACK_LOW_EXPORT. */
export function watchStack(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = readSections(wasm)
  const sp = stackPointer(sections)
  const low = appendGlobal(sections, [0x7f, 0x01, 0x41, 0x7f, 0x0b], STACK_LOW_EXPORT)
  // if (sp <u low) low = sp
  const track = [0x23, ...uleb(sp), 0x23, ...uleb(low.index), 0x49, 0x04, 0x40, 0x23, ...uleb(sp), 0x24, ...uleb(low.index), 0x0b]
  return writeModule(
    low.sections.map((s) => (s.id === SECTION_CODE ? { id: s.id, body: codeSection(codeBodies(s.body).map((body) => afterStackWrites(body, sp, track))) } : s)),
  )
}

/** `body` with `track` inserted after every `global.set` of the stack pointer. */
function afterStackWrites(body: Uint8Array, sp: number, track: number[]): Uint8Array {
  const reader = new Reader(body)
  skipLocals(reader)
  const parts: (Uint8Array | number[])[] = []
  let copied = 0
  while (reader.pos < body.length) {
    const at = reader.pos
    if (skipInstruction(reader) !== 0x24 || new Reader(body, at + 1).u32() !== sp) continue
    parts.push(body.subarray(copied, reader.pos), track)
    copied = reader.pos
  }
  if (copied === 0) return body
  parts.push(body.subarray(copied))
  return concat(parts)
}

/**
 * The stack pointer global: the one emscripten's `stackSave` export returns (its body ends `global.get N; end`,
 * after the gas charge when the module is metered).
 */
function stackPointer(sections: Section[]): number {
  const exports = sections.find((s) => s.id === SECTION_EXPORT)
  const code = sections.find((s) => s.id === SECTION_CODE)
  const imports = sections.find((s) => s.id === SECTION_IMPORT)
  const index = exports && exportedFunction(exports.body, 'stackSave')
  const body = index !== undefined && code ? codeBodies(code.body)[index - (imports ? importedFunctions(imports.body) : 0)] : undefined
  if (body) {
    const reader = new Reader(body)
    skipLocals(reader)
    let last = -1
    let lastAt = 0
    while (reader.pos < body.length) {
      const at = reader.pos
      const op = skipInstruction(reader)
      if (reader.pos === body.length && op === 0x0b && last === 0x23) return new Reader(body, lastAt + 1).u32()
      last = op
      lastAt = at
    }
  }
  throw new MeteringError('the module has no stackSave export reading the stack pointer global')
}
