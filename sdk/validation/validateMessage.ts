import { DataSizeError, InvalidAnchorError, InvalidTargetError, TagLimitError } from '../errors.js'
import { serializeTags } from '../dataItem/serializeTags.js'
import type { Tag } from '../types.js'
import { ANCHOR_BYTES, MAX_DATA_BYTES, MAX_TAGS_ENCODED_BYTES } from './limits.js'
import { byteLength, normalizeTags, type NormalizeTagsParameters } from './normalizeTags.js'

export type ValidateMessageParameters = {
  /** The process (or wallet) the message is for: a 43-character base64url id. */
  target?: string
  /** Exactly 32 bytes (UTF-8) when present. */
  anchor?: string
  tags?: NormalizeTagsParameters
  /** A string is sent as its UTF-8 bytes. At most 10 MiB. */
  data?: string | Uint8Array
}

/** The message as it will be signed: tags normalized, data as bytes. */
export type ValidateMessageReturnType = {
  target?: string
  anchor?: string
  tags: Tag[]
  data: Uint8Array
}

// 43 characters carry 258 bits; the last character's 2 spare bits must be zero, or the id would silently
// decode to a different 32-byte target than the one the caller wrote.
const ID_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

/** Whether `value` is a canonical Arweave/AO id: 43 base64url characters encoding 32 bytes. */
export function isArweaveId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value)
}

/**
 * Checks a message against ANS-104 and aokit limits before anything is signed, so a bad message fails
 * here with a typed error naming the field and the limit instead of at the MU or silently in the process.
 *
 * @throws {TagLimitError | InvalidTagError} see `normalizeTags`; also when the encoded tags exceed 4096 bytes.
 * @throws {InvalidTargetError} target is not a 43-character base64url id.
 * @throws {InvalidAnchorError} anchor is not exactly 32 bytes.
 * @throws {DataSizeError} data is over 10 MiB (`MAX_DATA_BYTES`) or not a string / Uint8Array.
 */
export function validateMessage(parameters: ValidateMessageParameters): ValidateMessageReturnType {
  const { target, anchor } = parameters
  if (target !== undefined && !isArweaveId(target)) {
    throw new InvalidTargetError({ target })
  }
  if (anchor !== undefined) {
    if (typeof anchor !== 'string') {
      throw new InvalidAnchorError({ type: typeof anchor }, ANCHOR_BYTES)
    }
    const anchorBytes = byteLength(anchor)
    // The wire field is fixed-size: a longer anchor cannot be encoded, a shorter one would be zero-padded
    // (changing its value), so arbundles and bundlers require exactly 32 bytes.
    if (anchorBytes > ANCHOR_BYTES) {
      throw new InvalidAnchorError({ bytes: anchorBytes }, ANCHOR_BYTES)
    }
    if (anchorBytes < ANCHOR_BYTES) {
      throw new InvalidAnchorError({ bytes: anchorBytes }, ANCHOR_BYTES)
    }
  }

  const tags = normalizeTags(parameters.tags)
  const encoded = serializeTags(tags).byteLength
  if (encoded > MAX_TAGS_ENCODED_BYTES) {
    throw new TagLimitError({ field: 'encoded', bytes: encoded }, MAX_TAGS_ENCODED_BYTES)
  }

  const data = toDataBytes(parameters.data)
  if (data.byteLength > MAX_DATA_BYTES) {
    throw new DataSizeError({ bytes: data.byteLength, limit: MAX_DATA_BYTES })
  }

  return {
    ...(target !== undefined ? { target } : {}),
    ...(anchor !== undefined ? { anchor } : {}),
    tags,
    data,
  }
}

function toDataBytes(data: unknown): Uint8Array {
  if (data === undefined) return new Uint8Array(0)
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  throw new DataSizeError({ type: data === null ? 'null' : typeof data })
}
