// `ao-replay/1`: evaluate a process from its Process message through every later message, as a compute unit
// does (../shared/specs/replay-format.md), and return one result per evaluated message.
import { AokitError } from '../sdk/errors.js'
import { ProcessVm, type AoEnv, type AoMessage, type AoResult, type ProcessVmOptions } from './vm/processVm.js'

export type ReplayTag = { name: string; value: string }
export type ReplayRecord = { Id: string; Owner: string; Tags: ReplayTag[] }
export type ReplayMessage = AoMessage & { Owner: string }
export type ReplayFile = {
  format: 'ao-replay/1'
  name?: string
  description?: string
  module: ReplayRecord
  process: ReplayMessage
  /** In schedule order. A cron tick (`Cron: true`) comes as the CU builds it, without Id, Nonce or Hash-Chain. */
  messages: ReplayMessage[]
}
/** One evaluated message's result: only the fields the module returned. */
export type ReplayResult = Pick<AoResult, 'Messages' | 'Spawns' | 'Assignments' | 'Output' | 'Error'>
export type ReplayOutput = { results: ReplayResult[] }

/** A replay file that does not follow ao-replay/1; `field` names the offending path. */
export class ReplayFormatError extends AokitError {
  override name = 'ReplayFormatError'
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid replay file: ${field} ${problem}.`, { details: 'See the ao-replay/1 format: format, module {Id, Owner, Tags}, process, messages[].' })
  }
}

const RESULT_FIELDS = ['Messages', 'Spawns', 'Assignments', 'Output', 'Error'] as const
const NUMERIC_FIELDS = ['Timestamp', 'Block-Height', 'Nonce', 'Epoch'] as const

/** Checks that `value` is an ao-replay/1 file, throwing ReplayFormatError naming the first bad field. */
export function parseReplayFile(value: unknown): ReplayFile {
  if (!isObject(value)) throw new ReplayFormatError('(root)', 'must be a JSON object')
  if (value.format !== 'ao-replay/1') throw new ReplayFormatError('format', `must be "ao-replay/1" (got ${JSON.stringify(value.format)})`)
  checkRecord(value.module, 'module')
  checkMessage(value.process, 'process', false)
  if (!Array.isArray(value.messages)) throw new ReplayFormatError('messages', 'must be an array')
  value.messages.forEach((m, i) => checkMessage(m, `messages[${i}]`, true))
  return value as ReplayFile
}

function checkRecord(value: unknown, path: string, idOptional = false): void {
  if (!isObject(value)) throw new ReplayFormatError(path, 'must be an object')
  for (const field of ['Id', 'Owner'] as const) {
    if (field === 'Id' && idOptional && value.Id === undefined) continue
    if (typeof value[field] !== 'string' || value[field] === '') throw new ReplayFormatError(`${path}.${field}`, 'must be a non-empty string')
  }
  checkTags(value.Tags, `${path}.Tags`)
}

/** `cronAllowed`: a later message with `Cron: true` may come without an Id, as the CU builds cron ticks. */
function checkMessage(value: unknown, path: string, cronAllowed: boolean): void {
  checkRecord(value, path, cronAllowed && isObject(value) && value.Cron === true)
  const message = value as Record<string, unknown>
  for (const field of NUMERIC_FIELDS) {
    if (message[field] !== undefined && (typeof message[field] !== 'number' || !Number.isFinite(message[field]))) {
      throw new ReplayFormatError(`${path}.${field}`, 'must be a number')
    }
  }
  if (message.Data !== undefined && typeof message.Data !== 'string') throw new ReplayFormatError(`${path}.Data`, 'must be a string')
  for (const field of ['Cron', 'Read-Only'] as const) {
    if (message[field] !== undefined && typeof message[field] !== 'boolean') throw new ReplayFormatError(`${path}.${field}`, 'must be a boolean')
  }
}

function checkTags(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw new ReplayFormatError(path, 'must be an array of {name, value}')
  value.forEach((tag, i) => {
    if (!isObject(tag) || typeof tag.name !== 'string' || typeof tag.value !== 'string') {
      throw new ReplayFormatError(`${path}[${i}]`, 'must be {name: string, value: string}')
    }
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The message as the CU hands it over: tags named exactly From or Owner are removed (spec §0). */
function asEvaluated(message: ReplayMessage): AoMessage {
  return { ...message, Tags: message.Tags.filter((t) => t.name !== 'From' && t.name !== 'Owner') }
}

function pickResult(result: AoResult): ReplayResult {
  const picked: ReplayResult = {}
  for (const field of RESULT_FIELDS) if (result[field] !== undefined) (picked as Record<string, unknown>)[field] = result[field]
  return picked
}

/**
 * Evaluates the Process message, then every message in order, carrying state (and rolling back on Error). Each
 * message runs under the VM's limits (`computeLimit`, `maxOutput`, memory): breaching one is that message's Error
 * result, so a gigantic output never reaches a JS string (no RangeError).
 */
export async function replay(input: unknown, options: ProcessVmOptions = {}): Promise<ReplayOutput> {
  const file = parseReplayFile(input)
  const strip = (r: ReplayRecord) => ({ Id: r.Id, Owner: r.Owner, Tags: r.Tags })
  const env: AoEnv = { Process: strip(file.process), Module: strip(file.module) }
  const vm = await ProcessVm.create(env, options)
  const results: ReplayResult[] = []
  for (const message of [file.process, ...file.messages]) {
    results.push(pickResult(await vm.evaluate(asEvaluated(message), env)))
  }
  return { results }
}
