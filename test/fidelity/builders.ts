// Small builders for ao-replay/1 cases: deterministic ids, increasing Nonce/Timestamp/Block-Height, and messages
// shaped the way the compute unit builds them (aos-runtime.md §6), so each case reads as a few lines.
import { createHash } from 'node:crypto'
import type { ModuleRecord, ReplayFile, ReplayMessage, Tag } from './replayFile.js'
import { AOS_MODULE as AOS_MODULE_TX, AOS_MODULE_TAGS } from '../../sdk/constants.js'

/** A deterministic 43-char base64url id/address (the shape of an Arweave id) derived from a seed. */
export function id(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url')
}

export const OWNER = id('wallet:owner')
export const STRANGER = id('wallet:stranger')
export const ALICE = id('wallet:alice')
/** The messenger unit's wallet: it signs forwarded messages, so processes list it as an Authority. */
export const MU = id('wallet:mu')
export const SCHEDULER = id('wallet:scheduler')
export const OTHER_PROCESS = id('process:other')
/** Stands for the case's own process id in `fromProcess` and tag values (ids are only known per case). */
export const SELF = '<self>'

export const AOS_MODULE_ID = AOS_MODULE_TX
export const AOS_MODULE: ModuleRecord = {
  Id: AOS_MODULE_ID,
  Owner: id('wallet:module-publisher'),
  Tags: [
    ...AOS_MODULE_TAGS,
    { name: 'AOS-Version', value: '2.0.6' },
    { name: 'Content-Type', value: 'application/wasm' },
  ],
}

/** Tags as a map (one value per name) or as pairs (order kept, duplicates allowed). */
export type TagsInit = Record<string, string> | Array<[string, string]>

export interface MsgSpec {
  /** The signer's address (default: the process owner). */
  owner?: string
  /** Sets a From-Process tag: From becomes this and Forwarded-By the signer, as for a message pushed by the MU. */
  fromProcess?: string
  tags?: TagsInit
  data?: string
  anchor?: string
  /** Fixed message id (default: derived from the case name and position). */
  id?: string
  /** A cron tick as the CU builds it: only Owner, Target, From, Tags, Timestamp, Block-Height and Cron = true. */
  cron?: boolean
}

export interface ProcessSpec {
  owner?: string
  /** Extra Process tags, appended after the standard ones. */
  tags?: TagsInit
  data?: string
  /** Authority tag values (default: [MU]); [] leaves the tag out. */
  authorities?: string[]
}

function toTags(init: TagsInit | undefined): Tag[] {
  if (!init) return []
  const pairs = Array.isArray(init) ? init : Object.entries(init)
  return pairs.map(([name, value]) => ({ name, value }))
}

export function msg(spec: MsgSpec = {}): MsgSpec {
  return spec
}

/** A cron tick from the process owner (as the CU builds it: no Id, Nonce, Hash-Chain, Data or Anchor). */
export function cron(spec: Omit<MsgSpec, 'cron' | 'data' | 'id' | 'fromProcess'> = {}): MsgSpec {
  return { ...spec, cron: true }
}

/** An `Action = Eval` message carrying Lua code (from the owner unless told otherwise). */
export function evalMsg(code: string, spec: Omit<MsgSpec, 'data'> = {}): MsgSpec {
  return { ...spec, tags: [['Action', 'Eval'], ...pairsOf(spec.tags)], data: code }
}

/** A message with an Action tag plus further tags. */
export function action(name: string, spec: MsgSpec = {}): MsgSpec {
  return { ...spec, tags: [['Action', name], ...pairsOf(spec.tags)] }
}

function pairsOf(init: TagsInit | undefined): Array<[string, string]> {
  if (!init) return []
  return Array.isArray(init) ? init : Object.entries(init)
}

const T0 = 1_700_000_000_000
const H0 = 1_500_000

/** Builds a whole ao-replay/1 file: the Process message then `messages`, numbered in schedule order. */
export function replayCase(name: string, description: string, proc: ProcessSpec, messages: MsgSpec[]): ReplayFile {
  const processId = id(`${name}/process`)
  const owner = proc.owner ?? OWNER
  const authorities = proc.authorities ?? [MU]
  const processTags: Tag[] = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Process' },
    { name: 'Module', value: AOS_MODULE_ID },
    { name: 'Scheduler', value: SCHEDULER },
    { name: 'SDK', value: 'aoconnect' },
    ...authorities.map((value) => ({ name: 'Authority', value })),
    ...toTags(proc.tags),
  ]
  const base = (nonce: number, msgId: string, signer: string): ReplayMessage => ({
    Id: msgId,
    Owner: signer,
    From: signer,
    Target: processId,
    Anchor: '',
    Data: '',
    Tags: [],
    Epoch: 0,
    Nonce: nonce,
    Timestamp: T0 + nonce * 1000,
    'Block-Height': H0 + nonce,
    'Hash-Chain': id(`${name}/hash-chain/${nonce}`),
    Cron: false,
    'Read-Only': false,
  })
  const process: ReplayMessage = {
    ...base(0, processId, owner),
    Anchor: '',
    Data: proc.data ?? '1984',
    Tags: processTags,
  }
  const later = messages.map((spec, i) => {
    const nonce = i + 1
    const signer = spec.owner ?? owner
    const self = (v: string) => (v === SELF ? processId : v)
    const tags = toTags(spec.tags).map((t) => ({ name: t.name, value: self(t.value) }))
    const m = base(nonce, spec.id ?? id(`${name}/message/${nonce}`), signer)
    if (spec.fromProcess) {
      tags.push({ name: 'From-Process', value: self(spec.fromProcess) })
      m.From = self(spec.fromProcess)
      m['Forwarded-By'] = signer
    }
    m.Tags = tags
    if (spec.cron) {
      return { Owner: m.Owner, Target: m.Target, From: m.From, Tags: tags, Timestamp: m.Timestamp, 'Block-Height': m['Block-Height'], Cron: true }
    }
    m.Data = spec.data ?? ''
    m.Anchor = spec.anchor ?? ''
    return m
  })
  return { format: 'ao-replay/1', name, description, module: AOS_MODULE, process, messages: later }
}
