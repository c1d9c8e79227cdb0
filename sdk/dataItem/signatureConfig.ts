import type { SignatureType } from '../types.js'

/** Byte lengths of the signature and owner fields per ANS-104 signature type. */
export const SIGNATURE_CONFIG: Record<SignatureType, { signatureLength: number; ownerLength: number }> = {
  1: { signatureLength: 512, ownerLength: 512 }, // Arweave RSA-PSS 4096
  3: { signatureLength: 65, ownerLength: 65 }, // Ethereum secp256k1, uncompressed key
}

export function isSignatureType(value: number): value is SignatureType {
  return value === 1 || value === 3
}
