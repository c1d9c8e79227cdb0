import { sha256 } from '@noble/hashes/sha2.js'
import { SignerError } from '../errors.js'
import { fromBase64Url, toBase64Url } from '../dataItem/base64url.js'
import type { Signer } from '../types.js'

/** An Arweave RSA JWK (the keyfile format): private fields are needed to sign. */
export type ArweaveJwk = {
  kty: string
  n: string
  e: string
  d?: string
  p?: string
  q?: string
  dp?: string
  dq?: string
  qi?: string
}
export type ArweaveSignerParameters = ArweaveJwk
export type ArweaveSignerReturnType = Signer

/**
 * Signs with an Arweave keyfile: ANS-104 type 1, RSA-PSS SHA-256 with a 32-byte salt (as arweave-js and
 * arbundles do). Uses WebCrypto (`globalThis.crypto.subtle`), so it works in Node 20 and browsers alike.
 *
 * @throws {SignerError} the JWK is not a 4096-bit RSA private key.
 */
export function arweaveSigner(jwk: ArweaveSignerParameters): ArweaveSignerReturnType {
  if (!jwk || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || !jwk.d) {
    throw new SignerError({ arweaveJwk: 'not-rsa-private' })
  }
  const publicKey = fromBase64Url(jwk.n)
  if (publicKey.byteLength !== 512) {
    throw new SignerError({ arweaveJwk: 'modulus', bytes: publicKey.byteLength, expected: 512 })
  }
  let key: Promise<CryptoKey> | undefined
  const importKey = () =>
    (key ??= globalThis.crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi, ext: true },
      { name: 'RSA-PSS', hash: { name: 'SHA-256' } },
      false,
      ['sign'],
    ))
  return {
    type: 1,
    publicKey,
    address: toBase64Url(sha256(publicKey)),
    async sign(message) {
      const signature = await globalThis.crypto.subtle.sign(
        { name: 'RSA-PSS', saltLength: 32 },
        await importKey(),
        message as Uint8Array<ArrayBuffer>,
      )
      return new Uint8Array(signature)
    },
  }
}
