// Drives one process through ProcessVm with messages shaped as a compute unit builds them (spec §6):
// deterministic ids, increasing Nonce / Timestamp / Block-Height. For runtime tests below the network layer.
import { createHash } from 'node:crypto'
import { ProcessVm, type AoEnv, type AoMessage, type AoResult, type ProcessVmOptions } from '../../harness/vm/processVm.js'
import { AOS_MODULE } from '../../sdk/constants.js'
import { stripAnsi } from './stripAnsi.js'

export { AOS_MODULE }
export type Tags = Record<string, string>

/** A deterministic 43-character base64url id from a label. */
export function fakeId(label: string): string {
  return createHash('sha256').update(label).digest('base64url')
}

export const OWNER = fakeId('owner')

export type TestProcess = {
  id: string
  /** Sends a message from `from` (default the owner) with tags and data; returns the module's result. */
  send(tags: Tags, data?: string, from?: string): Promise<AoResult>
  /** Evaluates Lua as the owner (Action = Eval). */
  eval(code: string): Promise<AoResult>
  /** Evaluates Lua as the owner and returns its printed output text (no ANSI colours). */
  evalText(code: string): Promise<string>
  dryRun(tags: Tags, data?: string, from?: string): Promise<AoResult>
  vm: ProcessVm
}

const toTags = (tags: Tags) => Object.entries(tags).map(([name, value]) => ({ name, value }))

export async function spawnTestProcess(options: ProcessVmOptions & { tags?: Tags; label?: string } = {}): Promise<TestProcess> {
  const label = options.label ?? 'process'
  const id = fakeId(label)
  const processTags = toTags({ 'Data-Protocol': 'ao', Variant: 'ao.TN.1', Type: 'Process', Module: AOS_MODULE, Scheduler: fakeId('su'), ...options.tags })
  const env: AoEnv = {
    Process: { Id: id, Owner: OWNER, Tags: processTags },
    Module: { Id: AOS_MODULE, Owner: fakeId('module-owner'), Tags: toTags({ 'Data-Protocol': 'ao', Type: 'Module' }) },
  }
  const vm = await ProcessVm.create(env, options)
  let nonce = 0
  const build = (tags: { name: string; value: string }[], data: string, from: string, id: string): AoMessage => ({
    Id: id,
    Owner: from,
    From: from,
    Target: env.Process.Id,
    Anchor: '',
    Data: data,
    Tags: tags,
    Epoch: 0,
    Nonce: nonce,
    Timestamp: 1_700_000_000_000 + nonce * 1000,
    'Block-Height': 1_000 + nonce,
    'Hash-Chain': fakeId(`${label}-chain-${nonce}`),
    Cron: false,
    'Read-Only': false,
  })
  const first = await vm.evaluate(build(processTags, '', OWNER, id), env)
  if (first.Error) throw new Error(`process message failed: ${first.Error}`)
  const send = (tags: Tags, data = '', from = OWNER) => {
    nonce += 1
    return vm.evaluate(build(toTags(tags), data, from, fakeId(`${label}-msg-${nonce}`)), env)
  }
  const evalCode = (code: string) => send({ Action: 'Eval' }, code)
  return {
    id,
    vm,
    send,
    eval: evalCode,
    async evalText(code) {
      const result = await evalCode(code)
      if (result.Error) throw new Error(`Eval failed: ${stripAnsi(result.Error)}`)
      return stripAnsi((result.Output as { data: string }).data)
    },
    dryRun: (tags, data = '', from = OWNER) => vm.dryRun(build(toTags(tags), data, from, fakeId(`${label}-dry-${nonce}`)), env),
  }
}
