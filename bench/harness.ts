// aokit's side of measurements 1–4, in this process: token Transfers end to end on the test network, spawn time,
// snapshot + revert of a 100-process network, dry-run latency, replay() of a 10,000-message log.
import { createTestNetwork, loadFixture, type TestNetwork } from '../harness/index.js'
import { replay } from '../harness/replay.js'
import { ProcessVm } from '../harness/vm/processVm.js'
import { median, perSecond, quantile, timeEach } from './stats.js'
import { MINT_QUANTITY, RECEIVER_SOURCE, RECIPIENTS, SEED, TOKEN_FILE, receiverFiles, tokenFile, transferPlan } from './workload.js'

export type TransferResult = { transfers: number; messages: number; ms: number; transfersPerSecond: number; messagesPerSecond: number }
export type Latency = { median: number; p95: number; samples: number }

/** A network holding the token (its Owner minted a balance) and the recipient processes, counting evaluations. */
export async function tokenNetwork(): Promise<{ t: TestNetwork; token: string; owner: string; recipients: string[]; evaluations: () => number }> {
  let evaluations = 0
  const t = createTestNetwork({ seed: 'bench', onEvaluation: () => void (evaluations += 1) })
  const owner = t.wallet('deployer')
  const token = await t.spawn({ file: TOKEN_FILE, name: 'token' })
  const recipients: string[] = []
  for (let i = 0; i < RECIPIENTS; i++) recipients.push(await t.spawn({ source: RECEIVER_SOURCE, name: `receiver-${i}` }))
  const minted = await t.send(owner, token, 'Mint', { Quantity: MINT_QUANTITY })
  if (minted.result.Error) throw new Error(`Mint failed: ${minted.result.Error}`)
  return { t, token, owner, recipients, evaluations: () => evaluations }
}

/**
 * Measurement 1: `warmup` then `count` Transfers from the Owner, each a send that evaluates the Transfer at the
 * token, routes the Credit-Notice to its recipient process and evaluates it there, and returns the message tree.
 */
export async function transfersEndToEnd(net: Awaited<ReturnType<typeof tokenNetwork>>, count: number, warmup: number): Promise<TransferResult> {
  const { t, token, owner, recipients } = net
  const plan = transferPlan(warmup + count)
  let start = 0
  let firstEvaluation = 0
  for (let i = 0; i < plan.length; i++) {
    if (i === warmup) {
      start = performance.now()
      firstEvaluation = net.evaluations()
    }
    const res = await t.send(owner, token, 'Transfer', { Recipient: recipients[plan[i].recipient], Quantity: plan[i].quantity })
    if (res.result.Error !== undefined || res.children.length !== 1) throw new Error(`Transfer ${i} did not reach its recipient: ${res.result.Error ?? ''}`)
  }
  const ms = performance.now() - start
  const messages = net.evaluations() - firstEvaluation
  let credits = 0
  for (const r of recipients) credits += Number(await t.read(r, 'Credits'))
  if (credits !== plan.length) throw new Error(`recipients counted ${credits} Credit-Notices, expected ${plan.length}`)
  return { transfers: count, messages, ms, transfersPerSecond: perSecond(count, ms), messagesPerSecond: perSecond(messages, ms) }
}

/** Measurement 4a: dry-runs of a Balance query against the token (after the transfers: a populated Balances). */
export async function dryrunLatency(net: Awaited<ReturnType<typeof tokenNetwork>>, count: number, warmup: number): Promise<Latency> {
  const { t, token, owner, recipients } = net
  const ask = () => t.dryrun(owner, token, 'Balance', { Recipient: recipients[0] })
  for (let i = 0; i < warmup; i++) await ask()
  const times = await timeEach(count, async () => {
    const res = await ask()
    if (res.Error !== undefined) throw new Error(`dry-run failed: ${res.Error}`)
  })
  return { median: median(times), p95: quantile(times, 0.95), samples: count }
}

/** Measurement 2a: spawn (a VM from the runtime image + its Process message) on a fresh network, median of `count`. */
export async function spawnTime(count: number, warmup: number): Promise<Latency> {
  const t = createTestNetwork({ seed: 'bench-spawn' })
  for (let i = 0; i < warmup; i++) await t.spawn({})
  const times = await timeEach(count, () => t.spawn({}))
  return { median: median(times), p95: quantile(times, 0.95), samples: count }
}

export type SnapshotResult = { processes: number; rounds: number; snapshotMs: number; revertMs: number; totalMs: Latency }

/**
 * Measurement 3: a network of `processes` recipient processes, every one changed by a message before each
 * snapshot and again before each revert, so neither is the free "nothing changed" case. Median over `rounds`.
 */
export async function snapshotRevert(processes: number, rounds: number): Promise<SnapshotResult> {
  const t = createTestNetwork({ seed: 'bench-snapshot' })
  const ids: string[] = []
  for (let i = 0; i < processes; i++) ids.push(await t.spawn({ source: RECEIVER_SOURCE }))
  const alice = t.wallet('alice')
  const touchAll = async () => {
    for (const id of ids) await t.send(alice, id, 'Credit-Notice', { Quantity: '1' })
  }
  const snaps: number[] = []
  const reverts: number[] = []
  const totals: number[] = []
  for (let round = 0; round < rounds + 1; round++) {
    await touchAll()
    let start = performance.now()
    const snapshot = t.snapshot()
    const snapMs = performance.now() - start
    await touchAll()
    start = performance.now()
    t.revert(snapshot)
    const revertMs = performance.now() - start
    if (round === 0) continue // warm-up
    snaps.push(snapMs)
    reverts.push(revertMs)
    totals.push(snapMs + revertMs)
  }
  const credits = Number(await t.read(ids[0], 'Credits'))
  if (credits !== rounds + 1) throw new Error(`revert did not restore state: Credits = ${credits}, expected ${rounds + 1}`)
  return { processes, rounds, snapshotMs: median(snaps), revertMs: median(reverts), totalMs: { median: median(totals), p95: quantile(totals, 0.95), samples: rounds } }
}

export type ReplayResult = { messages: number; ms: number; messagesPerSecond: number }

/** Measurement 4b: replay() of the token's history, `messages` long (Process, Eval, Mint, then Transfers). */
export async function replayLog(messages: number): Promise<ReplayResult> {
  const recipientIds = receiverFiles().map((file) => file.process.Id)
  const file = tokenFile(transferPlan(messages - 3), recipientIds)
  const warm = tokenFile(transferPlan(200), recipientIds)
  await replay(warm)
  const start = performance.now()
  const { results } = await replay(file)
  const ms = performance.now() - start
  const failed = results.findIndex((r) => r.Error !== undefined)
  if (failed >= 0) throw new Error(`replay: message ${failed} failed: ${results[failed].Error}`)
  return { messages: results.length, ms, messagesPerSecond: perSecond(results.length, ms) }
}

export type MeteringCost = { messages: number; meteredPerSecond: number; plainPerSecond: number; ratio: number; gasPerMessage: number }

/**
 * What gas metering costs: replay() of the same token log on the metered module and on wasmoon's original one,
 * interleaved over `rounds` so load drifts hit both alike. `ratio` is plain/metered throughput (> 1 = slower).
 */
export async function meteringCost(messages: number, rounds: number): Promise<MeteringCost> {
  const recipientIds = receiverFiles().map((file) => file.process.Id)
  const file = tokenFile(transferPlan(messages - 3), recipientIds)
  const warm = tokenFile(transferPlan(200), recipientIds)
  await replay(warm, { metered: true })
  await replay(warm, { metered: false })
  const ms = { metered: 0, plain: 0 }
  let count = 0
  for (let round = 0; round < rounds; round++) {
    for (const metered of [true, false]) {
      const start = performance.now()
      const { results } = await replay(file, { metered })
      ms[metered ? 'metered' : 'plain'] += performance.now() - start
      count = results.length
      const failed = results.findIndex((r) => r.Error !== undefined)
      if (failed >= 0) throw new Error(`metering replay: message ${failed} failed: ${results[failed].Error}`)
    }
  }
  const gas = await gasPerMessage(file)
  const meteredPerSecond = perSecond(count * rounds, ms.metered)
  const plainPerSecond = perSecond(count * rounds, ms.plain)
  return { messages: count, meteredPerSecond, plainPerSecond, ratio: plainPerSecond / meteredPerSecond, gasPerMessage: gas }
}

/** Mean GasUsed of the log's messages, straight from the VM. */
async function gasPerMessage(file: ReturnType<typeof tokenFile>): Promise<number> {
  const env = { Process: { Id: file.process.Id, Owner: file.process.Owner, Tags: file.process.Tags }, Module: file.module }
  const vm = await ProcessVm.create(env)
  let total = 0
  for (const message of [file.process, ...file.messages]) total += (await vm.evaluate(message, env)).GasUsed ?? 0
  return total / (file.messages.length + 1)
}

export type SuiteResult = { tests: number; messagesPerTest: number; ms: number; msPerTest: number; fixtureMs: number }

/**
 * The test-suite workload (SUITE in workload.ts): `tests` tests, each taking a fresh copy of one fixture with
 * loadFixture (the first call builds it: spawns the token and its recipients and mints; every later one reverts
 * to its snapshot), then sending `transfers` Transfers routed to the recipients. The whole suite is timed,
 * the fixture's build included, as a test runner would pay it.
 */
export async function testSuite(tests: number, transfers: number, recipients: number): Promise<SuiteResult> {
  let evaluations = 0
  async function tokenFixture(t: TestNetwork) {
    const owner = t.wallet('deployer')
    const token = await t.spawn({ file: TOKEN_FILE, name: 'token' })
    const receivers: string[] = []
    for (let i = 0; i < recipients; i++) receivers.push(await t.spawn({ source: RECEIVER_SOURCE, name: `receiver-${i}` }))
    const minted = await t.send(owner, token, 'Mint', { Quantity: MINT_QUANTITY })
    if (minted.result.Error) throw new Error(`Mint failed: ${minted.result.Error}`)
    return { t, owner, token, receivers }
  }
  const plan = transferPlan(transfers, recipients, SEED + 1)
  const options = { seed: `bench-suite-${tests}`, onEvaluation: () => void (evaluations += 1) }
  const start = performance.now()
  let fixtureMs = 0
  for (let test = 0; test < tests; test++) {
    const { t, owner, token, receivers } = await loadFixture(tokenFixture, options)
    if (test === 0) fixtureMs = performance.now() - start
    const counted = evaluations
    for (const transfer of plan) {
      const res = await t.send(owner, token, 'Transfer', { Recipient: receivers[transfer.recipient], Quantity: transfer.quantity })
      if (res.result.Error !== undefined || res.children.length !== 1) throw new Error(`suite test ${test}: Transfer did not reach its recipient: ${res.result.Error ?? ''}`)
    }
    if (evaluations - counted !== transfers * 2) throw new Error(`suite test ${test}: ${evaluations - counted} evaluations, expected ${transfers * 2}`)
    let credits = 0
    for (const r of receivers) credits += Number(await t.read(r, 'Credits'))
    if (credits !== transfers) throw new Error(`suite test ${test}: recipients counted ${credits} Credit-Notices, expected ${transfers} (the fixture was not fresh)`)
  }
  const ms = performance.now() - start
  return { tests, messagesPerTest: transfers * 2, ms, msPerTest: ms / tests, fixtureMs }
}
