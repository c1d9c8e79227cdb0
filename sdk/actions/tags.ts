// Tag lists as aoconnect builds them: the user's tags first, then the protocol tags (specs/ao-wire.md).
import type { Tag, TagsInput } from '../types.js'

export const SDK_NAME = 'aokit'

/** A list of tags from a map or a list; values must already be strings (ANS-104 has no other type). */
export function toTagList(tags: TagsInput | undefined): Tag[] {
  if (!tags) return []
  return Array.isArray(tags) ? tags.map((tag) => ({ name: tag.name, value: tag.value })) : Object.entries(tags).map(([name, value]) => ({ name, value }))
}

/** User tags + Content-Type (when there is no data, as aoconnect does) + SDK, Data-Protocol, Variant, Type. */
export function protocolTags(tags: TagsInput | undefined, type: 'Message' | 'Process', hasData: boolean): Tag[] {
  return [
    ...toTagList(tags),
    ...(hasData ? [] : [{ name: 'Content-Type', value: 'text/plain' }]),
    { name: 'SDK', value: SDK_NAME },
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: type },
  ]
}
