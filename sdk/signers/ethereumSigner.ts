import { computeAddress, getBytes, hashMessage, SigningKey, type BaseWallet } from 'ethers'
import { SignerError } from '../errors.js'
import type { Signer } from '../types.js'

/** A 32-byte hex private key (with or without 0x) or an ethers v6 wallet. */
export type EthereumSignerParameters = string | BaseWallet
export type EthereumSignerReturnType = Signer

/**
 * Signs with a secp256k1 key: ANS-104 type 3. The owner is the 65-byte uncompressed public key; the signature
 * is the 65-byte EIP-191 `personal_sign` (r ‖ s ‖ v, v = 27/28) over the 48 deep-hash bytes, exactly what
 * arbundles' EthereumSigner produces (`wallet.signMessage(bytes)`). The address is EIP-55 checksummed.
 *
 * @throws {SignerError} the key is not a valid 32-byte secp256k1 private key.
 */
export function ethereumSigner(key: EthereumSignerParameters): EthereumSignerReturnType {
  let signingKey: SigningKey
  try {
    signingKey =
      typeof key === 'string' ? new SigningKey(key.startsWith('0x') ? key : `0x${key}`) : key.signingKey
  } catch (cause) {
    throw new SignerError({ ethereumKey: 'not-32-bytes-hex' }, { cause })
  }
  const publicKey = getBytes(signingKey.publicKey) // 0x04 ‖ x ‖ y
  return {
    type: 3,
    publicKey,
    address: publicKeyToEthereumAddress(publicKey),
    async sign(message) {
      return getBytes(signingKey.sign(hashMessage(message)).serialized)
    },
  }
}

/** EIP-55 address of a secp256k1 public key: keccak256(key without 0x04)[12..], checksummed. */
export function publicKeyToEthereumAddress(publicKey: Uint8Array): string {
  return computeAddress(SigningKey.computePublicKey(publicKey, false))
}
