// Peak RSS of storing a devnet image, the old way (the whole image built, then serialised and compressed as one
// value) against the new one (process by process into the store). Not part of `npm run bench`: run
//   npx tsx bench/imageMemory.ts [processes=300]
// Each way runs in its own child process, since peak RSS (maxRSS) only ever grows.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serialize } from 'node:v8'
import { deflateRawSync } from 'node:zlib'
import { AoNetwork } from '../harness/network/network.js'
import { DevnetStore } from '../harness/server/devnetStore.js'

const MB = 1024 * 1024
/** Each process keeps ~1 MB of Lua data, so its memory image is more than aos's bare heap. */
const FILL = `Blob = {}; for i = 1, 16 do Blob[i] = string.rep(string.char(64 + i), 65536) end`

let committedMB = 0

async function measure(mode: 'old' | 'new' | 'new-gc', processes: number): Promise<void> {
  const net = new AoNetwork({ seed: 'image-memory' })
  const owner = net.wallet('owner')
  for (let i = 0; i < processes; i++) {
    const pid = await net.spawn({ owner })
    await net.send({ from: owner, to: pid, tags: { Action: 'Eval' }, data: FILL })
  }
  const dir = mkdtempSync(join(tmpdir(), 'aokit-image-memory-'))
  const store = await DevnetStore.open(dir)
  global.gc?.()
  const before = process.memoryUsage().rss
  const peakBefore = process.resourceUsage().maxRSS * 1024
  const started = Date.now()
  if (mode === 'old') {
    // What putSnapshot did: every process's memory copied into one image, serialised whole, compressed whole.
    const image = await net.exportImage()
    const bytes = deflateRawSync(serialize({ seq: 1, image, ordinals: {}, monitored: [] }), { level: 1 })
    store.setMeta('old-image-bytes', String(bytes.length))
  } else {
    const { head, processes: parts } = net.imageParts()
    // imageParts commits every VM's pending messages into its checkpoint (the VM keeps that state from then on).
    committedMB = Math.round((process.resourceUsage().maxRSS * 1024 - Math.max(before, peakBefore)) / MB)
    // new-gc: a full collection after every part shows how much of the growth is garbage not yet collected.
    const collected = function* () {
      for (const part of parts) {
        yield part
        global.gc?.()
      }
    }
    store.putSnapshot({ seq: 0, head, ordinals: {}, monitored: [] }, mode === 'new-gc' ? collected() : parts)
  }
  const ms = Date.now() - started
  const peak = process.resourceUsage().maxRSS * 1024
  store.close()
  rmSync(dir, { recursive: true, force: true })
  console.log(JSON.stringify({ mode, processes, rssBeforeMB: Math.round(before / MB), peakBeforeMB: Math.round(peakBefore / MB), peakMB: Math.round(peak / MB), growthMB: Math.round((peak - Math.max(before, peakBefore)) / MB), ...(mode === 'old' ? {} : { committedMB }), ms }))
}

const [mode, count] = process.argv.slice(2)
if (mode === 'old' || mode === 'new' || mode === 'new-gc') {
  await measure(mode, Number(count))
} else {
  const processes = Number(mode ?? 300)
  const self = fileURLToPath(import.meta.url)
  for (const way of ['old', 'new', 'new-gc']) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, way, String(processes)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    process.stdout.write(run.stdout)
  }
}
