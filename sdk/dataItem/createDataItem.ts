import { sha256 } from '@noble/hashes/sha2.js'
import { SignerError } from '../errors.js'
import type { ArweaveWalletDataItemSigner } from '../signers/arweaveWalletSigner.js'
import type { Signer, SignedDataItem } from '../types.js'
import { validateMessage, type ValidateMessageParameters } from '../validation/validateMessage.js'
import { fromBase64Url, toBase64Url } from './base64url.js'
import { getSignatureData } from './getSignatureData.js'
import { parseDataItem } from './parseDataItem.js'
import { serializeTags } from './serializeTags.js'
import { SIGNATURE_CONFIG } from './signatureConfig.js'

/**
 * What can sign a data item: a raw-bytes `Signer` (aokit builds and hashes the item itself) or a wallet
 * extension that only signs whole data items (`arweaveWalletSigner`).
 */
export type DataItemSigner = Signer | ArweaveWalletDataItemSigner

export type CreateDataItemParameters = ValidateMessageParameters & { signer: DataItemSigner }
export type CreateDataItemReturnType = SignedDataItem

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8)
  for (let i = 0; i < 8; i++) {
    out[i] = n % 256
    n = Math.floor(n / 256)
  }
  return out
}

/**
 * Validates, builds and signs an ANS-104 data item. The id (base64url sha256 of the signature) is known
 * before the item is sent.
 *
 * @throws the validation errors of `validateMessage`; `SignerError` when a signer returns a signature or
 *   item of the wrong shape.
 */
export async function createDataItem(parameters: CreateDataItemParameters): Promise<CreateDataItemReturnType> {
  const { signer } = parameters
  const message = validateMessage(parameters)
  if ('signDataItem' in signer) return signWithWallet(signer, message)

  const { signatureLength, ownerLength } = SIGNATURE_CONFIG[signer.type] ?? {}
  if (signatureLength === undefined || ownerLength === undefined) {
    throw new SignerError({ signerType: signer.type })
  }
  const owner = signer.publicKey
  if (owner.byteLength !== ownerLength) {
    throw new SignerError({ ownerBytes: owner.byteLength, type: signer.type, expected: ownerLength })
  }
  const target = message.target ? fromBase64Url(message.target) : new Uint8Array(0)
  const anchor = message.anchor ? new TextEncoder().encode(message.anchor) : new Uint8Array(0)
  const rawTags = serializeTags(message.tags)
  const { data } = message

  const signature = await signer.sign(
    getSignatureData({ signatureType: signer.type, owner, target, anchor, rawTags, data }),
  )
  if (signature.byteLength !== signatureLength) {
    throw new SignerError({ signatureBytes: signature.byteLength, type: signer.type, expected: signatureLength })
  }

  const parts = [
    Uint8Array.of(signer.type & 0xff, signer.type >> 8),
    signature,
    owner,
    Uint8Array.of(target.length ? 1 : 0),
    target,
    Uint8Array.of(anchor.length ? 1 : 0),
    anchor,
    u64(message.tags.length),
    u64(rawTags.byteLength),
    rawTags,
    data,
  ]
  const raw = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    raw.set(part, offset)
    offset += part.byteLength
  }

  return {
    id: toBase64Url(sha256(signature)),
    raw,
    owner: toBase64Url(owner),
    ...(message.target ? { target: message.target } : {}),
    ...(message.anchor ? { anchor: message.anchor } : {}),
    tags: message.tags,
    data,
  }
}

async function signWithWallet(
  signer: ArweaveWalletDataItemSigner,
  message: ReturnType<typeof validateMessage>,
): Promise<SignedDataItem> {
  const raw = await signer.signDataItem(message)
  const item = parseDataItem(raw)
  // The extension builds the item itself: make sure it signed what we asked for.
  if ((item.target ?? undefined) !== message.target) {
    throw new SignerError({ walletTarget: item.target, expected: message.target })
  }
  if (item.data.byteLength !== message.data.byteLength || !item.data.every((b, i) => b === message.data[i])) {
    throw new SignerError({ walletData: 'different' })
  }
  const { id, owner, target, anchor, tags, data } = item
  return {
    id,
    raw: item.raw,
    owner,
    ...(target ? { target } : {}),
    ...(anchor ? { anchor } : {}),
    tags,
    data,
  }
}
