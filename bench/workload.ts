// The one token workload every row of measurement 1 runs: the token contract, small recipient processes that count
// their Credit-Notices, and a seeded list of Transfers (recipient, quantity). Also the same workload as ao-replay/1
// files (CU-shaped messages) for replay() and for the real aos module under ao-loader.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ReplayFile, ReplayMessage } from '../harness/replay.js'
import { AOS_MODULE_TAGS } from '../sdk/constants.js'

export const SEED = 0x5eed_a0
export const TOKEN_FILE = fileURLToPath(new URL('../contracts/token.lua', import.meta.url))
/** token.lua only requires the runtime's own modules (.bint, json), so its text loads as is. */
export const TOKEN_SOURCE = readFileSync(TOKEN_FILE, 'utf8')
/** A recipient process: the Credit-Notice is routed to it and evaluated there. */
export const RECEIVER_SOURCE = `Credits = Credits or 0
Handlers.add('credit', 'Credit-Notice', function(msg) Credits = Credits + 1 end)`
/** How many recipient processes the transfers are spread over. */
export const RECIPIENTS = 4
/** Minted to the sender (the token's Owner) before the transfers; far more than they move. */
export const MINT_QUANTITY = '1000000000000000'

/**
 * The test-suite-shaped workload: `tests` tests, each on a fresh copy of a fixture network of 3 processes (the
 * token, Mint done, and 2 recipients) sending `transfers` Transfers, so 20 messages evaluated per test (each
 * Transfer at the token and its Credit-Notice at a recipient).
 */
export const SUITE = { tests: 100, recipients: 2, transfers: 10 }

export type Transfer = { recipient: number; quantity: string }

/** mulberry32: a small seeded PRNG, so every peer gets the identical sequence. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` transfers: a recipient index in [0, recipients) and a quantity in 1..1000. */
export function transferPlan(count: number, recipients = RECIPIENTS, seed = SEED): Transfer[] {
  const next = rng(seed)
  return Array.from({ length: count }, () => ({
    recipient: Math.floor(next() * recipients),
    quantity: String(1 + Math.floor(next() * 1000)),
  }))
}

/** A deterministic 43-character id (the shape of an Arweave id). */
export function fakeId(label: string): string {
  return createHash('sha256').update(label).digest('base64url')
}

export const OWNER = fakeId('bench:owner')
export const MU = fakeId('bench:mu')
const SCHEDULER = fakeId('bench:scheduler')
const T0 = 1_700_000_000_000

export const MODULE = {
  Id: 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s',
  Owner: fakeId('bench:module-owner'),
  Tags: [...AOS_MODULE_TAGS],
}

/** A message as the CU hands it to the module, at `nonce` of process `target`. */
export function cuMessage(target: string, nonce: number, fields: { id: string; from?: string; owner?: string; tags: { name: string; value: string }[]; data?: string }): ReplayMessage {
  const owner = fields.owner ?? OWNER
  return {
    Id: fields.id,
    Owner: owner,
    From: fields.from ?? owner,
    Target: target,
    Anchor: '',
    Data: fields.data ?? '',
    Tags: fields.tags,
    Epoch: 0,
    Nonce: nonce,
    Timestamp: T0 + nonce * 1000,
    'Block-Height': 1_500_000 + nonce,
    'Hash-Chain': fakeId(`${target}/chain/${nonce}`),
    Cron: false,
    'Read-Only': false,
    ...(fields.from && fields.from !== owner ? { 'Forwarded-By': owner } : {}),
  }
}

const tags = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }))

/** A process's replay file: its Process message, an owner Eval of `source`, then `later` (built with its id). */
export function processFile(name: string, source: string, later: (id: string, nonce: number) => ReplayMessage[] = () => []): ReplayFile {
  const id = fakeId(`bench:process:${name}`)
  const process = cuMessage(id, 0, {
    id,
    tags: tags({ 'Data-Protocol': 'ao', Variant: 'ao.TN.1', Type: 'Process', Module: MODULE.Id, Scheduler: SCHEDULER, Authority: MU, Name: name }),
    data: '1984',
  })
  const load = cuMessage(id, 1, { id: fakeId(`${id}/1`), tags: tags({ Action: 'Eval' }), data: source })
  return { format: 'ao-replay/1', name, module: MODULE, process, messages: [load, ...later(id, 2)] }
}

/** The token's history: Process, Eval(token.lua), Mint to the Owner, then the plan's Transfers from the Owner. */
export function tokenFile(plan: Transfer[], recipientIds: string[]): ReplayFile {
  return processFile('token', TOKEN_SOURCE, (id, first) => [
    cuMessage(id, first, { id: fakeId(`${id}/${first}`), tags: tags({ Action: 'Mint', Quantity: MINT_QUANTITY }) }),
    ...plan.map((transfer, i) =>
      cuMessage(id, first + 1 + i, {
        id: fakeId(`${id}/${first + 1 + i}`),
        tags: tags({ Action: 'Transfer', Recipient: recipientIds[transfer.recipient], Quantity: transfer.quantity }),
      }),
    ),
  ])
}

/** The recipient processes' files (Process message and the receiver's Eval). */
export function receiverFiles(count = RECIPIENTS): ReplayFile[] {
  return Array.from({ length: count }, (_, i) => processFile(`receiver-${i}`, RECEIVER_SOURCE))
}
