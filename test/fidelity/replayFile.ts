// The ao-replay/1 file (../../../shared/specs/replay-format.md): a module record, the Process message and every
// later message, each exactly as a compute unit hands it to the module.

export interface Tag {
  name: string
  value: string
}

/** One message as the CU builds it (aos-runtime.md §6). A cron tick has no Id, Nonce, Hash-Chain (§5). */
export interface ReplayMessage {
  Id?: string
  Owner: string
  From: string
  Target: string
  Anchor?: string
  Data?: string
  Tags: Tag[]
  Epoch?: number
  Nonce?: number
  Timestamp: number
  'Block-Height': number
  'Hash-Chain'?: string
  Cron: boolean
  'Read-Only'?: boolean
  Signature?: string
  'Forwarded-By'?: string
}

export interface ModuleRecord {
  Id: string
  Owner: string
  Tags: Tag[]
}

export interface ReplayFile {
  format: 'ao-replay/1'
  name?: string
  description?: string
  module: ModuleRecord
  process: ReplayMessage
  messages: ReplayMessage[]
}

/** One evaluation result, with the fields the module returned (absent ones left out). */
export type ReplayResult = Record<string, unknown>

export interface ReplayOutput {
  results: ReplayResult[]
}
