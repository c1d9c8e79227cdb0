import type { Client } from '../client.js'
import type { AoResult } from '../types.js'

/** Parameters of {@link result}. */
export type ResultParameters = { process: string; message: string }
export type ResultReturnType = AoResult

/** What the process returned for one message: `{Messages, Spawns, Assignments, Output, Error?}`. */
export async function result(client: Client, params: ResultParameters): Promise<ResultReturnType> {
  return client.transport.result({ process: params.process, message: params.message })
}
