// Reads Lua 5.4 bytecode (string.dump, as hex) for coverage: every function of a chunk, nested ones included,
// with the lines it can report to a line hook, and the key that names its code. The layout is lundump.c's.
//
// Why bytecode: which lines are executable is only known to the compiler (debug.getinfo's activelines gives them
// for one function, and a chunk's nested functions cannot be reached without running it). A dump holds every
// prototype. And a function's bytes after its source name are the same in its chunk's dump as in a dump of the
// function alone, so they also tell which file a function seen running came from.

/** A function of a chunk: its key, and the lines a line hook can report for it. */
export type BytecodeFunction = { key: string; lines: number[] }

const HEADER = 31 // signature, version, format, LUAC_DATA, three sizes, LUAC_INT, LUAC_NUM
const ABSLINEINFO = -0x80

class Reader {
  pos = 0
  constructor(readonly bytes: Buffer) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('Lua bytecode ends early')
    return this.bytes[this.pos++]!
  }

  /** lundump's loadSize: 7 bits a byte, most significant first, the last byte marked by its high bit. */
  size(): number {
    let value = 0
    for (;;) {
      const b = this.byte()
      value = value * 128 + (b & 0x7f)
      if (b & 0x80) return value
    }
  }

  skip(count: number): void {
    this.pos += count
    if (this.pos > this.bytes.length) throw new Error('Lua bytecode ends early')
  }

  string(): void {
    const size = this.size()
    if (size > 0) this.skip(size - 1)
  }
}

function fromHex(hex: string): Buffer {
  const bytes = Buffer.from(hex, 'hex')
  if (bytes.length * 2 !== hex.length || bytes.subarray(0, 5).toString('latin1') !== '\x1bLua\x54') {
    throw new Error('not a Lua 5.4 bytecode dump')
  }
  return bytes
}

/** Every function of a dumped chunk (the hex of string.dump of its main function), in dump order. */
export function chunkFunctions(hex: string): BytecodeFunction[] {
  const reader = new Reader(fromHex(hex))
  reader.skip(HEADER + 1) // and the main function's upvalue count
  const out: BytecodeFunction[] = []
  readFunction(reader, hex, out)
  return out
}

/** The key of a function dumped on its own: the same as its entry in its chunk's chunkFunctions. */
export function functionKey(hex: string): string {
  const reader = new Reader(fromHex(hex))
  reader.skip(HEADER + 1)
  reader.string()
  return hex.slice(reader.pos * 2)
}

function readFunction(r: Reader, hex: string, out: BytecodeFunction[]): void {
  r.string() // source: the chunk name at the top, none for a nested function (it shares its parent's)
  const start = r.pos
  const lineDefined = r.size()
  r.size() // lastlinedefined
  r.skip(1) // numparams
  const isVararg = r.byte() !== 0
  r.skip(1) // maxstacksize
  r.skip(4 * r.size()) // code
  const constants = r.size()
  for (let i = 0; i < constants; i++) {
    const type = r.byte()
    if (type === 0x03 || type === 0x13) r.skip(8) // integer, float
    else if (type === 0x04 || type === 0x14) r.string()
    else if (type !== 0x00 && type !== 0x01 && type !== 0x11) throw new Error(`unknown Lua constant type ${type}`)
  }
  r.skip(3 * r.size()) // upvalues: instack, idx, kind
  const entry: BytecodeFunction = { key: '', lines: [] }
  out.push(entry)
  const children = r.size()
  for (let i = 0; i < children; i++) readFunction(r, hex, out)
  const lineInfo = r.size()
  const deltas = r.bytes.subarray(r.pos, r.pos + lineInfo)
  r.skip(lineInfo)
  const absolute = new Map<number, number>()
  for (let i = r.size(); i > 0; i--) {
    const pc = r.size()
    absolute.set(pc, r.size())
  }
  for (let i = r.size(); i > 0; i--) {
    r.string()
    r.size()
    r.size()
  }
  for (let i = r.size(); i > 0; i--) r.string()
  entry.key = hex.slice(start * 2, r.pos * 2)
  entry.lines = activeLines(lineDefined, isVararg, deltas, absolute)
}

/**
 * The lines of a function's instructions, as debug.getinfo's activelines (ldebug.c collectvalidlines): a vararg
 * function's first instruction (VARARGPREP) reports none. Left out as well: the line of the implicit `return` the
 * compiler puts at a function's `end`, when no other instruction is on it; after an explicit return it never runs,
 * so counting it would show a fully tested function as missing its `end`.
 */
function activeLines(lineDefined: number, isVararg: boolean, deltas: Buffer, absolute: Map<number, number>): number[] {
  const lineAt: number[] = []
  let line = lineDefined
  for (let pc = 0; pc < deltas.length; pc++) {
    const delta = deltas.readInt8(pc)
    line = delta === ABSLINEINFO ? absolute.get(pc)! : line + delta
    lineAt.push(line)
  }
  const last = lineAt.length - 1
  const lines = new Set<number>()
  for (let pc = isVararg ? 1 : 0; pc < last; pc++) lines.add(lineAt[pc]!)
  return [...lines].sort((a, b) => a - b)
}
