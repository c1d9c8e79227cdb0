// A bare process and message builder for the VM tests: no network, deterministic ids and timestamps.
import { ProcessVm, type AoEnv, type AoMessage, type ProcessVmOptions } from '../../../harness/vm/processVm.js'
import { AOS_MODULE } from '../../../sdk/constants.js'

const tags = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }))
const owner = 'o'.repeat(43)

export function processEnv(extraTags: Record<string, string> = {}): AoEnv {
  return {
    Process: { Id: 'p'.repeat(43), Owner: owner, Tags: tags({ 'Data-Protocol': 'ao', Type: 'Process', Module: AOS_MODULE, ...extraTags }) },
    Module: { Id: AOS_MODULE, Owner: owner, Tags: tags({ 'Data-Protocol': 'ao', Type: 'Module' }) },
  }
}

/** A process that has evaluated its Process message, and a way to send it Eval messages. */
export async function spawnBare(options: ProcessVmOptions = {}, extraTags: Record<string, string> = {}) {
  const env = processEnv(extraTags)
  let nonce = 0
  const msg = (id: string, messageTags: Record<string, string>, data = ''): AoMessage => ({
    Id: id.padEnd(43, '-'), Owner: owner, From: owner, Target: env.Process.Id, Data: data, Tags: tags(messageTags),
    Nonce: nonce, Timestamp: 1_700_000_000_000 + 1000 * nonce++, 'Block-Height': 1_000, Cron: false,
  })
  const vm = await ProcessVm.create(env, options)
  const boot = await vm.evaluate({ ...msg(env.Process.Id, {}), Tags: env.Process.Tags }, env)
  if (boot.Error) throw new Error(`Process message failed: ${boot.Error}`)
  return {
    vm,
    env,
    boot,
    msg,
    evaluate: (code: string) => vm.evaluate(msg(`eval-${nonce}`, { Action: 'Eval' }, code), env),
    dryRun: (code: string) => vm.dryRun(msg(`dry-${nonce}`, { Action: 'Eval' }, code), env),
  }
}
