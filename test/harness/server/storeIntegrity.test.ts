// What a devnet does with a damaged store: a bad image is skipped (older image, or the whole log); a bad log, a
// lost database or an image beyond the log's end refuses to start with a typed error naming the file.
import { expect } from 'chai'
import { mkdtempSync, rmSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { Devnet } from '../../../harness/server/devnet.js'
import { DevnetLogCorruptError, DevnetStoreMissingError } from '../../../harness/server/errors.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { DEVNET_EPOCH, removeDataDir } from './support.js'

const COUNTER = `Count = Count or 0
Trail = Trail or ''
Handlers.add('add', 'Add', function(msg) Count = Count + 1; Trail = Trail .. msg.Data .. ',' end)
Handlers.add('state', 'State', function(msg) msg.reply({ Data = Count .. '|' .. Trail }) end)`

const eth = ethereumSigner(ETH_PRIVATE_KEY)
const EXPECTED = '7|m0,m1,m2,m3,m4,m5,m6,'

describe('devnet store integrity', function () {
  this.timeout(60_000)
  const dirs: string[] = []
  after(() => dirs.forEach(removeDataDir))

  /** A closed devnet with 9 log entries (spawn, load, 7 adds) and images at entries 6 and 9. */
  async function used(): Promise<{ dir: string; pid: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'aokit-integrity-'))
    dirs.push(dir)
    const devnet = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, snapshotEvery: 6 })
    const spawn = await createDataItem({
      signer: eth,
      tags: processTags(devnet.scheduler),
    })
    await devnet.accept(spawn.raw)
    await devnet.accept(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Eval'), data: COUNTER }))
    for (let i = 0; i < 7; i++) await devnet.accept(await rawItem({ signer: eth, target: spawn.id, tags: messageTags('Add'), data: `m${i}` }))
    await devnet.close()
    return { dir, pid: spawn.id }
  }

  /** Opens with warnings collected; returns the state and the warnings. */
  async function reopen(dir: string, pid: string): Promise<{ state: string; warnings: string[]; logLength: number }> {
    const warnings: string[] = []
    const devnet = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, warn: (m) => warnings.push(m) })
    try {
      const result = await devnet.dryrun({ process: pid, owner: 'reader', tags: messageTags('State'), data: '' })
      return { state: String(result.Messages?.[0]?.Data), warnings, logLength: devnet.logLength }
    } finally {
      await devnet.close()
    }
  }

  function edit(dir: string, sql: (db: Database.Database) => void): void {
    const db = new Database(join(dir, 'devnet.sqlite'))
    try {
      sql(db)
    } finally {
      db.close()
    }
  }

  function flipByte(db: Database.Database, table: 'image_parts' | 'log', where: string, column: string): void {
    const row = db.prepare(`SELECT rowid AS id, ${column} AS bytes FROM ${table} WHERE ${where}`).get() as { id: number; bytes: Buffer }
    const bytes = Buffer.from(row.bytes)
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`).run(bytes, row.id)
  }

  it('stores two images, each checksummed part by part', async () => {
    const { dir } = await used()
    edit(dir, (db) => {
      expect(db.prepare('SELECT seq FROM images ORDER BY seq').all()).to.deep.equal([{ seq: 6 }, { seq: 9 }])
      expect(db.prepare('SELECT COUNT(*) AS n FROM image_parts WHERE seq = 9').get()).to.deep.equal({ n: 2 })
    })
  })

  it('a flipped byte in the newest image: skipped with a warning, the older image and the log rebuild the state', async () => {
    const { dir, pid } = await used()
    edit(dir, (db) => flipByte(db, 'image_parts', 'seq = 9 AND part = 1', 'body'))
    const { state, warnings } = await reopen(dir, pid)
    expect(state).to.equal(EXPECTED)
    expect(warnings.join('\n')).to.match(/image at log entry 9 ignored: part 1 fails its sha256 check/)
  })

  it('every image damaged: replays the whole log', async () => {
    const { dir, pid } = await used()
    edit(dir, (db) => {
      flipByte(db, 'image_parts', 'seq = 9 AND part = 0', 'body')
      db.prepare('DELETE FROM image_parts WHERE seq = 6 AND part = 1').run()
    })
    const { state, warnings } = await reopen(dir, pid)
    expect(state).to.equal(EXPECTED)
    expect(warnings).to.have.length(2)
    expect(warnings[1]).to.match(/image at log entry 6 ignored: it has 1 of its 2 parts/)
  })

  it('an edited image seq does not skip log entries: the image is ignored', async () => {
    const { dir, pid } = await used()
    // Moving the older image forward would make a replay skip entries 7 and 8.
    edit(dir, (db) => {
      db.prepare('DELETE FROM images WHERE seq = 9').run()
      db.prepare('UPDATE images SET seq = 8 WHERE seq = 6').run()
      db.prepare('UPDATE image_parts SET seq = 8 WHERE seq = 6').run()
    })
    const { state, warnings } = await reopen(dir, pid)
    expect(state).to.equal(EXPECTED)
    expect(warnings.join('\n')).to.match(/image at log entry 8 ignored: its head says log entry 6/)
  })

  it('a log entry edited, removed or lost at the end: refuses with DevnetLogCorruptError', async () => {
    const cases: [string, (db: Database.Database) => void, RegExp][] = [
      ['edited item', (db) => flipByte(db, 'log', 'seq = 8', 'item'), /log entry 8 does not match its hash/],
      ['edited time', (db) => db.prepare('UPDATE log SET at = at + 1 WHERE seq = 4').run(), /log entry 4 does not match its hash/],
      ['hash cleared', (db) => db.prepare('UPDATE log SET hash = NULL WHERE seq = 3').run(), /log entry 3 does not match its hash/],
      ['gap', (db) => db.prepare('DELETE FROM log WHERE seq = 5').run(), /log entry 5 is missing/],
      ['lost tail', (db) => db.prepare('DELETE FROM log WHERE seq = 9').run(), /log entry 9 is missing: the log ends at 8 but an image stands at 9/],
    ]
    for (const [name, damage, message] of cases) {
      const { dir, pid } = await used()
      // Entries after the newest image are replayed and checked; make the older ones matter too.
      edit(dir, (db) => db.prepare('DELETE FROM images').run())
      if (name === 'lost tail') await reopen(dir, pid) // rewrites an image at entry 9
      edit(dir, damage)
      const error = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH, warn: () => {} }).then(
        () => expect.fail(`${name}: opened`),
        (e: unknown) => e,
      )
      expect(error, name).to.be.instanceOf(DevnetLogCorruptError)
      expect((error as Error).message, name).to.match(message)
      expect((error as DevnetLogCorruptError).file).to.equal(join(dir, 'devnet.sqlite'))
    }
  })

  it('a store from before the hash chain and part-wise images still opens, and chains what it logs next', async () => {
    const { dir, pid } = await used()
    edit(dir, (db) => {
      db.exec("ALTER TABLE log DROP COLUMN hash; DROP TABLE images; DROP TABLE image_parts; DELETE FROM meta WHERE key = 'chain-from'")
      db.exec('CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, image BLOB NOT NULL)')
    })
    expect((await reopen(dir, pid)).state).to.equal(EXPECTED)
    edit(dir, (db) => {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'chain-from'").get()).to.deep.equal({ value: '10' })
      db.prepare('DELETE FROM images').run()
    })
    const devnet = await Devnet.open({ dataDir: dir, now: () => DEVNET_EPOCH })
    await devnet.accept(await rawItem({ signer: eth, target: pid, tags: messageTags('Add'), data: 'm7' }))
    await devnet.close()
    edit(dir, (db) => {
      expect(db.prepare('SELECT seq, hash IS NOT NULL AS hashed FROM log WHERE seq >= 9').all()).to.deep.equal([
        { seq: 9, hashed: 0 },
        { seq: 10, hashed: 1 },
      ])
      db.prepare('DELETE FROM images').run()
    })
    expect((await reopen(dir, pid)).state).to.equal('8|m0,m1,m2,m3,m4,m5,m6,m7,')
  })

  it('a used data dir whose database is missing or empty refuses to start, naming the file', async () => {
    for (const reason of ['missing', 'empty'] as const) {
      const { dir } = await used()
      const file = join(dir, 'devnet.sqlite')
      if (reason === 'missing') rmSync(file)
      else truncateSync(file, 0)
      const error = await Devnet.open({ dataDir: dir }).then(() => expect.fail('opened'), (e: unknown) => e)
      expect(error).to.be.instanceOf(DevnetStoreMissingError)
      expect(error).to.include({ file, reason })
      expect((error as Error).message).to.contain(`${file} is ${reason}`)
      // Nothing was created in its place, and the dir is not left locked.
      const again = await Devnet.open({ dataDir: dir }).then(() => 'opened', (e: unknown) => (e as Error).name)
      expect(again).to.equal('DevnetStoreMissingError')
    }
  })
})
