// createClient: a plain object holding how to reach AO (transport) and who signs (signer); actions take it first.
import type { SignedDataItem, Signer, Tag, Transport } from './types.js'

/** Signs an item another way than createDataItem(signer) (a bundling service, a test's fake signer). */
export type SignFunction = (item: { target?: string; anchor?: string; tags: Tag[]; data: Uint8Array }) => Promise<SignedDataItem>

/** A client; `E` is what extend() has added so far. */
export type Client<E extends object = {}> = {
  transport: Transport
  signer?: Signer
  sign?: SignFunction
  /** A new client with `fn(client)`'s members added (viem's extend): bind actions or contracts to it. */
  extend<T extends object>(fn: (client: Client<E> & E) => T): Client<E & T> & E & T
}

export type CreateClientParameters = { transport: Transport; signer?: Signer; sign?: SignFunction }

export function createClient(params: CreateClientParameters): Client {
  return withExtend({ transport: params.transport, signer: params.signer, sign: params.sign })
}

function withExtend<C extends Omit<Client, 'extend'>>(base: C): C & Client {
  const client = { ...base } as C & Client
  client.extend = (fn) => withExtend({ ...client, ...fn(client as never) }) as never
  return client
}
