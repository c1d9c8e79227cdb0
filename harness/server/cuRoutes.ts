// The CU (ao-wire.md, "Legacy HTTP protocol"): one result, a page of results, and dry-runs.
import { BadRequestError } from './errors.js'
import { parseJson, readBody, sendJson } from './httpIo.js'
import { cursor, pageLimit, required } from './queryParams.js'
import type { Endpoint, RouteContext } from './route.js'

export function cuRoute({ devnet, request, response, parts, query }: RouteContext): Endpoint | undefined {
  const [unit, ...rest] = parts
  if (unit !== 'cu') return undefined
  if (rest[0] === 'result' && rest.length === 2) {
    return { GET: async () => sendJson(response, 200, devnet.result(rest[1]!, required(query, 'process-id'))) }
  }
  if (rest[0] === 'results' && rest.length === 2) {
    return {
      GET: async () => {
        const sort = (query.get('sort') ?? 'ASC').toUpperCase()
        if (sort !== 'ASC' && sort !== 'DESC') throw new BadRequestError('bad-sort', `sort: must be ASC or DESC, got ${sort}`)
        const page = devnet.results(rest[1]!, { from: cursor(query, 'from'), to: cursor(query, 'to'), limit: pageLimit(query), sort })
        return sendJson(response, 200, { edges: page.map((e) => ({ cursor: String(e.ordinal), node: e.result })) })
      },
    }
  }
  if (rest[0] === 'dry-run' && rest.length === 1) {
    return {
      POST: async () => {
        const process = required(query, 'process-id')
        return sendJson(response, 200, await devnet.dryrun(parseDryrun(process, await readBody(request))))
      },
    }
  }
  return undefined
}

/** A dry-run body: `{ Tags, Target?, Owner?, Data? }` as aoconnect posts it. */
function parseDryrun(process: string, body: Uint8Array) {
  const json = parseJson(body, 'body')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadRequestError('bad-dry-run', 'body: must be a JSON object (a dry-run message)')
  const message = json as Record<string, unknown>
  const tags = message.Tags ?? []
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.value === 'string')) {
    throw new BadRequestError('bad-tags', 'Tags: must be an array of { name, value } with string values')
  }
  if (message.Target !== undefined && message.Target !== process) {
    throw new BadRequestError('bad-target', `Target: ${JSON.stringify(message.Target)} differs from process-id ${process}`)
  }
  for (const field of ['Owner', 'Data'] as const) {
    if (message[field] !== undefined && message[field] !== null && typeof message[field] !== 'string') {
      throw new BadRequestError('bad-dry-run', `${field}: must be a string, got ${typeof message[field]}`)
    }
  }
  return {
    process,
    owner: typeof message.Owner === 'string' ? message.Owner : '1234',
    tags: tags as { name: string; value: string }[],
    data: typeof message.Data === 'string' ? message.Data : '',
  }
}
