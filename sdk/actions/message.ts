import type { Client } from '../client.js'
import type { TagsInput } from '../types.js'
import { signItem } from './signItem.js'
import { protocolTags } from './tags.js'

/** Parameters of {@link message}. */
export type MessageParameters = {
  /** Process to send to. */
  process: string
  /** Tags of the message; values are strings. */
  tags?: TagsInput
  /** Data; a single space when absent, as aoconnect sends. */
  data?: string | Uint8Array
  anchor?: string
}
/** The message id (known before sending: it comes from the signature). */
export type MessageReturnType = string

/** Signs a message to a process and sends it; returns its id. */
export async function message(client: Client, params: MessageParameters): Promise<MessageReturnType> {
  const hasData = params.data !== undefined && params.data.length > 0
  const tags = protocolTags(params.tags, 'Message', hasData)
  const item = await signItem(client, { target: params.process, anchor: params.anchor, tags, data: hasData ? params.data! : ' ' }, 'message')
  const { id } = await client.transport.message(item)
  return id
}
