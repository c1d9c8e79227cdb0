// The gateway pieces aoconnect needs: `POST /graphql`, and an item's data by id (`/raw/{id}` or `/{id}`).
import { parseDataItem } from '../../sdk/dataItem/parseDataItem.js'
import { NotFoundError } from './errors.js'
import { answerGraphql } from './gateway.js'
import { parseJson, readBody, sendJson } from './httpIo.js'
import type { Endpoint, RouteContext } from './route.js'

const ID_LENGTH = 43

export function gatewayRoute({ devnet, request, response, parts }: RouteContext): Endpoint | undefined {
  const [unit, ...rest] = parts
  if (unit === 'graphql' && rest.length === 0) {
    return { POST: async () => sendJson(response, 200, answerGraphql(devnet, parseJson(await readBody(request), 'body'))) }
  }
  const id = unit === 'raw' && rest.length === 1 ? rest[0]! : unit !== undefined && rest.length === 0 && unit.length === ID_LENGTH ? unit : undefined
  if (id === undefined) return undefined
  return {
    GET: async () => {
      const raw = devnet.item(id)
      if (!raw) throw new NotFoundError('unknown-item', `No data item ${id} on this devnet`)
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      response.end(parseDataItem(raw).data)
    },
  }
}
