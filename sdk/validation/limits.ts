// ANS-104 §2.1 limits, plus the bundler limit on encoded tags and aokit's own data bound.

/** At most this many tags per data item (ANS-104). */
export const MAX_TAGS = 128
/** A tag name is at most this many UTF-8 bytes (ANS-104). */
export const MAX_TAG_NAME_BYTES = 1024
/** A tag value is at most this many UTF-8 bytes (ANS-104). */
export const MAX_TAG_VALUE_BYTES = 3072
/** The Avro-encoded tag block is at most this many bytes: arbundles (and so bundlers) reject larger items. */
export const MAX_TAGS_ENCODED_BYTES = 4096
/** The anchor is a fixed 32-byte field on the wire (the target too: a 43-character id, checked as such). */
export const ANCHOR_BYTES = 32
/**
 * aokit refuses data over 10 MiB: the whole item is held in memory and signed in one pass, and AO messages are
 * small; larger payloads belong in an Arweave transaction referenced by id.
 */
export const MAX_DATA_BYTES = 10 * 1024 * 1024
