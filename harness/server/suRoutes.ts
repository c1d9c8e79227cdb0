// The SU (ao-wire.md, "Legacy HTTP protocol"): its info, its clock, a process's history page, one scheduled message.
import { NotFoundError } from './errors.js'
import { sendJson } from './httpIo.js'
import { pageLimit, suCursor } from './queryParams.js'
import type { Endpoint, RouteContext } from './route.js'
import { assignmentPage, scheduledMessage } from './schedulerUnit.js'

export function suRoute({ devnet, response, parts, query }: RouteContext): Endpoint | undefined {
  const [unit, ...rest] = parts
  if (unit !== 'su') return undefined
  const { clock } = devnet.network
  if (rest.length === 0) {
    return { GET: async () => sendJson(response, 200, { Unit: 'Scheduler', Address: devnet.scheduler, Timestamp: clock.now, Processes: devnet.network.processIds }) }
  }
  if (rest[0] === 'timestamp' && rest.length === 1) {
    return { GET: async () => sendJson(response, 200, { timestamp: clock.now, block_height: clock.blockHeight }) }
  }
  if (rest.length === 1) {
    const id = rest[0]!
    return {
      GET: async () => {
        // A process id without process-id is a history page; anything else names one scheduled message.
        const process = query.get('process-id')
        if (process || !devnet.network.processIds.includes(id)) {
          const evaluation = devnet.evaluation(id, process ?? undefined)
          if (!evaluation || evaluation.nonce === null) throw new NotFoundError('unknown-message', `No scheduled message ${id}${process ? ` at ${process}` : ''}`)
          return sendJson(response, 200, scheduledMessage(devnet, evaluation))
        }
        const limit = pageLimit(query)
        const page = devnet.scheduled(id, { from: suCursor(query, 'from'), to: suCursor(query, 'to'), limit: limit + 1 })
        return sendJson(response, 200, assignmentPage(devnet, page, limit))
      },
    }
  }
  return undefined
}
