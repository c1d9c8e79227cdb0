import type { Client } from '../client.js'
import type { ResultsPage } from '../types.js'

/** Parameters of {@link results}. */
export type ResultsParameters = {
  process: string
  /** Cursor to start after (exclusive). */
  from?: string
  /** Cursor to stop at (inclusive). */
  to?: string
  limit?: number
  sort?: 'ASC' | 'DESC'
}
export type ResultsReturnType = ResultsPage

/** A page of a process's results, `{edges: [{cursor, node}]}`; pass the last cursor as `from` for the next page. */
export async function results(client: Client, params: ResultsParameters): Promise<ResultsReturnType> {
  return client.transport.results(params)
}
