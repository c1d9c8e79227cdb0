// `npm run bench`: every measurement of issue 7 in one run, side by side with its peers. Prints one Markdown
// table to stdout (progress goes to stderr) and writes bench/results.json with the machine it ran on.
//   npm run bench            full run (about two minutes on 2 cores)
//   npm run bench -- --quick smaller counts, to check the bench itself works
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dryrunLatency, meteringCost, replayLog, snapshotRevert, spawnTime, testSuite, tokenNetwork, transfersEndToEnd } from './harness.js'
import { describeMachine, machineInfo } from './machine.js'
import { runMemory } from './memory.js'
import { runAosLoader } from './peers/aosLoader.js'
import { runWao } from './peers/wao.js'
import { runWasmoon } from './peers/wasmoon.js'
import { runSdk } from './sdk.js'
import { SUITE } from './workload.js'
import { formatTable, gib, kib, mib, ms, num, target, times, type Row } from './table.js'

const quick = process.argv.includes('--quick')
const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n)

const COUNTS = {
  transfers: scale(10_000),
  transferWarmup: scale(1_000),
  wasmoonTransfers: scale(100_000),
  aosTransfers: scale(1_000),
  aosWarmup: scale(50),
  aosReplayTransfers: scale(1_000),
  waoTransfers: quick ? 3 : 20,
  waoWarmup: 2,
  spawns: scale(100),
  memoryProcesses: scale(1_000),
  dryruns: scale(1_000),
  replayMessages: scale(10_000),
  meteringMessages: scale(1_500),
  meteringRounds: 2,
  snapshotProcesses: 100,
  snapshotRounds: 5,
  suiteTests: scale(SUITE.tests),
  aosSuiteTests: quick ? 1 : 10,
  arweaveSigns: scale(100),
  ethereumSigns: scale(500),
}
const RSS_LIMIT = 16 * 2 ** 30
const TARGETS = { transfersPerSecond: 10_000, spawnMs: 5, rss1000: 2 * 2 ** 30, snapshotRevertMs: 50, wholeBenchMs: 180_000 }

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`)

/** Runs a peer; a failure becomes its error text in the table instead of stopping the bench. */
async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn()
  } catch (error) {
    const text = (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 160)
    log(`${name} failed: ${error instanceof Error ? error.message : error}`)
    return { error: text }
  }
}
const failed = (value: unknown): value is { error: string } => typeof value === 'object' && value !== null && 'error' in value

async function main(): Promise<void> {
  const started = performance.now()
  const machine = machineInfo()
  log(`machine: ${describeMachine(machine)}${quick ? ' (quick run)' : ''}`)

  // Spawn and snapshot first, while this process's heap is small (the 10,000 transfers leave a large history).
  log(`2. spawn time, median of ${num(COUNTS.spawns)} on a fresh network`)
  const spawn = await spawnTime(COUNTS.spawns, 10)
  log(`3. snapshot + revert of a ${COUNTS.snapshotProcesses}-process network, ${COUNTS.snapshotRounds} rounds`)
  const snapshot = await snapshotRevert(COUNTS.snapshotProcesses, COUNTS.snapshotRounds)
  log(`6. test suite: ${COUNTS.suiteTests} tests, each a fresh copy of a ${SUITE.recipients + 1}-process fixture + ${SUITE.transfers} Transfers`)
  const suite = await testSuite(COUNTS.suiteTests, SUITE.transfers, SUITE.recipients)
  log(`   ${num(suite.ms, 0)} ms (${ms(suite.msPerTest, 2)}/test, fixture built in ${ms(suite.fixtureMs)})`)
  log(`1. token network; ${num(COUNTS.transferWarmup)} warm-up + ${num(COUNTS.transfers)} timed Transfers end to end`)
  const net = await tokenNetwork()
  const transfers = await transfersEndToEnd(net, COUNTS.transfers, COUNTS.transferWarmup)
  log(`   ${num(transfers.transfersPerSecond)} transfers/s, ${num(transfers.messagesPerSecond)} messages/s`)
  log(`4a. ${num(COUNTS.dryruns)} dry-runs (Balance) against the token`)
  const dryrun = await dryrunLatency(net, COUNTS.dryruns, 50)
  log(`1. peer: bare wasmoon balance-update loop, ${num(COUNTS.wasmoonTransfers)} calls`)
  const wasmoon = await runWasmoon(COUNTS.wasmoonTransfers, scale(10_000))
  log(`4b. replay() of a ${num(COUNTS.replayMessages)}-message token log`)
  const replayed = await replayLog(COUNTS.replayMessages)
  log(`4c. gas metering cost: replay() of a ${num(COUNTS.meteringMessages)}-message log, metered vs unmetered module, ${COUNTS.meteringRounds} rounds`)
  const metering = await meteringCost(COUNTS.meteringMessages, COUNTS.meteringRounds)
  log(`   ${num(metering.meteredPerSecond)} vs ${num(metering.plainPerSecond)} msg/s: metering costs ${metering.ratio.toFixed(2)}×`)
  log(`5. SDK signatures and browser bundle sizes`)
  const sdk = await runSdk({ arweave: COUNTS.arweaveSigns, ethereum: COUNTS.ethereumSigns, warmup: 10 })

  log(`1/2/4. peer: aos 2.0.6 on ao-loader (child process), ${num(COUNTS.aosTransfers)} transfers`)
  const aos = await attempt('ao-loader peer', () =>
    runAosLoader({ transfers: COUNTS.aosTransfers, warmup: COUNTS.aosWarmup, replayTransfers: COUNTS.aosReplayTransfers, spawnSamples: 10, rssInstances: 20, dryruns: scale(200), suite: { tests: COUNTS.aosSuiteTests, transfers: SUITE.transfers, recipients: SUITE.recipients } }),
  )
  log(`1. peer: WAO in-memory AO (child process), ${COUNTS.waoTransfers} transfers`)
  const wao = await attempt('WAO peer', () => runWao({ transfers: COUNTS.waoTransfers, warmup: COUNTS.waoWarmup, suite: { tests: COUNTS.suiteTests, transfers: SUITE.transfers, recipients: SUITE.recipients } }))
  log(`2. RSS with ${num(COUNTS.memoryProcesses)} live processes (child process)`)
  const memory = await runMemory({ processes: COUNTS.memoryProcesses, warmup: 5, step: scale(100), rssLimit: RSS_LIMIT })

  const wallMs = performance.now() - started
  const aosOk = failed(aos) ? undefined : aos
  const waoOk = failed(wao) ? undefined : wao
  const aosError = failed(aos) ? `failed: ${aos.error}` : ''
  const waoError = failed(wao) ? `failed: ${wao.error}` : ''
  const aosTransfersPerSecond = aosOk && (aosOk.transfers * 1000) / aosOk.transferMs
  const aosMessagesPerSecond = aosOk && (aosOk.messages * 1000) / aosOk.transferMs
  const aosReplayPerSecond = aosOk && (aosOk.replay.messages * 1000) / aosOk.replay.ms
  const aosRss1000 = aosOk && aosOk.rss.bytesPerInstance * 1000
  const msPerMessage = 1000 / transfers.messagesPerSecond
  const AOS = 'aos 2.0.6 on ao-loader'

  const rows: Row[] = [
    {
      measurement: `1. Token Transfer end to end (Transfer + Credit-Notice routed to a recipient process), ${num(transfers.transfers)} transfers`,
      aokit: `${num(transfers.transfersPerSecond)} transfers/s`,
      peer: `bare wasmoon: a Lua balance-update function called from JS (the limit), ${num(wasmoon.transfers)} calls`,
      peerValue: `${num(wasmoon.perSecond)} transfers/s`,
      ratio: `${times(transfers.transfersPerSecond / wasmoon.perSecond)} (aokit/peer)`,
      target: target(`≥ ${num(TARGETS.transfersPerSecond)} transfers/s`, transfers.transfersPerSecond >= TARGETS.transfersPerSecond),
    },
    {
      measurement: '1. same, transfers/s',
      aokit: `${num(transfers.transfersPerSecond)} transfers/s`,
      peer: `${AOS}, memory carried per message, ${num(COUNTS.aosTransfers)} transfers`,
      peerValue: aosOk ? `${num(aosTransfersPerSecond!)} transfers/s` : aosError,
      ratio: aosOk ? `${times(transfers.transfersPerSecond / aosTransfersPerSecond!)} (aokit/peer)` : '—',
      target: '—',
    },
    {
      measurement: '1. same, messages evaluated/s',
      aokit: `${num(transfers.messagesPerSecond)} msg/s`,
      peer: AOS,
      peerValue: aosOk ? `${num(aosMessagesPerSecond!)} msg/s` : aosError,
      ratio: aosOk ? `${times(transfers.messagesPerSecond / aosMessagesPerSecond!)} (aokit/peer)` : '—',
      target: '—',
    },
    {
      measurement: '1. same, time per message',
      aokit: ms(msPerMessage, 3),
      peer: `WAO in-memory AO (wao/test), ${COUNTS.waoTransfers} transfers`,
      peerValue: waoOk ? `${ms(waoOk.msPerMessage, 1)} (${num(waoOk.transfersPerSecond, 1)} transfers/s)` : waoError,
      ratio: waoOk ? `${times(waoOk.msPerMessage / msPerMessage)} (peer/aokit)` : '—',
      target: '—',
    },
    {
      measurement: `2. Spawn (new VM with the aos runtime + Process message), median of ${num(spawn.samples)}, fresh network`,
      aokit: `${ms(spawn.median)} (p95 ${ms(spawn.p95)})`,
      peer: `${AOS}: new instance + Process message, median of ${aosOk?.spawnMs.samples ?? 10}`,
      peerValue: aosOk ? ms(aosOk.spawnMs.median) : aosError,
      ratio: aosOk ? `${times(aosOk.spawnMs.median / spawn.median)} (peer/aokit)` : '—',
      target: target(`≤ ${TARGETS.spawnMs} ms`, spawn.median <= TARGETS.spawnMs),
    },
    {
      measurement: `2. Spawn while growing to ${num(COUNTS.memoryProcesses)} live processes, median of ${num(memory.spawnMs.samples)}`,
      aokit: `${ms(memory.spawnMs.median)} (p95 ${ms(memory.spawnMs.p95)})`,
      peer: '—',
      peerValue: '—',
      ratio: '—',
      target: target(`≤ ${TARGETS.spawnMs} ms`, memory.spawnMs.median <= TARGETS.spawnMs),
    },
    {
      measurement: `2. RSS with ${num(COUNTS.memoryProcesses)} live processes (each spawned + a small contract loaded)${memory.extrapolated ? ', EXTRAPOLATED' : ''}`,
      aokit: `${gib(memory.rssAtTarget)} (${mib((memory.rssAtTarget - memory.baselineBytes) / COUNTS.memoryProcesses)}/process over a ${mib(memory.baselineBytes)} base)`,
      peer: `${AOS}: RSS growth per instance over ${aosOk?.rss.instances ?? 20} instances × 1,000 (extrapolated; heap ${aosOk ? mib(aosOk.rss.heapBytes) : '?'} reserved each)`,
      peerValue: aosOk ? gib(aosRss1000!) : aosError,
      ratio: aosOk ? `${times(aosRss1000! / memory.rssAtTarget)} (peer/aokit)` : '—',
      target: target(`≤ 2 GiB`, memory.rssAtTarget <= TARGETS.rss1000),
    },
    {
      measurement: `3. Snapshot + revert of a ${snapshot.processes}-process network, every process changed (median of ${snapshot.rounds})`,
      aokit: `${ms(snapshot.totalMs.median)} (snapshot ${ms(snapshot.snapshotMs)} + revert ${ms(snapshot.revertMs)})`,
      peer: '—',
      peerValue: '—',
      ratio: '—',
      target: target(`≤ ${TARGETS.snapshotRevertMs} ms`, snapshot.totalMs.median <= TARGETS.snapshotRevertMs),
    },
    {
      measurement: `4. Dry-run latency (token Balance), ${num(dryrun.samples)} dry-runs`,
      aokit: `median ${ms(dryrun.median, 3)}, p95 ${ms(dryrun.p95, 3)}`,
      peer: `${AOS}: the same Balance message on the live instance (no state copy: a lower bound)`,
      peerValue: aosOk ? `median ${ms(aosOk.dryrunMs.median, 3)}, p95 ${ms(aosOk.dryrunMs.p95, 3)}` : aosError,
      ratio: aosOk ? `${times(aosOk.dryrunMs.median / dryrun.median)} (peer/aokit, medians)` : '—',
      target: '—',
    },
    {
      measurement: `4. replay() of a ${num(replayed.messages)}-message log (token: Process, Eval, Mint, Transfers)`,
      aokit: `${ms(replayed.ms, 0)} (${num(replayed.messagesPerSecond)} msg/s)`,
      peer: `${AOS}: the first ${num(aosOk?.replay.messages ?? COUNTS.aosReplayTransfers + 3)} messages of the same log`,
      peerValue: aosOk ? `${ms(aosOk.replay.ms, 0)} (${num(aosReplayPerSecond!)} msg/s)` : aosError,
      ratio: aosOk ? `${times(replayed.messagesPerSecond / aosReplayPerSecond!)} (aokit/peer, msg/s)` : '—',
      target: '—',
    },
    {
      measurement: `4. Gas metering cost: replay() of a ${num(metering.messages)}-message token log on the metered module (${num(metering.gasPerMessage)} gas/message)`,
      aokit: `${num(metering.meteredPerSecond)} msg/s metered`,
      peer: "the same aokit replay on wasmoon's unmetered module (no compute limit)",
      peerValue: `${num(metering.plainPerSecond)} msg/s`,
      ratio: `${times(metering.meteredPerSecond / metering.plainPerSecond)} (metered/unmetered; cost ${metering.ratio.toFixed(2)}×)`,
      target: '—',
    },
    {
      measurement: `5. Signed data items/s, Arweave RSA-PSS 4096 (${num(sdk.arweave.aokit.items)} items)`,
      aokit: `${num(sdk.arweave.aokit.perSecond)}/s`,
      peer: 'arbundles ArweaveSigner + createData (what aoconnect signs with)',
      peerValue: `${num(sdk.arweave.arbundles.perSecond)}/s`,
      ratio: `${times(sdk.arweave.aokit.perSecond / sdk.arweave.arbundles.perSecond)} (aokit/peer)`,
      target: '—',
    },
    {
      measurement: `5. Signed data items/s, Ethereum secp256k1 (${num(sdk.ethereum.aokit.items)} items)`,
      aokit: `${num(sdk.ethereum.aokit.perSecond)}/s`,
      peer: 'arbundles EthereumSigner + createData',
      peerValue: `${num(sdk.ethereum.arbundles.perSecond)}/s`,
      ratio: `${times(sdk.ethereum.aokit.perSecond / sdk.ethereum.arbundles.perSecond)} (aokit/peer)`,
      target: '—',
    },
    {
      measurement: '5. Browser bundle, send + result (createClient, message, result, arweaveSigner), minified',
      aokit: `${kib(sdk.bundle.aokitSendResult.gzipBytes)} gzip (${kib(sdk.bundle.aokitSendResult.rawBytes)} raw)`,
      peer: "aoconnect's shipped dist/browser.js",
      peerValue: `${kib(sdk.bundle.aoconnect.gzipBytes)} gzip (${kib(sdk.bundle.aoconnect.rawBytes)} raw)`,
      ratio: `${times(sdk.bundle.aoconnect.gzipBytes / sdk.bundle.aokitSendResult.gzipBytes)} (peer/aokit, gzip)`,
      target: '—',
    },
    {
      measurement: `6. Test suite: ${num(suite.tests)} tests, each a fresh ${SUITE.recipients + 1}-process fixture (loadFixture: built once, then revert) + ${suite.messagesPerTest} messages`,
      aokit: `${ms(suite.ms, 0)} (${ms(suite.msPerTest, 2)}/test; fixture built in ${ms(suite.fixtureMs)})`,
      peer: `${AOS}: fresh instances + the fixture's messages per test, ${aosOk?.suite?.tests ?? COUNTS.aosSuiteTests} tests × ${num(suite.tests / (aosOk?.suite?.tests ?? COUNTS.aosSuiteTests))} (extrapolated)`,
      peerValue: aosOk?.suite ? `${ms(aosOk.suite.msPerTest * suite.tests, 0)} (${ms(aosOk.suite.msPerTest, 1)}/test)` : aosError || 'no suite result',
      ratio: aosOk?.suite ? `${times(aosOk.suite.msPerTest / suite.msPerTest)} (peer/aokit)` : '—',
      target: '—',
    },
    {
      measurement: '6. same test suite',
      aokit: `${ms(suite.ms, 0)}`,
      peer: `WAO in-memory AO: a new AO + 3 deploys + Mint per test (no snapshot), ESTIMATED: that set-up as timed once + ${SUITE.transfers} transfers at row 1's rate, × ${num(suite.tests)}`,
      peerValue: waoOk?.suite ? `${ms(waoOk.suite.ms, 0)} (${ms(waoOk.suite.msPerTest, 0)}/test, set-up ${ms(waoOk.suite.fixtureMs, 0)})` : waoError || 'no suite result',
      ratio: waoOk?.suite ? `${times(waoOk.suite.msPerTest / suite.msPerTest)} (peer/aokit)` : '—',
      target: '—',
    },
    {
      measurement: 'Whole bench (this run, peers included)',
      aokit: `${num(wallMs / 1000, 1)} s`,
      peer: '—',
      peerValue: '—',
      ratio: '—',
      target: target('< 3 min', wallMs < TARGETS.wholeBenchMs),
    },
  ]

  const table = formatTable(rows)
  const results = {
    machine,
    quick,
    counts: COUNTS,
    targets: TARGETS,
    wallMs,
    aokit: { transfers, suite, dryrun, replay: replayed, metering, snapshot, spawn, memory, sdk },
    peers: { wasmoon, aosLoader: aos, wao },
    table: rows,
  }
  const out = fileURLToPath(new URL('./results.json', import.meta.url))
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n')
  log(`wrote ${out}`)
  process.stdout.write(`\nMeasured on ${describeMachine(machine)}\n\n${table}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`)
  process.exitCode = 1
})
