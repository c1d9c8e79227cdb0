import { InvalidTagError, TagLimitError } from '../errors.js'
import type { Tag, TagsInput } from '../types.js'
import { MAX_TAG_NAME_BYTES, MAX_TAG_VALUE_BYTES, MAX_TAGS } from './limits.js'

/** Tags as aokit accepts them: a map or a list; values may be numbers, booleans or bigints too. */
export type NormalizeTagsParameters =
  | TagsInput
  | Record<string, unknown>
  | readonly { name: unknown; value: unknown }[]
  | undefined
export type NormalizeTagsReturnType = Tag[]

const encoder = new TextEncoder()

/** UTF-8 byte length (the limits are in bytes, not UTF-16 code units). */
export function byteLength(value: string): number {
  return encoder.encode(value).byteLength
}

export { quoteName } from '../errors.js'

/**
 * Turns a tag map or list into ANS-104 tags and checks the ANS-104 limits.
 *
 * Numbers, booleans and bigints are converted with `String()` (`1` → `"1"`, `true` → `"true"`,
 * `10n` → `"10"`): AO tag values are strings on the wire and aoconnect rejects non-strings (permaweb/ao#777).
 * Anything else (objects, arrays, `undefined`, `null`, functions, symbols) throws `InvalidTagError` rather
 * than being sent as `"[object Object]"` or `"undefined"`.
 *
 * @throws {TagLimitError} more than 128 tags, a name over 1024 bytes or a value over 3072 bytes.
 * @throws {InvalidTagError} an empty or non-string name, an empty value or a value of an unsupported type.
 */
export function normalizeTags(input: NormalizeTagsParameters): NormalizeTagsReturnType {
  if (input === undefined) return []
  if (input === null || typeof input !== 'object') {
    throw new InvalidTagError({ tags: input })
  }
  const entries: [unknown, unknown][] = Array.isArray(input)
    ? input.map((tag: unknown, index) => {
        if (tag === null || typeof tag !== 'object') {
          throw new InvalidTagError({ index, entry: tag })
        }
        const { name, value } = tag as { name?: unknown; value?: unknown }
        return [name, value]
      })
    : Object.entries(input)

  if (entries.length > MAX_TAGS) {
    throw new TagLimitError({ field: 'count', count: entries.length }, MAX_TAGS)
  }

  return entries.map(([name, value], index) => {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidTagError({ index, name, limit: MAX_TAG_NAME_BYTES })
    const nameBytes = byteLength(name)
    if (nameBytes > MAX_TAG_NAME_BYTES) {
      throw new TagLimitError({ field: 'name', name, bytes: nameBytes }, MAX_TAG_NAME_BYTES)
    }
    const text = toTagValue(name, value)
    if (text.length === 0) throw new InvalidTagError({ name, value: text, limit: MAX_TAG_VALUE_BYTES })
    const valueBytes = byteLength(text)
    if (valueBytes > MAX_TAG_VALUE_BYTES) {
      throw new TagLimitError({ field: 'value', name, bytes: valueBytes }, MAX_TAG_VALUE_BYTES)
    }
    return { name, value: text }
  })
}

function toTagValue(name: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value)
    default:
      throw new InvalidTagError({ name, value, limit: MAX_TAG_VALUE_BYTES })
  }
}
