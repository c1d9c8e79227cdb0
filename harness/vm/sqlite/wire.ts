// The bytes lsqlite3.lua and the host exchange: Lua packs and unpacks them with string.pack/unpack (C speed),
// so integers stay 64-bit integers, floats stay floats, and strings keep every byte.
//   integer: "<i8"   float: "<d"   bytes: "<s4" (4-byte length, then the bytes)
//   value:   "n" | "i" integer | "f" float | "s" bytes (TEXT) | "b" bytes (BLOB) | "T" | "F" (booleans bind as 1/0)

/** A SQL value: NULL, INTEGER, REAL, TEXT (as its bytes), BLOB. */
export type SqlValue = null | bigint | number | { text: Uint8Array } | { blob: Uint8Array }

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Reads the host function's arguments in order: decimal integers, raw byte strings, packed values. */
export class Reader {
  private index = 0
  constructor(private readonly args: Uint8Array[]) {}
  next(): Uint8Array {
    const arg = this.args[this.index++]
    if (!arg) throw new Error('lsqlite3: missing argument')
    return arg
  }
  more(): boolean {
    return this.index < this.args.length
  }
  int(): number {
    return Number(decoder.decode(this.next()))
  }
  bytes(): Uint8Array {
    return this.next()
  }
  value(): SqlValue {
    const arg = this.next()
    const view = new DataView(arg.buffer, arg.byteOffset, arg.byteLength)
    switch (String.fromCharCode(arg[0] ?? 0)) {
      case 'n':
        return null
      case 'i':
        return view.getBigInt64(1, true)
      case 'f':
        return view.getFloat64(1, true)
      case 's':
        return { text: arg.subarray(1) }
      case 'b':
        return { blob: arg.subarray(1) }
      case 'T':
        return 1n
      case 'F':
        return 0n
      default:
        throw new Error('lsqlite3: bad value')
    }
  }
}

/** Builds the answer lsqlite3.lua unpacks. */
export class Writer {
  private readonly parts: Uint8Array[] = []
  private size = 0
  private push(part: Uint8Array): this {
    this.parts.push(part)
    this.size += part.length
    return this
  }
  private tag(char: string): this {
    return this.push(Uint8Array.of(char.charCodeAt(0)))
  }
  int(value: number | bigint): this {
    const part = new Uint8Array(8)
    new DataView(part.buffer).setBigInt64(0, BigInt(value), true)
    return this.push(part)
  }
  float(value: number): this {
    const part = new Uint8Array(8)
    new DataView(part.buffer).setFloat64(0, value, true)
    return this.push(part)
  }
  text(bytes: Uint8Array | string): this {
    const body = typeof bytes === 'string' ? encoder.encode(bytes) : bytes
    const length = new Uint8Array(4)
    new DataView(length.buffer).setUint32(0, body.length, true)
    return this.push(length).push(body)
  }
  value(value: SqlValue): this {
    if (value === null) return this.tag('n')
    if (typeof value === 'bigint') return this.tag('i').int(value)
    if (typeof value === 'number') return this.tag('f').float(value)
    if ('text' in value) return this.tag('s').text(value.text)
    return this.tag('b').text(value.blob)
  }
  /** Everything another writer holds, in order. */
  append(other: Writer): this {
    for (const part of other.parts) this.push(part)
    return this
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size)
    let offset = 0
    for (const part of this.parts) {
      out.set(part, offset)
      offset += part.length
    }
    return out
  }
}
