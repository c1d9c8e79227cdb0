import type { Client } from '../client.js'

/** Parameters of {@link assign}. */
export type AssignParameters = {
  /** Process the message is assigned to. */
  process: string
  /** Id of a message (or Arweave transaction, with baseLayer) already sent elsewhere. */
  message: string
  baseLayer?: boolean
  exclude?: string[]
}
/** The assignment's id. */
export type AssignReturnType = string

/** Schedules an existing message onto another process too. */
export async function assign(client: Client, params: AssignParameters): Promise<AssignReturnType> {
  const { id } = await client.transport.assign(params)
  return id
}
