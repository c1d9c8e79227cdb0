import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidDataItemError } from '../errors.js'
import type { SignatureType, SignedDataItem, Tag } from '../types.js'
import { toBase64Url } from './base64url.js'
import { deserializeTags } from './serializeTags.js'
import { isSignatureType, SIGNATURE_CONFIG } from './signatureConfig.js'

export type ParseDataItemReturnType = SignedDataItem & {
  signatureType: SignatureType
  signature: Uint8Array
  ownerBytes: Uint8Array
  /** The raw target/anchor fields (empty when absent), as the deep-hash takes them. */
  rawTarget: Uint8Array
  rawAnchor: Uint8Array
  rawTags: Uint8Array
}

const decoder = new TextDecoder()

function readU64(bytes: Uint8Array, offset: number): number {
  let n = 0
  for (let i = 7; i >= 0; i--) n = n * 256 + bytes[offset + i]!
  return n
}

/**
 * Reads a signed ANS-104 data item (aokit's or one a wallet extension returned). Checks the layout, not the
 * signature. Only signature types 1 and 3 are supported.
 *
 * @throws {InvalidDataItemError} truncated bytes, an unknown signature type or tag bytes that do not decode.
 */
export function parseDataItem(raw: Uint8Array): ParseDataItemReturnType {
  const fail = (why: string): never => {
    throw new InvalidDataItemError(`Data item is invalid: ${why}.`)
  }
  if (raw.byteLength < 2) fail('fewer than 2 bytes')
  const type = raw[0]! | (raw[1]! << 8)
  if (!isSignatureType(type)) return fail(`signature type ${type} is not supported (expected 1 or 3)`)
  const { signatureLength, ownerLength } = SIGNATURE_CONFIG[type]
  let pos = 2
  const take = (length: number, field: string): Uint8Array => {
    if (pos + length > raw.byteLength) fail(`${field} runs past the end (${raw.byteLength} bytes)`)
    const out = raw.subarray(pos, pos + length)
    pos += length
    return out
  }
  const signature = take(signatureLength, 'signature')
  const ownerBytes = take(ownerLength, 'owner')
  const optional = (field: string): Uint8Array => {
    const present = take(1, `${field} presence byte`)[0]
    if (present === 0) return new Uint8Array(0)
    if (present !== 1) fail(`${field} presence byte is ${present}`)
    return take(32, field)
  }
  const rawTarget = optional('target')
  const rawAnchor = optional('anchor')
  const tagCount = readU64(take(8, 'tag count'), 0)
  const tagBytesLength = readU64(take(8, 'tag bytes length'), 0)
  const rawTags = take(tagBytesLength, 'tags')
  let tags: Tag[] = []
  try {
    tags = deserializeTags(rawTags)
  } catch (cause) {
    fail(`tags do not decode (${(cause as Error).message})`)
  }
  if (tags.length !== tagCount) fail(`tag count says ${tagCount} but ${tags.length} tags decode`)
  const data = raw.subarray(pos)
  return {
    id: toBase64Url(sha256(signature)),
    raw,
    owner: toBase64Url(ownerBytes),
    ...(rawTarget.length ? { target: toBase64Url(rawTarget) } : {}),
    ...(rawAnchor.length ? { anchor: decoder.decode(rawAnchor) } : {}),
    tags,
    data,
    signatureType: type,
    signature,
    ownerBytes,
    rawTarget,
    rawAnchor,
    rawTags,
  }
}
