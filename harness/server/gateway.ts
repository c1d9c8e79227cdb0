// The gateway GraphQL aoconnect and ao-scheduler-utils ask: transactions by id (a spawn checks its module's
// tags; locate reads a process's Scheduler tag) and the scheduler's Scheduler-Location record. Queries are
// answered from their variables; the devnet holds no general GraphQL engine.
import { parseDataItem } from '../../sdk/dataItem/parseDataItem.js'
import { KNOWN_MODULES, type Devnet } from './devnet.js'
import { BadRequestError } from './errors.js'

type Tag = { name: string; value: string }
type Node = { id: string; owner: { address: string }; tags: Tag[]; block: { id: string; height: number; timestamp: number } | null }

const MODULE_TAGS: Tag[] = [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Variant', value: 'ao.TN.1' },
  { name: 'Type', value: 'Module' },
  { name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' },
  { name: 'Input-Encoding', value: 'JSON-1' },
  { name: 'Output-Encoding', value: 'JSON-1' },
  { name: 'Memory-Limit', value: '1-gb' },
  { name: 'Compute-Limit', value: '9000000000000' },
]

export function answerGraphql(devnet: Devnet, body: unknown) {
  const request = body as { query?: unknown; variables?: unknown }
  if (typeof request?.query !== 'string') throw new BadRequestError('bad-graphql', 'query: a GraphQL query string is required')
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
    throw new BadRequestError('bad-graphql', 'variables: must be an object')
  }
  const variables = (request.variables ?? {}) as Record<string, unknown>
  const block = { id: 'aokit-devnet', height: devnet.network.clock.blockHeight, timestamp: Math.floor(devnet.network.clock.now / 1000) }
  const edges = (nodes: Node[]) => ({ data: { transactions: { pageInfo: { hasNextPage: false }, edges: nodes.map((node) => ({ cursor: node.id, node })) } } })

  if (request.query.includes('Scheduler-Location')) {
    // typeof, not String(): a JSON object like {"toString": 1} makes String() throw.
    const owner = typeof variables.owner === 'string' ? variables.owner : ''
    if (owner !== devnet.scheduler) return edges([])
    return edges([
      {
        id: `scheduler-location-${owner}`,
        owner: { address: owner },
        tags: [
          { name: 'Data-Protocol', value: 'ao' },
          { name: 'Type', value: 'Scheduler-Location' },
          { name: 'Url', value: devnet.suUrl },
          { name: 'Time-To-Live', value: '3600000' },
        ],
        block,
      },
    ])
  }

  const ids = variables.transactionIds ?? variables.ids
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new BadRequestError('bad-graphql', 'variables.transactionIds: a list of id strings is required')
  const nodes: Node[] = []
  for (const id of ids as string[]) {
    if (KNOWN_MODULES.includes(id)) {
      nodes.push({ id, owner: { address: devnet.network.ids.moduleOwner }, tags: MODULE_TAGS, block })
      continue
    }
    const raw = devnet.item(id)
    if (!raw) continue
    const item = parseDataItem(raw)
    const message = devnet.network.message(id)
    nodes.push({ id, owner: { address: message?.Owner ?? item.owner }, tags: item.tags, block })
  }
  return edges(nodes)
}
