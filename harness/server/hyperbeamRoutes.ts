// The HyperBEAM face of the devnet (hyperbeam-api.md §5), beside the legacy MU/CU/SU: same network, same log,
// same results. A result's `raw` is exactly the legacy CU `/result` JSON, so one stored evaluation answers both.
// Writes go through Devnet.accept (verified as the MU verifies, logged, deduplicated), reads through the store.
import type { Devnet } from './devnet.js'
import type { Evaluation } from './devnetStore.js'
import { BadRequestError, httpError, NotFoundError } from './errors.js'
import { outboxEntries } from './hyperbeamOutbox.js'
import { readBody, sendJson } from './httpIo.js'
import { parseHyperbeamPath, type HyperbeamRequest, type Slot } from './hyperbeamPath.js'
import { publishedValue } from './hyperbeamState.js'
import type { Endpoint, RouteContext } from './route.js'
import { verifyDataItem } from './verifyDataItem.js'

/** What the server lends a HyperBEAM route: its body reader and writers. */
export type HyperbeamIo = {
  contentType: string | undefined
  readBody(): Promise<Uint8Array>
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void
  sendText(status: number, text: string): void
}

type Handler = () => Promise<void>
export type HyperbeamEndpoint = { GET?: Handler; POST?: Handler }

/** Item codecs a push may carry; HyperBEAM's httpsig@1.0 messages are not understood here. */
const ITEM_TYPES = new Set(['application/ans104', 'application/octet-stream'])

/** The router's entry: HyperBEAM's paths (hyperbeam-api.md §5), tried after the legacy routes, which win. */
export function hyperbeamRoute({ devnet, request, response, parts, query }: RouteContext): Endpoint | undefined {
  const hyperbeam = parseHyperbeamPath(parts, query)
  if (!hyperbeam) return undefined
  return hyperbeamEndpoint(devnet, hyperbeam, {
    contentType: request.headers['content-type'],
    readBody: () => readBody(request),
    sendJson: (status, body, headers) => sendJson(response, status, body, headers),
    sendText: (status, text) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end(text)
    },
  })
}

export function hyperbeamEndpoint(devnet: Devnet, request: HyperbeamRequest, io: HyperbeamIo): HyperbeamEndpoint {
  const both = (handler: Handler): HyperbeamEndpoint => ({ GET: handler, POST: handler })
  switch (request.kind) {
    case 'info':
      return {
        GET: async () => {
          if (request.field === 'address') return io.sendText(200, devnet.scheduler)
          return io.sendJson(200, { address: devnet.scheduler, name: 'aokit devnet', processes: devnet.network.processIds.length })
        },
      }
    case 'push':
      return { POST: () => push(devnet, io, undefined) }
    case 'process-push':
      return { POST: () => push(devnet, io, request.process) }
    case 'result':
      return both(async () => io.sendJson(200, answer(request.process, resolve(devnet, request.process, request.at))))
    case 'current-slot':
      return both(async () => io.sendText(200, String(devnet.currentSlot(request.process))))
    case 'dryrun':
      return both(async () => {
        const body = await io.readBody()
        let owner = '1234'
        let data = ''
        // aoconnect signs its dry-runs: the signer is who asks (From/Owner), the item's data the message's Data.
        if (body.byteLength > 0) {
          checkItemType(io.contentType)
          const item = verifyDataItem(body)
          if (item.target && item.target !== request.process) {
            throw new BadRequestError('bad-target', `target: ${item.target} differs from the process in the path ${request.process}`)
          }
          owner = item.address
          data = new TextDecoder().decode(item.data)
        }
        const raw = await devnet.dryrun({ process: request.process, owner, tags: request.tags, data })
        return io.sendJson(200, { process: request.process, raw, results: { raw } })
      })
    case 'state':
      return both(async () => {
        // currentSlot refuses an unknown process as a 404; publishedState's own error would be a 500.
        devnet.currentSlot(request.process)
        return io.sendJson(200, publishedValue(devnet.network.publishedState(request.process), request.keys))
      })
  }
}

/**
 * `POST /push` (a Process item, or a Message to its target) and `POST /{pid}~process@1.0/push` (a Message to
 * pid): accepted, applied (the outbox cascades to local processes as on the legacy path), then answered with the
 * slot it got and its result.
 */
async function push(devnet: Devnet, io: HyperbeamIo, process: string | undefined): Promise<void> {
  checkItemType(io.contentType)
  const body = await io.readBody()
  // Verified here too, so a mismatch with the path is refused before anything is logged.
  const item = verifyDataItem(body)
  const type = item.tags.find((tag) => tag.name === 'Type')?.value
  if (process !== undefined) {
    if (type === 'Process') throw new BadRequestError('bad-type', `tags.Type: a Process item is spawned with POST /push, not pushed to ${process}`)
    if (item.target !== process) throw new BadRequestError('bad-target', `target: ${item.target ?? '(missing)'} differs from the process in the path ${process}`)
  }
  const accepted = await devnet.accept(body)
  if (accepted.kind === 'process') {
    if (!devnet.network.processIds.includes(accepted.id)) {
      const why = devnet.tree(accepted.id)?.result.Error
      throw httpError(422, 'spawn-refused', `The devnet did not spawn ${accepted.id}${why ? `: ${String(why)}` : ''}`)
    }
    const evaluation = devnet.slot(accepted.id, 0)
    if (!evaluation) throw httpError(500, 'internal', `The Process message of ${accepted.id} has no slot 0`)
    return io.sendJson(200, answer(accepted.id, evaluation), { process: accepted.id, slot: '0' })
  }
  const target = item.target!
  const evaluation = devnet.evaluation(accepted.id, target)
  if (!evaluation) throw httpError(500, 'internal', `Message ${accepted.id} was accepted but not evaluated at ${target}`)
  // The tree is kept for recent inputs only: an old duplicate is answered without its outbox entries.
  const tree = devnet.tree(accepted.id)
  const processes = new Set(devnet.network.processIds)
  const outbox = tree ? outboxEntries(tree, (id) => processes.has(id)) : {}
  return io.sendJson(200, { ...outbox, ...answer(target, evaluation) }, { process: target, slot: String(evaluation.nonce), id: accepted.id })
}

/** The evaluation a result read names: a slot, a message id, or the latest slot. */
function resolve(devnet: Devnet, process: string, at: Slot | undefined): Evaluation {
  const current = devnet.currentSlot(process)
  const target = at ?? { slot: current }
  const evaluation = 'slot' in target ? (target.slot >= 0 ? devnet.slot(process, target.slot) : undefined) : devnet.evaluation(target.message, process)
  if (!evaluation) {
    const what = 'slot' in target ? `slot ${target.slot} (the current slot is ${current})` : `message ${target.message}`
    throw new NotFoundError('unknown-slot', `No result for ${what} at process ${process}`)
  }
  return evaluation
}

/** `{ slot, process, id, raw, results: { raw } }`: aoconnect 0.0.98 reads `raw`, 0.0.93 read `results.raw`. */
function answer(process: string, evaluation: Evaluation) {
  return { slot: evaluation.nonce, process, id: evaluation.messageId, raw: evaluation.result, results: { raw: evaluation.result } }
}

function checkItemType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]!.trim().toLowerCase()
  if (type !== undefined && type !== '' && !ITEM_TYPES.has(type)) {
    throw httpError(415, 'unsupported-codec', `Content-Type: ${type} is not understood; send a signed ANS-104 data item as application/ans104`)
  }
}
