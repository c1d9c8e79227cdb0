// base64url without padding, as Arweave ids and owners are written. No Buffer: the SDK runs in browsers.
import { InvalidEncodingError } from '../errors.js'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const lookup = new Map([...alphabet].map((char, index) => [char, index]))

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6))
    for (let j = 0; j < chars; j++) out += alphabet[(n >> (18 - 6 * j)) & 63]
  }
  return out
}

/**
 * Decodes base64url (padding and standard base64 `+/` are tolerated).
 *
 * @param field what the text is (e.g. `owner`), for the error.
 * @throws {InvalidEncodingError} a character outside the alphabet, or a length no bytes encode to.
 */
export function fromBase64Url(text: string, field = 'value'): Uint8Array {
  const clean = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  if (clean.length % 4 === 1) throw new InvalidEncodingError(field, `${text.length} characters encode no whole bytes`)
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8))
  let bits = 0
  let acc = 0
  let pos = 0
  for (const char of clean) {
    const value = lookup.get(char)
    if (value === undefined) throw new InvalidEncodingError(field, `character ${JSON.stringify(char)}`)
    acc = (acc << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[pos++] = (acc >> bits) & 0xff
    }
  }
  return out
}
