// The devnet's durable store: SQLite (better-sqlite3) in the data dir, in WAL mode with synchronous=FULL, so a
// row is on disk before the MU answers and a killed server loses nothing it acknowledged.
//
// Why SQLite: one file, transactions that make "log the item, then index its results" atomic, indexed lookups
// for the CU and SU reads, and a format any tool can open to inspect a devnet. better-sqlite3 is synchronous,
// which matches the devnet's one-at-a-time evaluation and keeps write ordering obvious.
//
// Integrity. Log entries form a hash chain (each entry's sha256 covers the previous hash, its seq and fields), and
// an image is stored as parts (a head, then one per process) each with its sha256, plus a digest over them; its
// head names its seq and the hash of that log entry. On open: a damaged or inconsistent image is skipped with a
// warning (the older image, else the whole log, rebuilds the same state: the log is the truth); a damaged log (a
// gap, a broken chain, an image beyond its end) refuses to start, since replaying it would silently drop or
// change acknowledged inputs. A data dir with the marker file but no database refuses too (restore or start fresh).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type BetterSqlite3 from 'better-sqlite3'
import { MissingDependencyError } from '../../sdk/errors.js'
import type { NetworkImage, ProcessImage } from '../network/networkImage.js'
import { DevnetImageError, DevnetLogCorruptError, DevnetStoreMissingError } from './errors.js'

/** One accepted input, in the order the devnet applied it; replaying the log rebuilds every process. */
export type LogEntry =
  | { seq: number; kind: 'item'; at: number; item: Uint8Array }
  | { seq: number; kind: 'assign'; at: number; process: string; message: string }
  | { seq: number; kind: 'tick'; at: number }
  | { seq: number; kind: 'monitor' | 'unmonitor'; at: number; process: string }

export type NewLogEntry = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'seq'> : never) : never

/** One evaluation at a process: a scheduled message (with nonce) or a cron tick (without). */
export type Evaluation = {
  process: string
  /** Position in the process's results, from 0; the cursor of `/results`. */
  ordinal: number
  messageId: string | null
  nonce: number | null
  timestamp: number
  /** The message as the process evaluated it (with its assignment fields). */
  message: Record<string, unknown>
  result: Record<string, unknown>
}

/** A stored network image and where in the log it stands. */
export type StoredSnapshot = { seq: number; image: NetworkImage; ordinals: Record<string, number>; monitored: string[] }

/** What the devnet stores besides the processes: the image's head, its place in the log and its own state. */
export type SnapshotHead = { seq: number; head: Omit<NetworkImage, 'processes'>; ordinals: Record<string, number>; monitored: string[] }

/** The database's name inside the data dir. */
export const STORE_FILE = 'devnet.sqlite'
/**
 * Written once the store exists: a data dir holding it (or a WAL) but no database was used and lost its file,
 * which must not start as an empty devnet.
 */
export const STORE_MARKER = 'devnet.marker'
/** Images kept: the newest and one before it, to fall back on if the newest is damaged. */
const IMAGES_KEPT = 2
/** The hash before the first log entry. */
const GENESIS = '0'.repeat(64)

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  item BLOB,
  process TEXT,
  message TEXT,
  hash TEXT
);
CREATE TABLE IF NOT EXISTS evaluations (
  process TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  message_id TEXT,
  nonce INTEGER,
  timestamp INTEGER NOT NULL,
  message TEXT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (process, ordinal)
);
CREATE INDEX IF NOT EXISTS evaluations_by_message ON evaluations (message_id);
CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, raw BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS images (seq INTEGER PRIMARY KEY, parts INTEGER NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS image_parts (
  seq INTEGER NOT NULL,
  part INTEGER NOT NULL,
  body BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (seq, part)
);
`

const FEATURE = 'The devnet (aokit devnet, startDevnetServer)'
let sqlite: Promise<typeof BetterSqlite3> | undefined

/** better-sqlite3 is an optional peer dependency, loaded when a devnet first opens: SDK-only installs never build it. */
function loadSqlite(): Promise<typeof BetterSqlite3> {
  sqlite ??= import('better-sqlite3').then(
    (module) => module.default,
    (cause: unknown) => {
      sqlite = undefined
      throw new MissingDependencyError('better-sqlite3', FEATURE, { cause })
    },
  )
  return sqlite
}

/** Opens the database; a package whose native add-on was never built (install scripts not run) fails here. */
function openDatabase(Database: typeof BetterSqlite3, file: string): BetterSqlite3.Database {
  try {
    return new Database(file)
  } catch (cause) {
    if (!/bindings|\.node\b|NODE_MODULE_VERSION/.test(String(cause))) throw cause
    throw new MissingDependencyError('better-sqlite3', FEATURE, {
      cause,
      details: 'better-sqlite3 is installed but its native add-on is not built: its install script must run (npm 11: list it in package.json "allowScripts", then npm rebuild better-sqlite3).',
    })
  }
}

export class DevnetStore {
  /** Absolute path of the database file, for errors. */
  readonly file: string
  private readonly db: BetterSqlite3.Database
  private readonly statements
  /** Hash of the last log entry: each entry's hash covers the one before, so an edit, a gap or a swap shows. */
  private lastHash: string

  /** Opens (or creates) the store in `dataDir`. */
  static async open(dataDir: string): Promise<DevnetStore> {
    return new DevnetStore(dataDir, await loadSqlite())
  }

  private constructor(dataDir: string, Database: typeof BetterSqlite3) {
    mkdirSync(dataDir, { recursive: true })
    this.file = resolve(dataDir, STORE_FILE)
    const marker = join(dataDir, STORE_MARKER)
    // Checked before opening: SQLite would create a missing file, and a lost store must not start as a new one.
    const used = [marker, `${this.file}-wal`].some((file) => existsSync(file))
    if (used && !existsSync(this.file)) throw new DevnetStoreMissingError(resolve(dataDir), this.file, 'missing')
    if (used && statSync(this.file).size === 0) throw new DevnetStoreMissingError(resolve(dataDir), this.file, 'empty')
    this.db = openDatabase(Database, this.file)
    try {
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = FULL')
      const hasLog = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log'").get() !== undefined
      if (used && !hasLog) throw new DevnetStoreMissingError(resolve(dataDir), this.file, 'empty')
      this.db.exec(SCHEMA)
      // Stores from before the hash chain: their entries keep a null hash and are not checked.
      const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(log)').all()
      if (!columns.some((column) => column.name === 'hash')) this.db.exec('ALTER TABLE log ADD COLUMN hash TEXT')
    } catch (error) {
      this.db.close()
      throw error
    }
    if (!existsSync(marker)) writeFileSync(marker, `${STORE_FILE} is this devnet's store; do not delete it alone.\n`)
    const db = this.db
    this.statements = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      append: db.prepare('INSERT INTO log (kind, at, item, process, message, hash) VALUES (?, ?, ?, ?, ?, ?)'),
      logAfter: db.prepare<[number], RawLogRow>('SELECT * FROM log WHERE seq > ? ORDER BY seq'),
      logShape: db.prepare<[], { n: number; hi: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS hi FROM log'),
      logHash: db.prepare<[number], { hash: string | null }>('SELECT hash FROM log WHERE seq = ?'),
      lastLog: db.prepare<[], { seq: number; hash: string | null }>('SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1'),
      putItem: db.prepare('INSERT OR IGNORE INTO items (id, raw) VALUES (?, ?)'),
      getItem: db.prepare<[string], { raw: Buffer }>('SELECT raw FROM items WHERE id = ?'),
      putEvaluation: db.prepare(
        'INSERT OR REPLACE INTO evaluations (process, ordinal, message_id, nonce, timestamp, message, result) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      byMessage: db.prepare<[string, string], RawEvaluationRow>('SELECT * FROM evaluations WHERE process = ? AND message_id = ?'),
      anyByMessage: db.prepare<[string], RawEvaluationRow>('SELECT * FROM evaluations WHERE message_id = ? ORDER BY ordinal LIMIT 1'),
      pageAsc: db.prepare<[string, number, number, number], RawEvaluationRow>(
        'SELECT * FROM evaluations WHERE process = ? AND ordinal > ? AND ordinal <= ? ORDER BY ordinal ASC LIMIT ?',
      ),
      pageDesc: db.prepare<[string, number, number, number], RawEvaluationRow>(
        'SELECT * FROM evaluations WHERE process = ? AND ordinal < ? AND ordinal >= ? ORDER BY ordinal DESC LIMIT ?',
      ),
      scheduledPage: db.prepare<[string, number, number, number, number, number], RawEvaluationRow>(
        'SELECT * FROM evaluations WHERE process = ? AND nonce IS NOT NULL AND timestamp >= ? AND timestamp <= ? AND nonce > ? AND nonce <= ? ORDER BY nonce ASC LIMIT ?',
      ),
      dropImage: db.prepare('DELETE FROM images WHERE seq = ?'),
      dropParts: db.prepare('DELETE FROM image_parts WHERE seq = ?'),
      putImage: db.prepare('INSERT INTO images (seq, parts, digest) VALUES (?, ?, ?)'),
      putPart: db.prepare('INSERT INTO image_parts (seq, part, body, sha256) VALUES (?, ?, ?, ?)'),
      imagesNewestFirst: db.prepare<[], { seq: number; parts: number; digest: string }>('SELECT seq, parts, digest FROM images ORDER BY seq DESC'),
      partsOf: db.prepare<[number], { part: number; body: Buffer; sha256: string }>('SELECT part, body, sha256 FROM image_parts WHERE seq = ? ORDER BY part'),
      imagesBefore: db.prepare<[number], { seq: number }>('SELECT seq FROM images WHERE seq < ? ORDER BY seq DESC'),
      orphanParts: db.prepare('DELETE FROM image_parts WHERE seq NOT IN (SELECT seq FROM images)'),
    }
    // A store from before the chain starts one with its next entry; a null hash after that is damage, not age.
    const last = this.statements.lastLog.get()
    if (this.meta('chain-from') === undefined) this.setMeta('chain-from', String((last?.seq ?? 0) + 1))
    this.lastHash = last?.hash ?? GENESIS
  }

  meta(key: string): string | undefined {
    return this.statements.getMeta.get(key)?.value
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value)
  }

  /** Appends an input and, for an item, keeps its raw bytes by id (the gateway serves them); one transaction. */
  append(entry: NewLogEntry, itemId?: string): number {
    return this.db.transaction(() => {
      const item = entry.kind === 'item' ? entry.item : null
      const process = 'process' in entry ? entry.process : null
      const message = entry.kind === 'assign' ? entry.message : null
      const seq = (this.statements.lastLog.get()?.seq ?? 0) + 1
      const hash = chainHash(this.lastHash, { seq, kind: entry.kind, at: entry.at, item, process, message })
      const { lastInsertRowid } = this.statements.append.run(entry.kind, entry.at, item, process, message, hash)
      if (Number(lastInsertRowid) !== seq) throw new DevnetLogCorruptError(this.file, seq, `was stored as ${lastInsertRowid}`)
      if (item && itemId) this.statements.putItem.run(itemId, item)
      this.lastHash = hash
      return seq
    })()
  }

  /** The log's last sequence number (0 when empty). */
  get lastSeq(): number {
    return this.statements.lastLog.get()?.seq ?? 0
  }

  /**
   * Checks the log's shape: sequence numbers 1..n without gaps (each entry's hash also names its seq, so a
   * renumbered entry breaks the chain when read).
   *
   * @throws {DevnetLogCorruptError} a gap.
   */
  checkLog(): void {
    const { n, hi } = this.statements.logShape.get()!
    if ((hi ?? 0) !== n) {
      const gap = this.db.prepare<[], { seq: number }>('SELECT seq + 1 AS seq FROM log WHERE seq + 1 NOT IN (SELECT seq FROM log) ORDER BY seq LIMIT 1').get()
      const first = this.db.prepare<[], { seq: number }>('SELECT MIN(seq) AS seq FROM log').get()
      throw new DevnetLogCorruptError(this.file, first?.seq !== 1 ? 1 : (gap?.seq ?? n), 'is missing (a gap in the log sequence)')
    }
  }

  /**
   * Every entry after `seq`, in order, each checked against the hash chain from entry `seq` on.
   *
   * @throws {DevnetLogCorruptError} an entry whose hash does not follow from the one before it.
   */
  logAfter(seq: number): LogEntry[] {
    const from = this.chainFrom
    let previous = this.logHash(seq)
    return this.statements.logAfter.all(seq).map((row) => {
      // Entries logged before the chain existed (stores of older versions) have no hash to check.
      if (row.seq >= from) {
        const expected = row.seq === from ? GENESIS : previous
        if (row.hash === null || expected === null || chainHash(expected, row) !== row.hash) {
          throw new DevnetLogCorruptError(this.file, row.seq, 'does not match its hash (edited, reordered or damaged)')
        }
      }
      previous = row.hash
      return toLogEntry(row)
    })
  }

  /** The first log entry of the hash chain: 1, or the first one written after a store from before the chain. */
  private get chainFrom(): number {
    return Number(this.meta('chain-from') ?? 1)
  }

  /** The stored hash of log entry `seq`, or null (no such entry, or one from before the chain). */
  logHash(seq: number): string | null {
    return this.statements.logHash.get(seq)?.hash ?? null
  }

  item(id: string): Uint8Array | undefined {
    const row = this.statements.getItem.get(id)
    return row && new Uint8Array(row.raw)
  }

  /** Indexes what one input caused; replace, so replaying an input after a crash rewrites the same rows. */
  putEvaluations(evaluations: Evaluation[]): void {
    this.db.transaction(() => {
      for (const e of evaluations) {
        this.statements.putEvaluation.run(e.process, e.ordinal, e.messageId, e.nonce, e.timestamp, JSON.stringify(e.message), JSON.stringify(e.result))
      }
    })()
  }

  /** The evaluation of a message at a process (or, without a process, at the first process that ran it). */
  evaluation(messageId: string, process?: string): Evaluation | undefined {
    const row = process ? this.statements.byMessage.get(process, messageId) : this.statements.anyByMessage.get(messageId)
    return row && toEvaluation(row)
  }

  /** Results by ordinal cursor: `from` exclusive, `to` inclusive, in the direction of `sort`. */
  results(process: string, options: { from?: number; to?: number; limit: number; sort: 'ASC' | 'DESC' }): Evaluation[] {
    const rows =
      options.sort === 'ASC'
        ? this.statements.pageAsc.all(process, options.from ?? -1, options.to ?? Number.MAX_SAFE_INTEGER, options.limit)
        : this.statements.pageDesc.all(process, options.from ?? Number.MAX_SAFE_INTEGER, options.to ?? -1, options.limit)
    return rows.map(toEvaluation)
  }

  /** Scheduled messages of a process (by nonce) whose timestamps fall in [from, to] and nonces in (afterNonce, toNonce]. */
  scheduled(process: string, options: { from?: number; to?: number; afterNonce?: number; toNonce?: number; limit: number }): Evaluation[] {
    const max = Number.MAX_SAFE_INTEGER
    return this.statements.scheduledPage.all(process, options.from ?? 0, options.to ?? max, options.afterNonce ?? -1, options.toNonce ?? max, options.limit).map(toEvaluation)
  }

  /**
   * Stores an image taken after log entry `snapshot.seq`, one row per process: each is serialised, compressed,
   * checksummed and written before the next is read, so no second copy of the whole network is ever held. One
   * transaction: a crash mid-write leaves the older images as they were. Keeps the newest IMAGES_KEPT.
   */
  putSnapshot(snapshot: SnapshotHead, processes: Iterable<ProcessImage>): void {
    this.db.transaction(() => {
      const { seq } = snapshot
      this.statements.dropImage.run(seq)
      this.statements.dropParts.run(seq)
      const digest = createHash('sha256')
      const put = (part: number, value: unknown) => {
        const body = deflateRawSync(serialize(value), { level: 1 })
        const sum = sha256(body)
        this.statements.putPart.run(seq, part, body, sum)
        digest.update(sum)
      }
      put(0, { ...snapshot, logHash: this.logHash(seq) })
      let part = 0
      for (const process of processes) put(++part, process)
      this.statements.putImage.run(seq, part + 1, digest.digest('hex'))
      for (const old of this.statements.imagesBefore.all(seq).slice(IMAGES_KEPT - 1)) this.statements.dropImage.run(old.seq)
      this.statements.orphanParts.run()
    })()
  }

  /**
   * The newest image that is whole and consistent with the log: every part's checksum matches, none is missing,
   * its head names the same seq and the same log entry hash. A damaged one is reported to `warn` and skipped;
   * undefined when none is good (the log is then replayed from the start).
   *
   * @throws {DevnetLogCorruptError} a good image stands beyond the log's end: acknowledged entries were lost.
   */
  latestSnapshot(warn: (message: string) => void): StoredSnapshot | undefined {
    const lastSeq = this.lastSeq
    for (const image of this.statements.imagesNewestFirst.all()) {
      let snapshot: StoredSnapshot & { logHash: string | null }
      try {
        snapshot = this.readImage(image)
      } catch (error) {
        warn(`${this.file}: image at log entry ${image.seq} ignored: ${(error as Error).message}`)
        continue
      }
      if (snapshot.seq > lastSeq) throw new DevnetLogCorruptError(this.file, lastSeq + 1, `is missing: the log ends at ${lastSeq} but an image stands at ${snapshot.seq}`)
      if (snapshot.logHash !== this.logHash(snapshot.seq)) {
        warn(`${this.file}: image at log entry ${image.seq} ignored: it does not match log entry ${snapshot.seq}`)
        continue
      }
      return snapshot
    }
    return undefined
  }

  private readImage(image: { seq: number; parts: number; digest: string }): StoredSnapshot & { logHash: string | null } {
    const digest = createHash('sha256')
    const values: unknown[] = []
    for (const row of this.statements.partsOf.all(image.seq)) {
      if (row.part !== values.length) throw new DevnetImageError(image.seq, `part ${values.length} is missing`)
      const sum = sha256(row.body)
      if (sum !== row.sha256) throw new DevnetImageError(image.seq, `part ${row.part} fails its sha256 check`)
      digest.update(sum)
      values.push(deserialize(inflateRawSync(row.body)))
    }
    if (values.length !== image.parts) throw new DevnetImageError(image.seq, `it has ${values.length} of its ${image.parts} parts`)
    if (digest.digest('hex') !== image.digest) throw new DevnetImageError(image.seq, 'its parts do not match its digest')
    const [head, ...processes] = values as [SnapshotHead & { logHash: string | null }, ...ProcessImage[]]
    if (head.seq !== image.seq) throw new DevnetImageError(image.seq, `its head says log entry ${head.seq}`)
    return { seq: head.seq, logHash: head.logHash, ordinals: head.ordinals, monitored: head.monitored, image: { ...head.head, processes } }
  }

  close(): void {
    this.db.close()
  }
}

type RawLogRow = { seq: number; kind: string; at: number; item: Buffer | Uint8Array | null; process: string | null; message: string | null; hash: string | null }

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A log entry's hash: the one before it and every field, the seq included (a renumbered entry fails too). */
function chainHash(previous: string, row: Omit<RawLogRow, 'hash'>): string {
  const hash = createHash('sha256').update(`${previous}\n${row.seq}\n${row.kind}\n${row.at}\n${row.process ?? ''}\n${row.message ?? ''}\n`)
  if (row.item) hash.update(row.item)
  return hash.digest('hex')
}
type RawEvaluationRow = {
  process: string
  ordinal: number
  message_id: string | null
  nonce: number | null
  timestamp: number
  message: string
  result: string
}

function toLogEntry(row: RawLogRow): LogEntry {
  switch (row.kind) {
    case 'item':
      return { seq: row.seq, kind: 'item', at: row.at, item: new Uint8Array(row.item!) }
    case 'assign':
      return { seq: row.seq, kind: 'assign', at: row.at, process: row.process!, message: row.message! }
    case 'monitor':
    case 'unmonitor':
      return { seq: row.seq, kind: row.kind, at: row.at, process: row.process! }
    default:
      return { seq: row.seq, kind: 'tick', at: row.at }
  }
}

function toEvaluation(row: RawEvaluationRow): Evaluation {
  return {
    process: row.process,
    ordinal: row.ordinal,
    messageId: row.message_id,
    nonce: row.nonce,
    timestamp: row.timestamp,
    message: JSON.parse(row.message),
    result: JSON.parse(row.result),
  }
}
