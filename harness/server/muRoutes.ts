// The MU (ao-wire.md, "Legacy HTTP protocol"): `POST /mu` takes a signed item (or an assignment by query), and
// `POST|DELETE /mu/monitor/{pid}` switches a process's crons on or off.
import { BadRequestError } from './errors.js'
import { readBody, sendJson } from './httpIo.js'
import type { Endpoint, RouteContext } from './route.js'

export function muRoute({ devnet, request, response, parts, query }: RouteContext): Endpoint | undefined {
  const [unit, ...rest] = parts
  if (unit !== 'mu') return undefined
  if (rest.length === 0) {
    return {
      POST: async () => {
        const process = query.get('process-id')
        const assign = query.get('assign')
        if (process || assign) {
          if (!process || !assign) throw new BadRequestError('bad-assign', 'assign needs both process-id and assign query parameters')
          return sendJson(response, 202, await devnet.assign(process, assign))
        }
        const accepted = await devnet.accept(await readBody(request))
        return sendJson(response, 202, {
          message: accepted.duplicate ? 'DataItem already processed' : 'Processing DataItem',
          id: accepted.id,
          ...(accepted.kind === 'process' ? { processId: accepted.id } : {}),
        })
      },
    }
  }
  if (rest[0] === 'monitor' && rest.length === 2) {
    const process = rest[1]!
    const monitor = (on: boolean) => async () => {
      await devnet.setMonitor(await readBody(request), process, on)
      return sendJson(response, 200, { message: on ? `Monitoring ${process}` : `Stopped monitoring ${process}` })
    }
    return { POST: monitor(true), DELETE: monitor(false) }
  }
  return undefined
}
