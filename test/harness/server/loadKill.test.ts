// Load with crashes: 20 concurrent HTTP clients send 3,000 signed messages to a devnet child process, which is
// SIGKILLed three times during the load and restarted on the same data dir. A client resends an unanswered item
// as it was signed (the devnet dedups by id). Kills happen at fixed counts of acknowledged messages; what is
// asserted holds whichever message was in flight at each kill.
import { expect } from 'chai'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { parseDataItem } from '../../../sdk/dataItem/parseDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { dryRunState, exited, killChildren, post, startChild, type DevnetChild } from '../../helpers/devnetChild.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { removeDataDir } from './support.js'

const CLIENTS = 20
const PER_CLIENT = 150
/** Acknowledged-message counts at which the devnet is killed: one restart replays ~200 entries, two a few. */
const KILL_AT = [700, 1480, 2480]

const COUNTER = `Count = Count or 0
Trail = Trail or ''
Handlers.add('add', 'Add', function(msg) Count = Count + 1; Trail = Trail .. msg.Data .. ',' end)
Handlers.add('state', 'State', function(msg) msg.reply({ Data = Count .. '|' .. Trail }) end)`

const eth = ethereumSigner(ETH_PRIVATE_KEY)

describe('devnet under load, SIGKILLed and restarted', function () {
  this.timeout(180_000)
  // In memory where the system has it: a SIGKILL loses nothing the kernel was given, fsync or not, and the
  // disk's fsyncs would double the run time without testing anything more here.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'aokit-load-'))
  after(() => removeDataDir(dir))
  afterEach(killChildren)

  it('every acknowledged message is there exactly once, in order per process, with matching state', async () => {
    let generation = 0
    let current: Promise<DevnetChild> = startChild(dir)
    const first = await current
    let kills = 0
    let acked = 0

    /** Kills the running child and starts the next; clients see the new `current` before their posts fail. */
    const crash = (victim: DevnetChild) => {
      generation += 1
      current = (async () => {
        victim.process.kill('SIGKILL')
        await exited(victim.process)
        return startChild(dir)
      })()
    }

    /** Posts until a 202: a refused connection or a reset (a kill) means resend the same bytes. */
    const send = async (raw: Uint8Array) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const seen = generation
        const child = await current
        let status: number
        try {
          status = (await post(child.url, raw)).status
        } catch {
          if (seen === generation) await new Promise((resolve) => setTimeout(resolve, 20))
          continue
        }
        expect(status).to.equal(202)
        return
      }
      throw new Error('a message was never acknowledged')
    }

    // Each client owns one process; its messages are acknowledged one after another, so its order is known.
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const spawn = await createDataItem({
          signer: eth,
          tags: processTags(first.scheduler, [{ name: 'Name', value: `client-${c}` }]),
        })
        await send(spawn.raw)
        const load = await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Eval'), data: COUNTER })
        await send(load)
        return { pid: spawn.id, ids: [spawn.id, parseDataItem(load).id], data: [] as string[] }
      }),
    )

    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < PER_CLIENT; i++) {
          // Signed while other clients' messages are evaluated in the child: the two processes overlap.
          const data = `c${c}-${i}`
          const raw = await rawItem({ signer: eth, target: client.pid, tags: messageTags('Add'), data })
          await send(raw)
          client.ids.push(parseDataItem(raw).id)
          client.data.push(data)
          acked += 1
          if (kills < KILL_AT.length && acked >= KILL_AT[kills]!) {
            kills += 1
            crash(await current)
          }
        }
      }),
    )
    expect(kills).to.equal(KILL_AT.length)
    expect(acked).to.equal(CLIENTS * PER_CLIENT)

    const child = await current
    try {
      for (const client of clients) {
        const history = await (await fetch(`${child.url}/su/${client.pid}?limit=1000`)).json()
        const ids = history.edges.map((edge: any) => edge.node.message.id)
        // Exactly the acknowledged ids, once each, in the order the client had them acknowledged.
        expect(ids).to.deep.equal(client.ids)
        expect(await dryRunState(child.url, client.pid)).to.equal(`${PER_CLIENT}|${client.data.join(',')},`)
      }
    } finally {
      child.process.kill('SIGTERM')
      await exited(child.process)
    }
  })
})
