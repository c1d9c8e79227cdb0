// A transport over the harness's in-memory AO network: signed items become network sends from the item's
// owner (the network checks no signatures); results come from each process's scheduler history.
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { ResultNotFoundError } from '../actions/errors.js'
import { fromBase64Url, toBase64Url } from '../dataItem/base64url.js'
import type { AoResult, DryrunRequest, ResultsPage, SignedDataItem, Tag, Transport } from '../types.js'
import { requireTarget } from './requireTarget.js'

export type LocalTransportOptions = {
  /** The address a signed item is sent from (default: derived from its owner key, or the owner string itself). */
  addressOf?: (item: SignedDataItem) => string
}

/**
 * What the transport uses of an in-memory network: the harness's AoNetwork (or a TestNetwork, which holds one as
 * `net`). Written out here so that the SDK imports nothing from the harness.
 */
export type LocalNetwork = {
  send(params: { from: string; to: string; tags: Tag[]; data: string }): Promise<{ message: { Id?: unknown } }>
  spawn(params: { owner: string; tags: Tag[]; data: string; module?: string }): Promise<string>
  dryrun(params: { from: string; to: string; tags: Tag[]; data?: string }): Promise<{ [key: string]: unknown }>
  message(id: string): unknown
  assign(params: { process: string; message: string }): Promise<unknown>
  process(id: string): { scheduler: { messages: readonly { nonce: number; message: { Id?: unknown }; result?: { [key: string]: unknown } }[] } }
}

const DEFAULT_PAGE = 25
/** Who a dry-run comes from when the request names nobody (aoconnect's default Owner). */
const ANONYMOUS = '1234'

/**
 * The network gives its own ids to what it schedules, so a message's id inside the network differs from its
 * data-item id; the transport maps item ids to network ids, and accepts either in result and assign.
 */
export function local(network: LocalNetwork | { net: LocalNetwork }, options: LocalTransportOptions = {}): Transport {
  const net: LocalNetwork = 'net' in network ? network.net : network
  const addressOf = options.addressOf ?? ownerAddress
  const networkIds = new Map<string, string>()
  const decode = (data: Uint8Array) => new TextDecoder().decode(data)

  const history = (process: string) => net.process(process).scheduler.messages

  return {
    name: 'local',

    async message(item) {
      const sent = await net.send({ from: addressOf(item), to: requireTarget(item, 'message'), tags: item.tags, data: decode(item.data) })
      networkIds.set(item.id, String(sent.message.Id))
      return { id: item.id }
    },

    async spawn(item) {
      const module = item.tags.find((tag) => tag.name === 'Module')?.value
      const id = await net.spawn({ owner: addressOf(item), tags: item.tags, data: decode(item.data), module })
      networkIds.set(item.id, id)
      return { id }
    },

    async result({ process, message }) {
      const id = networkIds.get(message) ?? message
      const entry = history(process).find((scheduled) => scheduled.message.Id === id)
      if (!entry?.result) throw new ResultNotFoundError(process, message)
      return toCuResult(entry.result)
    },

    async results({ process, from, to, limit = DEFAULT_PAGE, sort = 'ASC' }): Promise<ResultsPage> {
      // Cursors are nonces: `from` is exclusive, `to` inclusive, in the direction of `sort`.
      const entries = history(process).filter((entry) => entry.result !== undefined)
      const ordered = sort === 'ASC' ? entries : [...entries].reverse()
      const after = (nonce: number, cursor: string) => (sort === 'ASC' ? nonce > Number(cursor) : nonce < Number(cursor))
      const page = ordered
        .filter((entry) => from === undefined || after(entry.nonce, from))
        .filter((entry) => to === undefined || !after(entry.nonce, to))
        .slice(0, limit)
      return { edges: page.map((entry) => ({ cursor: String(entry.nonce), node: toCuResult(entry.result!) })) }
    },

    async dryrun(request: DryrunRequest) {
      return toCuResult(await net.dryrun({ from: request.owner ?? ANONYMOUS, to: request.process, tags: request.tags, data: request.data }))
    },

    async assign({ process, message }) {
      const id = networkIds.get(message) ?? message
      if (!net.message(id)) throw new ResultNotFoundError(process, message)
      await assignInNetwork(net, process, id)
      return { id: `${process}/${id}` }
    },

    // The network ticks crons whenever its clock moves; there is nothing to switch on or off.
    async monitor() {},
    async unmonitor() {},
  }
}

async function assignInNetwork(net: LocalNetwork, processId: string, messageId: string): Promise<void> {
  await net.assign({ process: processId, message: messageId })
}

/** A CU's JSON: Messages, Spawns, Assignments, Output always; Error and GasUsed only when present. */
function toCuResult(result: { [key: string]: unknown }): AoResult {
  const out: AoResult = {
    Messages: (result.Messages as AoResult['Messages']) ?? [],
    Spawns: (result.Spawns as unknown[]) ?? [],
    Assignments: (result.Assignments as unknown[]) ?? [],
    Output: result.Output ?? '',
  }
  if (result.Error !== undefined) out.Error = result.Error
  if (typeof result.GasUsed === 'number') out.GasUsed = result.GasUsed
  return out
}

/** Arweave owner (512 bytes) → base64url(sha256); Ethereum key (65 bytes) → EIP-55; else the owner string itself. */
export function ownerAddress(item: SignedDataItem): string {
  let key: Uint8Array
  try {
    key = fromBase64Url(item.owner)
  } catch {
    return item.owner
  }
  if (key.length === 512) return toBase64Url(sha256(key))
  if (key.length === 65 && key[0] === 4) return checksumAddress(keccak_256(key.subarray(1)).subarray(12))
  return item.owner
}

function checksumAddress(bytes: Uint8Array): string {
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')
  const hash = keccak_256(new TextEncoder().encode(hex))
  const nibble = (i: number) => (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 15
  return '0x' + [...hex].map((char, i) => (nibble(i) >= 8 ? char.toUpperCase() : char)).join('')
}
