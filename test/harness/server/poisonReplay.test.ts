// An input that throws while it is applied must not brick the devnet: it is in the log, so it throws again on
// every replay. Its failure is recorded as its result (an Error), the devnet goes on, and every restart (from
// the whole log, or from an image) gives the same results.
import { expect } from 'chai'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { parseDataItem } from '../../../sdk/dataItem/parseDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { Devnet, type DevnetOptions } from '../../../harness/server/devnet.js'
import { DevnetStore } from '../../../harness/server/devnetStore.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { DEFAULT_SCHEDULER } from '../../../sdk/constants.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { DEVNET_EPOCH, removeDataDir } from './support.js'

const eth = ethereumSigner(ETH_PRIVATE_KEY)

const COUNTER = `Count = Count or 0
Handlers.add('add', 'Add', function(msg) Count = Count + 1 end)
Handlers.add('loop', 'Loop', function(msg) ao.send({ Target = ao.id, Action = 'Loop' }) end)
Handlers.add('state', 'State', function(msg) msg.reply({ Data = tostring(Count) }) end)`

function spawnItem(extra: { name: string; value: string }[] = []) {
  return createDataItem({
    signer: eth,
    tags: processTags(DEFAULT_SCHEDULER, [...extra]),
  })
}

const message = (pid: string, action: string, data = ' ') => rawItem({ signer: eth, target: pid, tags: messageTags(action), data })
const idOf = (raw: Uint8Array) => parseDataItem(raw).id

describe('devnet replay survives inputs that throw', function () {
  this.timeout(120_000)
  const dirs: string[] = []
  after(() => dirs.forEach(removeDataDir))
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'aokit-poison-'))
    dirs.push(dir)
    return dir
  }

  /** Everything the CU serves for these processes: results by cursor, with the messages they answer. */
  const everything = (devnet: Devnet, pids: string[]) => pids.map((pid) => devnet.results(pid, { limit: 1000, sort: 'ASC' }))

  /** Opens as a crashed devnet's successor would: the old one never closed (no image at its end). */
  async function reopenAbandoned(dir: string, options: Partial<DevnetOptions> = {}): Promise<Devnet> {
    rmSync(join(dir, 'devnet.lock'))
    return Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 10_000, warn: () => {}, ...options })
  }

  it('an input whose apply throws gets an Error result, and the same one on every restart', async () => {
    const dir = freshDir()
    let poison = ''
    const beforeApply: DevnetOptions['beforeApply'] = (entry) => {
      // Deterministic, as content-caused failures are: the same entry fails on every replay.
      if (entry.kind === 'item' && idOf(entry.item) === poison) throw new RangeError('Invalid string length')
    }
    const warnings: string[] = []
    const live = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 10_000, beforeApply, warn: (m) => warnings.push(m) })
    const spawn = await spawnItem()
    await live.accept(spawn.raw)
    await live.accept(await message(spawn.id, 'Eval', COUNTER))
    const bad = await message(spawn.id, 'Add', 'poison')
    poison = idOf(bad)
    expect(await live.accept(bad)).to.deep.include({ id: poison, duplicate: false })
    await live.accept(await message(spawn.id, 'Add'))
    const error = live.result(poison, spawn.id).Error
    expect(error).to.equal('log entry 3 (item): applying it failed: RangeError: Invalid string length')
    expect(warnings).to.deep.equal([`devnet: ${error}`])
    // Sent again, it is a duplicate: it ran (and failed) once.
    expect(await live.accept(bad)).to.deep.include({ duplicate: true })
    const before = everything(live, [spawn.id])

    const replayed = await reopenAbandoned(dir, { beforeApply })
    expect(everything(replayed, [spawn.id])).to.deep.equal(before)
    expect(replayed.result(poison, spawn.id).Error).to.equal(error)
    await replayed.close()
    // And from the image the clean close stored.
    const imaged = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, beforeApply, warn: () => {} })
    expect(everything(imaged, [spawn.id])).to.deep.equal(before)
    await imaged.close()
  })

  it('real poison already in the log (a bad Cron-Interval spawn, a message loop) replays to the same results', async () => {
    const dir = freshDir()
    // Logged as a devnet without today's accept checks would have: straight into the store.
    const badCron = await spawnItem([{ name: 'Cron-Interval', value: 'every-tuesday' }])
    const good = await spawnItem([{ name: 'Name', value: 'good' }])
    const load = await message(good.id, 'Eval', COUNTER)
    const loop = await message(good.id, 'Loop')
    const add = await message(good.id, 'Add')
    const store = await DevnetStore.open(dir)
    for (const raw of [badCron.raw, good.raw, load, loop, add]) store.append({ kind: 'item', at: DEVNET_EPOCH, item: raw }, idOf(raw))
    store.close()

    const first = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 10_000, warn: () => {} })
    expect(first.logLength).to.equal(5)
    // Whatever the network makes of them (a refusal, an Error result, or a throw the devnet records as one), the
    // devnet opens, the inputs after them ran, and a restart gives the same outcome.
    for (const id of [idOf(loop), idOf(add)]) expect(first.evaluation(id, good.id), id).to.not.equal(undefined)
    const state = await first.dryrun({ process: good.id, owner: 'reader', tags: messageTags('State'), data: '' })
    expect(state.Messages?.[0]?.Data).to.equal('1')
    const results = everything(first, [good.id])
    const cronResult = first.evaluation(badCron.id, badCron.id)?.result

    const second = await reopenAbandoned(dir)
    expect(everything(second, [good.id])).to.deep.equal(results)
    expect(second.evaluation(badCron.id, badCron.id)?.result).to.deep.equal(cronResult)
    // It keeps working: new input is accepted after the poison.
    await second.accept(await message(good.id, 'Add', 'after'))
    await second.close()
    const third = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, warn: () => {} })
    const after = await third.dryrun({ process: good.id, owner: 'reader', tags: messageTags('State'), data: '' })
    expect(after.Messages?.[0]?.Data).to.equal('2')
    await third.close()
  })
})
