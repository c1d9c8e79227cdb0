// Builds and signs ANS-104 items without the SDK's validation, so tests can send the devnet what a broken or
// hostile client would: too many tags, empty values, a wrong owner.
import { getSignatureData, serializeTags } from '../../../sdk/dataItem/index.js'
import { fromBase64Url } from '../../../sdk/dataItem/base64url.js'
import type { Signer, Tag } from '../../../sdk/types.js'
import { AOS_MODULE } from '../../../sdk/constants.js'

const u64 = (n: number) => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true)
  return out
}

export async function rawItem(p: { signer: Signer; tags: Tag[]; target?: string; data?: string | Uint8Array; owner?: Uint8Array }): Promise<Uint8Array> {
  const owner = p.owner ?? p.signer.publicKey
  const target = p.target ? fromBase64Url(p.target) : new Uint8Array(0)
  const data = typeof p.data === 'string' || p.data === undefined ? new TextEncoder().encode(p.data ?? ' ') : p.data
  const rawTags = serializeTags(p.tags)
  const signature = await p.signer.sign(getSignatureData({ signatureType: p.signer.type, owner, target, anchor: new Uint8Array(0), rawTags, data }))
  const parts = [
    new Uint8Array([p.signer.type, 0]),
    signature,
    owner,
    target.length ? new Uint8Array([1, ...target]) : new Uint8Array([0]),
    new Uint8Array([0]),
    u64(p.tags.length),
    u64(rawTags.length),
    rawTags,
    data,
  ]
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** The tags aoconnect and the SDK put on a message. */
export const messageTags = (action: string): Tag[] => [
  { name: 'Action', value: action },
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Variant', value: 'ao.TN.1' },
  { name: 'Type', value: 'Message' },
]

/** The tags of a Process item for the aos module at `scheduler`, then `extra`. */
export const processTags = (scheduler: string, extra: Tag[] = []): Tag[] => [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Type', value: 'Process' },
  { name: 'Module', value: AOS_MODULE },
  { name: 'Scheduler', value: scheduler },
  ...extra,
]
