import { InvalidDataItemError } from '../errors.js'
import type { Tag } from '../types.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

// Avro long: zig-zag then 7-bit little-endian varint. Tag counts and lengths are small, so plain numbers do.
function writeLong(out: number[], n: number): void {
  let m = n >= 0 ? n * 2 : -n * 2 - 1
  do {
    let byte = m % 128
    m = Math.floor(m / 128)
    if (m > 0) byte |= 0x80
    out.push(byte)
  } while (m > 0)
}

/**
 * Encodes tags as ANS-104 does: an Avro array of `{name: string, value: string}` records in one block,
 * then the 0 terminator. No tags encode to zero bytes (not to a lone terminator), matching arbundles.
 */
export function serializeTags(tags: readonly Tag[]): Uint8Array {
  if (tags.length === 0) return new Uint8Array(0)
  const out: number[] = []
  writeLong(out, tags.length)
  for (const { name, value } of tags) {
    for (const text of [name, value]) {
      const bytes = encoder.encode(text)
      writeLong(out, bytes.byteLength)
      for (const b of bytes) out.push(b)
    }
  }
  writeLong(out, 0)
  return Uint8Array.from(out)
}

/** Decodes an Avro tag block (also accepts negative block counts with a byte size, as Avro allows). */
export function deserializeTags(bytes: Uint8Array): Tag[] {
  let pos = 0
  const readLong = (): number => {
    let result = 0
    let scale = 1
    let byte: number
    do {
      if (pos >= bytes.length) throw new InvalidDataItemError('tags: the bytes end inside a number.')
      byte = bytes[pos++]!
      result += (byte & 0x7f) * scale
      scale *= 128
    } while (byte & 0x80)
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2
  }
  const readString = (): string => {
    const length = readLong()
    if (length < 0 || pos + length > bytes.length) throw new InvalidDataItemError(`tags: a string of ${length} bytes runs past the end of the tag bytes.`)
    const text = decoder.decode(bytes.subarray(pos, pos + length))
    pos += length
    return text
  }
  const tags: Tag[] = []
  if (bytes.length === 0) return tags
  for (let count = readLong(); count !== 0; count = readLong()) {
    if (count < 0) {
      count = -count
      readLong() // block size in bytes, not needed
    }
    for (let i = 0; i < count; i++) tags.push({ name: readString(), value: readString() })
  }
  return tags
}
