// A transport over the harness's in-memory AO network: signed items become network sends from the item's
// owner (the network checks no signatures); results come from each process's scheduler history.
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { AoNetwork } from '../../harness/network/network.js'
import type { TestNetwork } from '../../harness/testing/testNetwork.js'
import { ResultNotFoundError } from '../actions/errors.js'
import type { AoResult, DryrunRequest, ResultsPage, SignedDataItem, Transport } from '../types.js'

export type LocalTransportOptions = {
  /** The address a signed item is sent from (default: derived from its owner key, or the owner string itself). */
  addressOf?: (item: SignedDataItem) => string
}

const DEFAULT_PAGE = 25
/** Who a dry-run comes from when the request names nobody (aoconnect's default Owner). */
const ANONYMOUS = '1234'

/**
 * The network gives its own ids to what it schedules, so a message's id inside the network differs from its
 * data-item id; the transport maps item ids to network ids, and accepts either in result and assign.
 */
export function local(network: AoNetwork | TestNetwork, options: LocalTransportOptions = {}): Transport {
  const net: AoNetwork = 'net' in network ? network.net : network
  const addressOf = options.addressOf ?? ownerAddress
  const networkIds = new Map<string, string>()
  const decode = (data: Uint8Array) => new TextDecoder().decode(data)

  const history = (process: string) => net.process(process).scheduler.messages

  return {
    name: 'local',

    async message(item) {
      if (!item.target) throw new TypeError('A message needs a target process')
      const sent = await net.send({ from: addressOf(item), to: item.target, tags: item.tags, data: decode(item.data) })
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

async function assignInNetwork(net: AoNetwork, processId: string, messageId: string): Promise<void> {
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

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url')
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
