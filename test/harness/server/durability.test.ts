// A devnet keeps every message it acknowledged: across a clean restart, an abandoned process (a crash within
// this test process), and a real SIGKILL of a devnet child process in the middle of a stream of 1,000 messages.
import { expect } from 'chai'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { parseDataItem } from '../../../sdk/dataItem/parseDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { Devnet } from '../../../harness/server/devnet.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { DEVNET_EPOCH, removeDataDir } from './support.js'
import { dryRunState, exited, killChildren, post, startChild } from '../../helpers/devnetChild.js'

// The state is the order of everything seen, so a lost, doubled or reordered message changes it.
const TRAIL = `Count = Count or 0
Trail = Trail or ''
Handlers.add('add', 'Add', function(msg) Count = Count + 1; Trail = Trail .. msg.Data .. ',' end)
Handlers.add('state', 'State', function(msg) msg.reply({ Data = Count .. '|' .. Trail }) end)`

const eth = ethereumSigner(ETH_PRIVATE_KEY)

/** A Process item for `scheduler`, the Eval that loads TRAIL, and `n` Add messages with data "m<i>". */
async function items(scheduler: string, n: number) {
  const spawn = await createDataItem({
    signer: eth,
    tags: processTags(scheduler, [{ name: 'Name', value: 'trail' }]),
  })
  const load = await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Eval'), data: TRAIL })
  const adds: Uint8Array[] = []
  for (let i = 0; i < n; i++) adds.push(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Add'), data: `m${i}` }))
  return { pid: spawn.id, spawn: spawn.raw, load, adds }
}

/** Every dir made here, reference devnets' too, removed after the suite. */
const made: string[] = []
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aokit-durable-'))
  made.push(dir)
  return dir
}

async function stateOf(devnet: Devnet, pid: string): Promise<string> {
  const result = await devnet.dryrun({ process: pid, owner: 'reader', tags: messageTags('State'), data: '' })
  return String(result.Messages?.[0]?.Data)
}

/** The last Hash-Chain of a process's history: equal chains mean the same messages in the same order. */
function headOf(devnet: Devnet, pid: string): string {
  const page = devnet.scheduled(pid, { limit: 100_000 })
  return String(page.at(-1)!.message['Hash-Chain'])
}

describe('devnet durability', function () {
  const dirs: string[] = []
  after(() => [...dirs, ...made].forEach(removeDataDir))
  // A failing test must not leave a devnet child running behind it.
  afterEach(killChildren)

  it('a clean restart keeps state, results, cursors and the hash chain', async () => {
    const dir = freshDir()
    dirs.push(dir)
    let devnet = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH })
    const { pid, spawn, load, adds } = await items(devnet.scheduler, 6)
    for (const raw of [spawn, load, ...adds.slice(0, 3)]) await devnet.accept(raw)
    await devnet.close()

    devnet = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH })
    expect(await stateOf(devnet, pid)).to.equal('3|m0,m1,m2,')
    for (const raw of adds.slice(3)) await devnet.accept(raw)
    expect(await stateOf(devnet, pid)).to.equal('6|m0,m1,m2,m3,m4,m5,')
    const cursors = devnet.results(pid, { limit: 100, sort: 'ASC' }).map((e) => e.ordinal)
    expect(cursors).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7])
    expect(devnet.scheduled(pid, { limit: 100 }).map((e) => e.nonce)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7])

    const reference = await Devnet.open({ dataDir: freshDir(), now: () => DEVNET_EPOCH })
    // Same seed is not needed: the hash chain depends on message ids only, and those are the items' own.
    for (const raw of [spawn, load, ...adds]) await reference.accept(raw)
    expect(headOf(devnet, pid)).to.equal(headOf(reference, pid))
    await Promise.all([devnet.close(), reference.close()])
  })

  it('a devnet abandoned mid-run is rebuilt from its last snapshot plus the log after it', async () => {
    const dir = freshDir()
    dirs.push(dir)
    const crashed = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 5 })
    const { pid, spawn, load, adds } = await items(crashed.scheduler, 10)
    for (const raw of [spawn, load, ...adds]) await crashed.accept(raw)
    // No close: the store has a snapshot after entry 10 and two log entries after it. A crashed devnet's lock
    // names a dead pid and is taken over; this one's owner lives on in this process, so drop its lock by hand.
    rmSync(join(dir, 'devnet.lock'))
    const revived = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 5 })
    expect(revived.logLength).to.equal(12)
    expect(await stateOf(revived, pid)).to.equal(await stateOf(crashed, pid))
    expect(revived.result(parseDataItem(adds[9]!).id, pid).Error).to.equal(undefined)
    expect(headOf(revived, pid)).to.equal(headOf(crashed, pid))
    await revived.close()
  })

  it('SIGKILL mid-stream of 1,000 messages: every acknowledged message survives, in order, same final state', async function () {
    this.timeout(240_000)
    const dir = freshDir()
    dirs.push(dir)
    let child = await startChild(dir)
    const { pid, spawn, load, adds } = await items(child.scheduler, 1000)
    for (const raw of [spawn, load]) expect((await post(child.url, raw)).status).to.equal(202)

    const KILL_AT = 613
    const acknowledged: number[] = []
    for (let i = 0; i < KILL_AT; i++) {
      const res = await post(child.url, adds[i]!)
      if (res.status === 202) acknowledged.push(i)
    }
    // Kill while the next message is in flight: it may or may not have been logged, but it was never acknowledged.
    const inFlight = post(child.url, adds[KILL_AT]!).then((res) => res.status, () => 'lost')
    child.process.kill('SIGKILL')
    await inFlight
    await exited(child.process)
    expect(acknowledged).to.have.length(KILL_AT)

    child = await startChild(dir)
    try {
      // Every acknowledged message has its result, and the SU lists them in the order they were acknowledged.
      const history = await (await fetch(`${child.url}/su/${pid}?limit=1000`)).json()
      const ids = history.edges.map((edge: any) => edge.node.message.id)
      const ackedIds = acknowledged.map((i) => parseDataItem(adds[i]!).id)
      expect(ids.slice(2, 2 + ackedIds.length)).to.deep.equal(ackedIds)
      for (const id of [ackedIds[0], ackedIds[300], ackedIds.at(-1)]) {
        const res = await fetch(`${child.url}/cu/result/${id}?process-id=${pid}`)
        expect(res.status).to.equal(200)
        expect((await res.json()).Error).to.equal(undefined)
      }
      // The client resends what it never got an answer for; a message that did get logged runs once only.
      for (let i = KILL_AT; i < adds.length; i++) expect((await post(child.url, adds[i]!)).status).to.equal(202)

      const killedState = await dryRunState(child.url, pid)
      expect(killedState.split('|')[0]).to.equal('1000')
      const reference = await Devnet.open({ dataDir: freshDir(), now: () => DEVNET_EPOCH })
      for (const raw of [spawn, load, ...adds]) await reference.accept(raw)
      expect(killedState).to.equal(await stateOf(reference, pid))
      await reference.close()
    } finally {
      child.process.kill('SIGTERM')
      await exited(child.process)
    }
  })
})
