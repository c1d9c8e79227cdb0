// A process's history on an in-memory network as an ao-replay/1 file (specs/replay-format.md): the network hands
// its VM the scheduled messages exactly as a CU would, so `aokit replay` on the file redoes what the process did.
import { AokitError } from '../../../sdk/errors.js'
import type { AoNetwork } from '../../network/network.js'
import type { ReplayFile, ReplayMessage } from '../../replay.js'

/** The process's history does not start at its Process message (a fork, or a network resumed from an image). */
export class IncompleteHistoryError extends AokitError {
  override name = 'IncompleteHistoryError'
  constructor(readonly process: string) {
    super(`The history of ${process} does not start with its Process message, so it cannot be replayed.`, {
      details: 'A forked process, or one loaded from a network image, starts from a copied state, not from nonce 0.',
    })
  }
}

/** Every message `processId` was scheduled so far, Process message first, as an ao-replay/1 file. */
export function historyReplayFile(net: AoNetwork, processId: string, info: { name?: string; description?: string } = {}): ReplayFile {
  const process = net.process(processId)
  const [first, ...rest] = process.scheduler.messages
  const isProcessMessage = first?.nonce === 0 && first.message.Tags.some((tag) => tag.name === 'Type' && tag.value === 'Process')
  if (!first || !isProcessMessage) throw new IncompleteHistoryError(processId)
  return {
    format: 'ao-replay/1',
    ...(info.name === undefined ? {} : { name: info.name }),
    ...(info.description === undefined ? {} : { description: info.description }),
    module: structuredClone(process.env.Module),
    process: structuredClone({ ...first.message, Owner: process.owner }) as ReplayMessage,
    messages: rest.map((entry) => structuredClone(entry.message) as ReplayMessage),
  }
}
