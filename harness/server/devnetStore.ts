// The devnet's durable store: SQLite (better-sqlite3) in the data dir, in WAL mode with synchronous=FULL, so a
// row is on disk before the MU answers and a killed server loses nothing it acknowledged.
//
// Why SQLite: one file, transactions that make "log the item, then index its results" atomic, indexed lookups
// for the CU and SU reads, and a format any tool can open to inspect a devnet. better-sqlite3 is synchronous,
// which matches the devnet's one-at-a-time evaluation and keeps write ordering obvious.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type BetterSqlite3 from 'better-sqlite3'
import { MissingDependencyError } from '../../sdk/errors.js'
import type { NetworkImage } from '../network/networkImage.js'

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  item BLOB,
  process TEXT,
  message TEXT
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
CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, image BLOB NOT NULL);
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
  private readonly db: BetterSqlite3.Database
  private readonly statements

  /** Opens (or creates) the store in `dataDir`. */
  static async open(dataDir: string): Promise<DevnetStore> {
    return new DevnetStore(dataDir, await loadSqlite())
  }

  private constructor(dataDir: string, Database: typeof BetterSqlite3) {
    mkdirSync(dataDir, { recursive: true })
    this.db = openDatabase(Database, join(dataDir, 'devnet.sqlite'))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.exec(SCHEMA)
    const db = this.db
    this.statements = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      append: db.prepare('INSERT INTO log (kind, at, item, process, message) VALUES (?, ?, ?, ?, ?)'),
      logAfter: db.prepare<[number], RawLogRow>('SELECT * FROM log WHERE seq > ? ORDER BY seq'),
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
      scheduledPage: db.prepare<[string, number, number, number], RawEvaluationRow>(
        'SELECT * FROM evaluations WHERE process = ? AND nonce IS NOT NULL AND timestamp >= ? AND timestamp <= ? ORDER BY nonce ASC LIMIT ?',
      ),
      putSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (seq, image) VALUES (?, ?)'),
      dropSnapshotsBefore: db.prepare('DELETE FROM snapshots WHERE seq < ?'),
      latestSnapshot: db.prepare<[], { seq: number; image: Buffer }>('SELECT seq, image FROM snapshots ORDER BY seq DESC LIMIT 1'),
    }
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
      const { lastInsertRowid } = this.statements.append.run(entry.kind, entry.at, item, process, message)
      if (item && itemId) this.statements.putItem.run(itemId, item)
      return Number(lastInsertRowid)
    })()
  }

  /** Every entry after `seq`, in order. */
  logAfter(seq: number): LogEntry[] {
    return this.statements.logAfter.all(seq).map(toLogEntry)
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

  /** Scheduled messages of a process (by nonce) whose timestamps fall in [from, to]. */
  scheduled(process: string, options: { from?: number; to?: number; limit: number }): Evaluation[] {
    return this.statements.scheduledPage.all(process, options.from ?? 0, options.to ?? Number.MAX_SAFE_INTEGER, options.limit).map(toEvaluation)
  }

  /** Stores a snapshot taken after log entry `seq` and drops older ones. */
  putSnapshot(snapshot: StoredSnapshot): void {
    const image = deflateRawSync(serialize(snapshot), { level: 1 })
    this.db.transaction(() => {
      this.statements.putSnapshot.run(snapshot.seq, image)
      this.statements.dropSnapshotsBefore.run(snapshot.seq)
    })()
  }

  latestSnapshot(): StoredSnapshot | undefined {
    const row = this.statements.latestSnapshot.get()
    return row && (deserialize(inflateRawSync(row.image)) as StoredSnapshot)
  }

  close(): void {
    this.db.close()
  }
}

type RawLogRow = { seq: number; kind: string; at: number; item: Buffer | null; process: string | null; message: string | null }
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
