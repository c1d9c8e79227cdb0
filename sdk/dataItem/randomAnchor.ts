import { toBase64Url } from './base64url.js'

/**
 * 32 random characters for a data item's anchor. Ethereum signatures are deterministic, so two identical
 * messages from one key would otherwise share an id and the second would be taken for a resend of the first.
 */
export function randomAnchor(): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(24)))
}
