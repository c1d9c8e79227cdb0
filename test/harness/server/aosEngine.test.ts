// A devnet on the real aos module (--engine aos): items go through the same log, results come from aos 2.0.6, and
// since that engine makes no memory images the devnet stores none: a restart rebuilds every process from the log.
import { expect } from 'chai'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { Devnet } from '../../../harness/server/devnet.js'
import { DevnetStore } from '../../../harness/server/devnetStore.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { removeDataDir } from './support.js'

const COUNTER = `Count = Count or 0
Handlers.add('add', 'Add', function(msg) Count = Count + 1; msg.reply({ Data = tostring(Count) }) end)
Handlers.add('state', 'State', function(msg) msg.reply({ Data = _VERSION .. ' ' .. Count }) end)`

describe('devnet on the aos engine', function () {
  this.timeout(120_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'aokit-aos-devnet-'))
  after(() => removeDataDir(dataDir))

  it('serves spawns and messages from the real module, and a restart replays the log into the same state', async () => {
    const eth = ethereumSigner(ETH_PRIVATE_KEY)
    let now = 1767225600000
    const open = () => Devnet.open({ dataDir, engine: 'aos', now: () => (now += 1000), snapshotEvery: 1 })
    const state = async (devnet: Devnet, pid: string) =>
      String((await devnet.dryrun({ process: pid, owner: 'reader', tags: messageTags('State'), data: '' })).Messages?.[0]?.Data)

    const devnet = await open()
    const spawn = await createDataItem({ signer: eth, tags: processTags(devnet.scheduler, [{ name: 'Name', value: 'counter' }]) })
    await devnet.accept(spawn.raw)
    await devnet.accept(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Eval'), data: COUNTER }))
    for (let i = 0; i < 3; i++) await devnet.accept(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Add'), data: `add ${i}` }))
    // Lua 5.3 answers: this is aos's own module, not aokit's 5.4 runtime.
    expect(await state(devnet, spawn.id)).to.equal('Lua 5.3 3')
    await devnet.close()

    const store = await DevnetStore.open(dataDir)
    expect(store.latestSnapshot(() => {})).to.equal(undefined)
    store.close()

    const reopened = await open()
    expect(reopened.logLength).to.equal(5)
    expect(await state(reopened, spawn.id)).to.equal('Lua 5.3 3')
    await reopened.accept(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Add'), data: "after restart" }))
    expect(await state(reopened, spawn.id)).to.equal('Lua 5.3 4')
    await reopened.close()
  })
})
