import type { Client } from '../client.js'
import type { AoResult, TagsInput } from '../types.js'
import { signItem } from './signItem.js'
import { toTagList } from './tags.js'

/** Parameters of {@link dryrun}. */
export type DryrunParameters = {
  /** Process to evaluate against. */
  process: string
  tags?: TagsInput
  data?: string
  /** Who the message is from (default: the client's signer address). */
  owner?: string
  anchor?: string
}
export type DryrunReturnType = AoResult

/** Evaluates a message against the current state of a process without changing it. Unsigned, except where the API wants a signed item (HyperBEAM: then `owner` is the signer). */
export async function dryrun(client: Client, params: DryrunParameters): Promise<DryrunReturnType> {
  // aoconnect's dry-run carries Data-Protocol/Type tags too; handlers may match on them.
  const tags = [...toTagList(params.tags), { name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Message' }, { name: 'Variant', value: 'ao.TN.1' }]
  const canSign = client.sign !== undefined || client.signer !== undefined
  return client.transport.dryrun({
    process: params.process,
    owner: params.owner ?? client.signer?.address,
    tags,
    data: params.data,
    anchor: params.anchor,
    sign: canSign ? (item) => signItem(client, item, 'dryrun') : undefined,
  })
}
