// The one place actions turn {target, tags, data} into a signed data item: a seam over createDataItem,
// so a client can also sign another way (client.sign: a bundler service, a test's fake signer).
import type { Client } from '../client.js'
import type { SignedDataItem, Tag } from '../types.js'
import { randomAnchor } from '../dataItem/randomAnchor.js'
import { MissingSignerError } from './errors.js'

export async function signItem(client: Client, params: { target?: string; anchor?: string; tags: Tag[]; data: string | Uint8Array }, action = 'signItem'): Promise<SignedDataItem> {
  const data = typeof params.data === 'string' ? new TextEncoder().encode(params.data) : params.data
  // Each send gets its own anchor, so two identical messages are two messages; a retry resends the signed item.
  const item = { target: params.target, anchor: params.anchor ?? randomAnchor(), tags: params.tags, data }
  if (client.sign) return client.sign(item)
  if (!client.signer) throw new MissingSignerError(action)
  // Loaded on first use: a client that signs another way never pulls in the ANS-104 code.
  const { createDataItem } = await import('../dataItem/createDataItem.js')
  return createDataItem({ signer: client.signer, ...item })
}
