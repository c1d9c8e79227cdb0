import { utf8ToBytes } from '@noble/hashes/utils.js'
import type { SignatureType } from '../types.js'
import { deepHash } from './deepHash.js'

export type GetSignatureDataParameters = {
  signatureType: SignatureType
  owner: Uint8Array
  /** Raw 32 bytes, or empty when absent. */
  target: Uint8Array
  /** Raw 32 bytes, or empty when absent. */
  anchor: Uint8Array
  rawTags: Uint8Array
  data: Uint8Array
}

/** The 48 bytes an ANS-104 signer signs: deep-hash of ["dataitem", "1", type, owner, target, anchor, tags, data]. */
export function getSignatureData(p: GetSignatureDataParameters): Uint8Array {
  return deepHash([
    utf8ToBytes('dataitem'),
    utf8ToBytes('1'),
    utf8ToBytes(String(p.signatureType)),
    p.owner,
    p.target,
    p.anchor,
    p.rawTags,
    p.data,
  ])
}
