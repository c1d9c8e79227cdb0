// Test keys: one Arweave JWK per test run (RSA-4096 generation is slow) and a fixed Ethereum key.
import Arweave from 'arweave'
import type { JWKInterface } from 'arweave/node/lib/wallet.js'

export const arweave = Arweave.init({})

let jwk: Promise<JWKInterface> | undefined
/** The run's Arweave JWK, generated once and shared by every test file. */
export function testJwk(): Promise<JWKInterface> {
  return (jwk ??= arweave.wallets.generate())
}

/** A fixed secp256k1 private key (deterministic tests). */
export const ETH_PRIVATE_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
