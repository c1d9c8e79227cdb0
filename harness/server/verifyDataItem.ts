// Checks a raw ANS-104 data item the way a messenger unit must before accepting it: the layout parses, the
// limits hold, and the signature is the owner's. Returns the item with its signer's address.
import { createPublicKey, createHash, verify as rsaVerify, constants } from 'node:crypto'
import { hashMessage, SigningKey, hexlify } from 'ethers'
import { getSignatureData, parseDataItem, toBase64Url, type ParseDataItemReturnType } from '../../sdk/dataItem/index.js'
import { publicKeyToEthereumAddress } from '../../sdk/signers/ethereumSigner.js'
import { MAX_DATA_BYTES, MAX_TAG_NAME_BYTES, MAX_TAG_VALUE_BYTES, MAX_TAGS } from '../../sdk/validation/limits.js'
import { BadRequestError } from './errors.js'

export type VerifiedDataItem = ParseDataItemReturnType & {
  /** Arweave: base64url(sha256(modulus)). Ethereum: the EIP-55 address. What the process sees as From/Owner. */
  address: string
}

const encoder = new TextEncoder()

/** @throws {BadRequestError} naming the field: layout, a limit, or a signature that does not verify. */
export function verifyDataItem(raw: Uint8Array): VerifiedDataItem {
  if (raw.byteLength > MAX_DATA_BYTES + 8192) {
    throw new BadRequestError('item-too-large', `Data item is ${raw.byteLength} bytes; the limit is ${MAX_DATA_BYTES} bytes of data`)
  }
  let item: ParseDataItemReturnType
  try {
    item = parseDataItem(raw)
  } catch (cause) {
    throw new BadRequestError('malformed-item', (cause as Error).message)
  }
  checkLimits(item)
  const signed = getSignatureData({
    signatureType: item.signatureType,
    owner: item.ownerBytes,
    target: item.rawTarget,
    anchor: item.rawAnchor,
    rawTags: item.rawTags,
    data: item.data,
  })
  if (item.signatureType === 1) {
    const key = createPublicKey({ key: { kty: 'RSA', n: toBase64Url(item.ownerBytes), e: 'AQAB' }, format: 'jwk' })
    // Any salt length: arweave-js signs with 32 bytes, Node's and some wallets' signers with the maximum.
    const ok = rsaVerify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, item.signature)
    if (!ok) throw new BadRequestError('bad-signature', `The signature of ${item.id} does not verify for its owner (Arweave RSA-PSS)`)
    return readAcceptedItem(raw)
  }
  let recovered: string
  try {
    recovered = SigningKey.recoverPublicKey(hashMessage(signed), hexlify(item.signature))
  } catch (cause) {
    throw new BadRequestError('bad-signature', `The signature of ${item.id} is not a valid secp256k1 signature: ${(cause as Error).message}`)
  }
  if (recovered.toLowerCase() !== hexlify(item.ownerBytes).toLowerCase()) {
    throw new BadRequestError('bad-signature', `The signature of ${item.id} was made by another key than its owner (Ethereum)`)
  }
  return readAcceptedItem(raw)
}

/** An item this devnet verified when it accepted it (read back from its own log): parsed, not re-verified. */
export function readAcceptedItem(raw: Uint8Array): VerifiedDataItem {
  const item = parseDataItem(raw)
  const address = item.signatureType === 1 ? createHash('sha256').update(item.ownerBytes).digest('base64url') : publicKeyToEthereumAddress(item.ownerBytes)
  return { ...item, address }
}

function checkLimits(item: ParseDataItemReturnType): void {
  if (item.tags.length > MAX_TAGS) throw new BadRequestError('too-many-tags', `tags: ${item.tags.length} tags; the limit is ${MAX_TAGS}`)
  for (const [index, tag] of item.tags.entries()) {
    const name = encoder.encode(tag.name).byteLength
    const value = encoder.encode(tag.value).byteLength
    if (name === 0 || name > MAX_TAG_NAME_BYTES) {
      throw new BadRequestError('bad-tag', `tags[${index}].name is ${name} bytes; it must be 1 to ${MAX_TAG_NAME_BYTES}`)
    }
    if (value === 0 || value > MAX_TAG_VALUE_BYTES) {
      throw new BadRequestError('bad-tag', `tags[${index}].value (${tag.name}) is ${value} bytes; it must be 1 to ${MAX_TAG_VALUE_BYTES}`)
    }
  }
  if (item.data.byteLength > MAX_DATA_BYTES) {
    throw new BadRequestError('item-too-large', `data is ${item.data.byteLength} bytes; the limit is ${MAX_DATA_BYTES}`)
  }
}
