import { sha384 } from '@noble/hashes/sha2.js'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'

/** A deep-hash input: bytes, or a list of inputs. */
export type DeepHashChunk = Uint8Array | readonly DeepHashChunk[]

/**
 * Arweave's deep-hash (SHA-384), as arbundles and arweave-js define it:
 * blob → sha384(sha384("blob" + len) ‖ sha384(bytes));
 * list → fold acc = sha384(acc ‖ deepHash(item)) starting from sha384("list" + count).
 * Synchronous (noble) so the same code runs in Node and browsers.
 */
export function deepHash(chunk: DeepHashChunk): Uint8Array {
  if (chunk instanceof Uint8Array) {
    const tag = sha384(utf8ToBytes(`blob${chunk.byteLength}`))
    return sha384(concatBytes(tag, sha384(chunk)))
  }
  let acc = sha384(utf8ToBytes(`list${chunk.length}`))
  for (const item of chunk) acc = sha384(concatBytes(acc, deepHash(item)))
  return acc
}
