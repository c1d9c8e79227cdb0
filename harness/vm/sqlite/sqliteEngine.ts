// One process's SQLite databases on the host, driven by lsqlite3.lua through one bytes-in, bytes-out host function.
// The databases are part of the process's state: ProcessVm captures them (as bytes) with each checkpoint and puts
// them back whenever it restores one. Everything a query could learn from the host is pinned: 'now' is the
// message's Timestamp, random() is seeded from the message, and a contract cannot reach files.
import { createHash } from 'node:crypto'
import { UNLIMITED_GAS } from '../metering/meter.js'
import { SqliteLimitError } from './errors.js'
import { refusal } from './refusal.js'
import { createSqlJs, type SqlJs, type SqlJsDatabase } from './sqlJs.js'
import { Reader, Writer, type SqlValue } from './wire.js'

/** The aos-sqlite module (wasm64) that app processes spawn with; `require('lsqlite3')` works only under it. */
export const SQLITE_MODULE = 'ghSkge2sIUD_F00ym5sEimC63BDBuBrq4b5OcwxOjiw'
/** Every published aos-sqlite module id (wasm64, wasm32, the Autonomous Finance build). */
export const SQLITE_MODULES: ReadonlySet<string> = new Set([SQLITE_MODULE, 'GYrbbe0VbHim_7Hi6zrOpHQXrSQz07XNtwCnfbFo2I0', 'ij7nvQ5XnAqqzEy-8vVz6GxSyb5HYZJ2SMtwDIUVMQY'])

export type SqliteOptions = {
  /** Gas (sql.js WebAssembly instructions) all of one message's queries may use (default 2 billion). */
  computeLimit?: number
  /** Bytes one database may grow to (default 64 MiB). */
  maxDbSize?: number
  /** Bytes of heap SQLite may allocate for the process: page cache, sorting, big values (default 128 MiB). */
  maxMemory?: number
}
export const DEFAULT_SQLITE_COMPUTE_LIMIT = 2_000_000_000
export const DEFAULT_MAX_DB_SIZE = 64 * 1024 * 1024
export const DEFAULT_SQLITE_MAX_MEMORY = 128 * 1024 * 1024
/** Rows one host call hands a row iterator at most. */
const MAX_BATCH = 256
/** Row iterators (db:nrows, db:rows, db:urows) open at once; the oldest is closed past it. */
const MAX_ITERATORS = 1_000
/** Prepared statements a process may hold open at once. */
export const MAX_STATEMENTS = 10_000

/** Each database's bytes at one checkpoint, by handle; never mutated. */
export type DbImages = ReadonlyMap<number, Uint8Array>
export const NO_DATABASES: DbImages = new Map()

export const OK = 0
const NOMEM = 7
const FULL = 13
const AUTH = 23
const RANGE = 25
const ROW = 100
const DONE = 101
/** Answer to an operation on a statement the host no longer holds (after a rollback or a wake-up): prepare again. */
const STALE = -1
const TRANSIENT = -1
const UTF8 = 1
const DETERMINISTIC = 0x800
const PAGE_SIZE = 4096

/** `remembered`: the last error as it was before the end-of-message probe (which resets SQLite's), until the next use. */
type LiveDb = { db: SqlJsDatabase; fingerprint: string; source: Uint8Array | undefined; remembered?: { code: number; message: Uint8Array } }
type LiveStmt = { ptr: number; handle: number; temp: boolean }

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A ready sql.js instance (at most one), taken by the next process that opens a database. */
const spares: SqlJs[] = []
let warming: Promise<void> | undefined

/** Makes sure one sql.js instance is ready, so opening a database (a synchronous call from Lua) never waits. */
export function warmSqlJs(): Promise<void> {
  if (spares.length > 0) return Promise.resolve()
  warming ??= createSqlJs()
    .then((sql) => {
      spares.push(sql)
    })
    .finally(() => {
      warming = undefined
    })
  return warming
}

export class SqliteEngine {
  private sql: SqlJs | undefined
  private readonly dbs = new Map<number, LiveDb>()
  private readonly stmts = new Map<number, LiveStmt>()
  /** The row iterators' statements, oldest first. */
  private readonly temps = new Set<number>()
  /** The databases as of the checkpoint the process state was last restored from or taken at. */
  private images: DbImages = NO_DATABASES
  /** Handles closed since `images` was taken. */
  private readonly closed = new Set<number>()
  /** A connection without the overrides, where pinned date/time functions are evaluated. */
  private plain: SqlJsDatabase | undefined
  /** Why the engine stopped (a limit or a trap); every call of the message fails with it. */
  private fatal: Error | undefined
  private now = 0
  private random = 0n
  private gasLeft = 0
  private readonly computeLimit: number
  private readonly maxDbSize: number
  private readonly maxMemory: number
  private refused: { code: number; message: string } | undefined
  private functionPointers: Map<string, number> | undefined
  private guarding = false

  constructor(options: SqliteOptions = {}) {
    this.computeLimit = options.computeLimit ?? DEFAULT_SQLITE_COMPUTE_LIMIT
    this.maxDbSize = options.maxDbSize ?? DEFAULT_MAX_DB_SIZE
    this.maxMemory = options.maxMemory ?? DEFAULT_SQLITE_MAX_MEMORY
    this.gasLeft = this.computeLimit
  }

  /** The databases as of the last capture or reset (what the current checkpoint holds). */
  get databases(): DbImages {
    return this.images
  }

  /** Pins the clock and the random seed to the message and refills the gas budget. */
  beginMessage(message: { Id?: unknown; Timestamp?: unknown }): void {
    this.now = Number(message.Timestamp ?? 0)
    this.random = BigInt('0x' + createHash('sha256').update(String(message.Id ?? '')).digest('hex').slice(0, 16))
    this.gasLeft = this.computeLimit
    this.fatal = undefined
  }

  /** An error to replace the message's result with: the engine hit a limit or trapped (the message must fail). */
  get failure(): Error | undefined {
    return this.fatal
  }

  /**
   * Finalizes the row iterators a message left unfinished (a `break` out of db:nrows), and fails the message if it
   * left a transaction open: the state is kept at message boundaries, where every transaction must be over.
   */
  endMessage(): void {
    for (const id of this.temps) this.finalizeStmt(id)
    if (this.fatal || !this.sql) return
    for (const [handle, live] of this.dbs) {
      live.remembered ??= { code: this.sql._sqlite3_extended_errcode(live.db.db) & 0xff, message: this.errmsg(handle) }
      if (!this.inTransaction(live.db)) continue
      this.fatal = new SqliteLimitError(`lsqlite3: the message left a transaction open on database ${handle}; COMMIT or ROLLBACK before the handler returns`, {
        details: 'aokit keeps a process database as of message boundaries; the message was rolled back.',
      })
      return
    }
  }

  /**
   * The databases now, when they differ from `images` (undefined when nothing changed): changed ones are exported,
   * unchanged ones keep their bytes, closed ones are left out.
   */
  capture(): DbImages | undefined {
    if (this.fatal) throw this.fatal
    let changed = this.closed.size > 0
    const next = new Map(this.images)
    for (const handle of this.closed) next.delete(handle)
    for (const [handle, live] of this.dbs) {
      const fingerprint = this.fingerprint(live.db)
      if (fingerprint === live.fingerprint && live.source !== undefined) continue
      const bytes = this.guard(() => live.db.export())
      live.source = bytes
      live.fingerprint = this.fingerprint(live.db)
      next.set(handle, bytes)
      changed = true
    }
    if (!changed) return undefined
    this.closed.clear()
    this.images = next
    return next
  }

  /** Back to `images` (a restored checkpoint): unchanged databases stay open, the rest reopen from bytes on use. */
  resetTo(images: DbImages): void {
    for (const id of [...this.stmts.keys()]) this.finalizeStmt(id)
    const sqlUsable = this.sql !== undefined && this.fatal === undefined
    for (const [handle, live] of this.dbs) {
      const keep =
        sqlUsable && live.source !== undefined && images.get(handle) === live.source && this.fingerprint(live.db) === live.fingerprint && !this.inTransaction(live.db)
      if (keep) continue
      if (sqlUsable) live.db.close()
      this.dbs.delete(handle)
    }
    if (!sqlUsable) this.dropInstance()
    this.closed.clear()
    this.images = images
    this.fatal = undefined
  }

  /** Gives the sql.js instance up (hibernation): the state lives on in the checkpoint's images. */
  release(): void {
    for (const id of [...this.stmts.keys()]) this.finalizeStmt(id)
    // The instance is dropped, not pooled: its function table holds closures over this engine.
    this.dbs.clear()
    this.plain = undefined
    this.sql = undefined
    this.functionPointers = undefined
  }

  /** Runs one lsqlite3 operation: `args[0]` names it; the answer is bytes lsqlite3.lua reads with string.unpack. */
  call(args: Uint8Array[]): Uint8Array {
    if (this.fatal) throw this.fatal
    const op = decoder.decode(args[0])
    const r = new Reader(args)
    r.next()
    const out = new Writer()
    switch (op) {
      case 'open': {
        const handle = r.int()
        this.closeDb(handle)
        const Database = this.engine().Database
        const db = this.guard(() => new Database())
        this.setUp(db)
        this.dbs.set(handle, { db, fingerprint: this.fingerprint(db), source: undefined })
        this.closed.delete(handle)
        return out.int(OK).bytes()
      }
      case 'close': {
        const handle = r.int()
        for (const [id, stmt] of this.stmts) if (stmt.handle === handle) this.finalizeStmt(id)
        this.closeDb(handle)
        if (this.images.has(handle)) this.closed.add(handle)
        return out.int(OK).bytes()
      }
      case 'prepare':
        return this.prepare(r.int(), r.int(), r.bytes(), r.int() === 1, out)
      case 'step':
        return this.step(r.int(), out)
      case 'steps':
        return this.steps(r.int(), r.int(), out)
      case 'names': {
        const stmt = this.stmts.get(r.int())
        if (!stmt) return out.int(STALE).bytes()
        const sql = this.engine()
        const count = stmt.ptr ? sql._sqlite3_column_count(stmt.ptr) : 0
        out.int(OK).int(count)
        for (let i = 0; i < count; i++) out.text(this.cString(sql._sqlite3_column_name(stmt.ptr, i)))
        return out.bytes()
      }
      case 'bind': {
        const stmt = this.stmts.get(r.int())
        if (!stmt) return out.int(STALE).bytes()
        const index = r.int()
        return out.int(this.guard(() => this.bind(stmt.ptr, index, r.value()))).bytes()
      }
      case 'bind_values':
        return this.bindValues(r, out)
      case 'bind_names':
        return this.bindNames(r, out)
      case 'reset': {
        const stmt = this.stmts.get(r.int())
        if (!stmt) return out.int(STALE).bytes()
        return out.int(stmt.ptr ? this.guard(() => this.engine()._sqlite3_reset(stmt.ptr)) : OK).bytes()
      }
      case 'finalize': {
        const id = r.int()
        return out.int(this.stmts.has(id) ? this.finalizeStmt(id) : OK).bytes()
      }
      case 'info':
        return this.info(r.int(), decoder.decode(r.bytes()), out)
      default:
        throw new Error(`lsqlite3: unknown operation ${op}`)
    }
  }

  private engine(): SqlJs {
    if (this.sql) return this.sql
    const sql = spares.pop()
    if (!sql) throw new Error('lsqlite3: the SQLite engine is not ready (internal error: warmSqlJs was not awaited)')
    this.sql = sql
    void warmSqlJs()
    return sql
  }

  /** The live database for a handle, reopened from its checkpoint bytes when the process was restored. */
  private db(handle: number): SqlJsDatabase {
    const live = this.dbs.get(handle)
    if (live) return live.db
    const bytes = this.images.get(handle)
    if (!bytes || this.closed.has(handle)) throw new Error('lsqlite3: the database is closed')
    const Database = this.engine().Database
    const db = this.guard(() => new Database(bytes))
    this.setUp(db)
    this.dbs.set(handle, { db, fingerprint: this.fingerprint(db), source: bytes })
    return db
  }

  private closeDb(handle: number): void {
    const live = this.dbs.get(handle)
    if (!live) return
    live.db.close()
    this.dbs.delete(handle)
  }

  private prepare(handle: number, id: number, sqlBytes: Uint8Array, temp: boolean, out: Writer): Uint8Array {
    const db = this.db(handle)
    this.dbs.get(handle)!.remembered = undefined
    if (this.stmts.has(id)) this.finalizeStmt(id)
    // Without a garbage collector to finalize them, iterators a loop left with `break` pile up: past
    // MAX_ITERATORS the oldest is closed (using it again raises an error).
    if (temp && this.temps.size >= MAX_ITERATORS) this.finalizeStmt(this.temps.values().next().value!)
    if (this.stmts.size >= MAX_STATEMENTS) {
      throw new SqliteLimitError(`lsqlite3: too many open statements (the limit is ${MAX_STATEMENTS.toLocaleString('en-US')}); finalize the statements you prepare`)
    }
    const refused = refusal(decoder.decode(sqlBytes))
    this.refused = refused === undefined ? undefined : { code: AUTH, message: refused }
    if (this.refused) return out.int(AUTH).text(encoder.encode(this.refused.message)).bytes()
    const sql = this.engine()
    const ptr = sql._malloc(sqlBytes.length + 1 + 8)
    sql.heap().set(sqlBytes, ptr)
    sql.heap()[ptr + sqlBytes.length] = 0
    const outs = ptr + sqlBytes.length + 1
    try {
      const code = this.guard(() => sql._sqlite3_prepare_v2(db.db, ptr, sqlBytes.length, outs, outs + 4))
      const view = new DataView(sql.heap().buffer)
      if (code !== OK) return out.int(code).text(this.errmsg(handle)).bytes()
      const stmt = view.getUint32(outs, true)
      const tail = view.getUint32(outs + 4, true) - ptr
      this.stmts.set(id, { ptr: stmt, handle, temp })
      if (temp) this.temps.add(id)
      return out.int(OK).text(sqlBytes.subarray(Math.max(0, Math.min(tail, sqlBytes.length)))).bytes()
    } finally {
      sql._free(ptr)
    }
  }

  private step(id: number, out: Writer): Uint8Array {
    const stmt = this.stmts.get(id)
    if (!stmt) return out.int(STALE).bytes()
    const live = this.dbs.get(stmt.handle)
    if (live) live.remembered = undefined
    if (!stmt.ptr) return out.int(DONE).bytes()
    const sql = this.engine()
    const code = this.guard(() => sql._sqlite3_step(stmt.ptr))
    if (code === ROW) {
      const count = sql._sqlite3_data_count(stmt.ptr)
      out.int(ROW).int(count)
      for (let i = 0; i < count; i++) out.value(this.column(stmt.ptr, i))
      return out.bytes()
    }
    if (code === DONE) return out.int(DONE).bytes()
    return out.int(code).text(this.errmsg(stmt.handle)).bytes()
  }

  /**
   * Up to `max` rows at once, for the row iterators (one host call per batch, not per row): the count, the rows,
   * then ROW when more may follow, DONE, or an error code and message.
   */
  private steps(id: number, max: number, out: Writer): Uint8Array {
    const stmt = this.stmts.get(id)
    if (!stmt) return out.int(STALE).bytes()
    if (!stmt.ptr) return out.int(0).int(DONE).bytes()
    const sql = this.engine()
    const live = this.dbs.get(stmt.handle)
    if (live) live.remembered = undefined
    const rows = new Writer()
    let count = 0
    let code = ROW
    while (count < Math.min(Math.max(1, max), MAX_BATCH)) {
      code = this.guard(() => sql._sqlite3_step(stmt.ptr))
      if (code !== ROW) break
      const columns = sql._sqlite3_data_count(stmt.ptr)
      rows.int(columns)
      for (let i = 0; i < columns; i++) rows.value(this.column(stmt.ptr, i))
      count++
    }
    out.int(count).append(rows).int(code)
    if (code !== ROW && code !== DONE) out.text(this.errmsg(stmt.handle))
    return out.bytes()
  }

  private bindValues(r: Reader, out: Writer): Uint8Array {
    const stmt = this.stmts.get(r.int())
    if (!stmt) return out.int(STALE).bytes()
    const values: SqlValue[] = []
    while (r.more()) values.push(r.value())
    const expected = this.parameterCount(stmt.ptr)
    if (values.length !== expected) return out.int(MISUSE_COUNT).text(encoder.encode(`incorrect number of parameters to bind (${values.length} given, ${expected} to bind)`)).bytes()
    for (let i = 0; i < values.length; i++) {
      const code = this.guard(() => this.bind(stmt.ptr, i + 1, values[i]!))
      if (code !== OK) return out.int(code).bytes()
    }
    return out.int(OK).bytes()
  }

  /** bind_names: each parameter named :k, @k or $k takes tbl.k; a positional ? takes tbl[i]; the rest are NULL. */
  private bindNames(r: Reader, out: Writer): Uint8Array {
    const stmt = this.stmts.get(r.int())
    if (!stmt) return out.int(STALE).bytes()
    if (!stmt.ptr) return out.int(OK).bytes()
    const sql = this.engine()
    sql._sqlite3_clear_bindings(stmt.ptr)
    while (r.more()) {
      const key = r.value()
      const value = r.value()
      if (typeof key === 'bigint') {
        this.guard(() => this.bind(stmt.ptr, Number(key), value))
        continue
      }
      if (typeof key !== 'object' || key === null || !('text' in key)) continue
      for (const prefix of [':', '@', '$']) {
        const index = this.parameterIndex(stmt.ptr, prefix + decoder.decode(key.text))
        if (index > 0) {
          const code = this.guard(() => this.bind(stmt.ptr, index, value))
          if (code !== OK) return out.int(code).bytes()
        }
      }
    }
    return out.int(OK).bytes()
  }

  private info(handle: number, what: string, out: Writer): Uint8Array {
    if (what === 'isopen') return out.int(this.dbs.has(handle) || (this.images.has(handle) && !this.closed.has(handle)) ? 1 : 0).bytes()
    const db = this.db(handle)
    const sql = this.engine()
    switch (what) {
      case 'changes':
        return out.int(sql._sqlite3_changes(db.db)).bytes()
      case 'total_changes':
        return out.value(this.scalar(db, 'SELECT total_changes()')).bytes()
      case 'last_insert_rowid':
        return out.value(this.scalar(db, 'SELECT last_insert_rowid()')).bytes()
      case 'errcode':
        return out.int(this.refused?.code ?? this.dbs.get(handle)!.remembered?.code ?? sql._sqlite3_extended_errcode(db.db) & 0xff).bytes()
      case 'errmsg':
        return out.text(this.refused ? encoder.encode(this.refused.message) : (this.dbs.get(handle)!.remembered?.message ?? this.errmsg(handle))).bytes()
      default:
        throw new Error(`lsqlite3: unknown info ${what}`)
    }
  }

  private errmsg(handle: number): Uint8Array {
    const sql = this.engine()
    const db = this.dbs.get(handle)!.db
    const text = this.cString(sql._sqlite3_errmsg(db.db))
    const code = sql._sqlite3_extended_errcode(db.db) & 0xff
    if (code === FULL) return encoder.encode(`${decoder.decode(text)} (a process's database is limited to maxDbSize = ${this.maxDbSize} bytes)`)
    if (code === NOMEM) return encoder.encode(`${decoder.decode(text)} (SQLite's heap is limited to maxMemory = ${this.maxMemory} bytes)`)
    return text
  }

  private finalizeStmt(id: number): number {
    const stmt = this.stmts.get(id)!
    this.stmts.delete(id)
    this.temps.delete(id)
    if (!stmt.ptr || !this.sql || this.fatal) return OK
    return this.guard(() => this.sql!._sqlite3_finalize(stmt.ptr))
  }

  /** A database's settings and the functions that pin it to the message (connection state: set on every open). */
  private setUp(db: SqlJsDatabase): void {
    const sql = this.engine()
    this.exec(db, `PRAGMA max_page_count = ${Math.max(1, Math.floor(this.maxDbSize / PAGE_SIZE))}`)
    // Per sql.js instance, that is per process: SQLite's allocations fail (SQLITE_NOMEM) past it.
    this.exec(db, `PRAGMA hard_heap_limit = ${this.maxMemory}`)
    const pointers = this.pointers()
    for (const [key, fn] of pointers) {
      const [name, arity] = key.split('/') as [string, string]
      const flags = /^(random|randomblob)$/.test(name) ? UTF8 : UTF8 | DETERMINISTIC
      const namePtr = this.alloc(encoder.encode(name + '\0'))
      try {
        sql._sqlite3_create_function_v2(db.db, namePtr, Number(arity), flags, 0, fn, 0, 0, 0)
      } finally {
        sql._free(namePtr)
      }
    }
  }

  /** The pinned functions, one table slot each per sql.js instance. */
  private pointers(): Map<string, number> {
    if (this.functionPointers) return this.functionPointers
    const sql = this.engine()
    const map = new Map<string, number>()
    for (const name of ['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime', 'timediff']) {
      map.set(`${name}/-1`, sql.addFunction((ctx, argc, argv) => this.pinned(ctx, name, this.args(argc, argv)), 'viii'))
    }
    for (const [name, fn] of [['current_timestamp', 'datetime'], ['current_date', 'date'], ['current_time', 'time']] as const) {
      map.set(`${name}/0`, sql.addFunction((ctx) => this.pinned(ctx, fn, []), 'viii'))
    }
    map.set('random/0', sql.addFunction((ctx) => sql._sqlite3_result_int64(ctx, BigInt.asIntN(64, this.nextRandom())), 'viii'))
    map.set(
      'randomblob/1',
      sql.addFunction((ctx, argc, argv) => {
        const n = Math.max(1, Math.min(1_000_000, Number(this.args(argc, argv)[0] ?? 1) || 1))
        const bytes = new Uint8Array(n)
        for (let i = 0; i < n; i += 8) {
          let x = this.nextRandom()
          for (let j = i; j < Math.min(n, i + 8); j++, x >>= 8n) bytes[j] = Number(x & 0xffn)
        }
        this.result(ctx, { blob: bytes })
      }, 'viii'),
    )
    this.functionPointers = map
    return map
  }

  /** splitmix64 from the message's seed. */
  private nextRandom(): bigint {
    this.random = BigInt.asUintN(64, this.random + 0x9e3779b97f4a7c15n)
    let z = this.random
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n)
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn)
    return z ^ (z >> 31n)
  }

  /** A date/time function with 'now' (explicit or implied) replaced by the message time, run on the plain connection. */
  private pinned(ctx: number, name: string, args: SqlValue[]): void {
    const sql = this.engine()
    if (args.length === 0 && name !== 'strftime' && name !== 'timediff') args = [{ text: encoder.encode('now') }]
    if (name === 'strftime' && args.length === 1) args.push({ text: encoder.encode('now') })
    const iso = encoder.encode(new Date(this.now).toISOString().replace('T', ' ').replace('Z', ''))
    args = args.map((arg) => (typeof arg === 'object' && arg !== null && 'text' in arg && /^\s*now\s*$/i.test(decoder.decode(arg.text)) ? { text: iso } : arg))
    this.plain ??= new sql.Database()
    const query = encoder.encode(`SELECT ${name}(${args.map((_, i) => `?${i + 1}`).join(',')})`)
    const ptr = this.alloc(query, 8)
    try {
      if (sql._sqlite3_prepare_v2(this.plain.db, ptr, query.length, ptr + query.length, 0) !== OK) {
        return this.resultError(ctx, this.cString(sql._sqlite3_errmsg(this.plain.db)))
      }
      const stmt = new DataView(sql.heap().buffer).getUint32(ptr + query.length, true)
      try {
        args.forEach((arg, i) => this.bind(stmt, i + 1, arg))
        const code = sql._sqlite3_step(stmt)
        if (code !== ROW) return this.resultError(ctx, this.cString(sql._sqlite3_errmsg(this.plain.db)))
        this.result(ctx, this.column(stmt, 0))
      } finally {
        sql._sqlite3_finalize(stmt)
      }
    } finally {
      sql._free(ptr)
    }
  }

  private args(argc: number, argv: number): SqlValue[] {
    const sql = this.engine()
    const out: SqlValue[] = []
    for (let i = 0; i < argc; i++) {
      const value = new DataView(sql.heap().buffer).getUint32(argv + 4 * i, true)
      switch (sql._sqlite3_value_type(value)) {
        case 1:
          out.push(BigInt(decoder.decode(this.cString(sql._sqlite3_value_text(value)))))
          break
        case 2:
          out.push(sql._sqlite3_value_double(value))
          break
        case 3: {
          const ptr = sql._sqlite3_value_text(value)
          out.push({ text: sql.heap().slice(ptr, ptr + sql._sqlite3_value_bytes(value)) })
          break
        }
        case 4: {
          const ptr = sql._sqlite3_value_blob(value)
          out.push({ blob: sql.heap().slice(ptr, ptr + sql._sqlite3_value_bytes(value)) })
          break
        }
        default:
          out.push(null)
      }
    }
    return out
  }

  private result(ctx: number, value: SqlValue): void {
    const sql = this.engine()
    if (value === null) return sql._sqlite3_result_null(ctx)
    if (typeof value === 'bigint') return sql._sqlite3_result_int64(ctx, value)
    if (typeof value === 'number') return sql._sqlite3_result_double(ctx, value)
    const bytes = 'text' in value ? value.text : value.blob
    const ptr = this.alloc(bytes)
    if ('text' in value) sql._sqlite3_result_text(ctx, ptr, bytes.length, TRANSIENT)
    else sql._sqlite3_result_blob(ctx, ptr, bytes.length, TRANSIENT)
    sql._free(ptr)
  }

  private resultError(ctx: number, message: Uint8Array): void {
    const ptr = this.alloc(message)
    this.engine()._sqlite3_result_error(ctx, ptr, message.length)
    this.engine()._free(ptr)
  }

  /** Column i of the current row, as lsqlite3 hands it to Lua: integer, float, text or blob bytes, or nil. */
  private column(stmt: number, i: number): SqlValue {
    const sql = this.engine()
    switch (sql._sqlite3_column_type(stmt, i)) {
      case 1:
        return BigInt(decoder.decode(this.cString(sql._sqlite3_column_text(stmt, i))))
      case 2:
        return sql._sqlite3_column_double(stmt, i)
      case 3: {
        const ptr = sql._sqlite3_column_text(stmt, i)
        return { text: sql.heap().slice(ptr, ptr + sql._sqlite3_column_bytes(stmt, i)) }
      }
      case 4: {
        const ptr = sql._sqlite3_column_blob(stmt, i)
        return { blob: sql.heap().slice(ptr, ptr + sql._sqlite3_column_bytes(stmt, i)) }
      }
      default:
        return null
    }
  }

  private bind(stmt: number, index: number, value: SqlValue): number {
    const sql = this.engine()
    if (!stmt) return RANGE
    if (value === null) return sql._sqlite3_bind_blob(stmt, index, 0, 0, 0)
    if (typeof value === 'bigint') return sql._sqlite3_bind_int64(stmt, index, value)
    if (typeof value === 'number') return sql._sqlite3_bind_double(stmt, index, value)
    const bytes = 'text' in value ? value.text : value.blob
    const ptr = this.alloc(bytes)
    try {
      return 'text' in value ? sql._sqlite3_bind_text(stmt, index, ptr, bytes.length, TRANSIENT) : sql._sqlite3_bind_blob(stmt, index, ptr, bytes.length, TRANSIENT)
    } finally {
      sql._free(ptr)
    }
  }

  /** sql.js exports no sqlite3_bind_parameter_count: the highest index that binds without SQLITE_RANGE. */
  private parameterCount(stmt: number): number {
    if (!stmt) return 0
    const sql = this.engine()
    let count = 0
    while (sql._sqlite3_bind_blob(stmt, count + 1, 0, 0, 0) === OK) count++
    return count
  }

  private parameterIndex(stmt: number, name: string): number {
    const ptr = this.alloc(encoder.encode(name + '\0'))
    try {
      return this.engine()._sqlite3_bind_parameter_index(stmt, ptr)
    } finally {
      this.engine()._free(ptr)
    }
  }

  /** A single value of a query on the database's own connection (for counters sql.js does not export). */
  private scalar(db: SqlJsDatabase, query: string): SqlValue {
    const sql = this.engine()
    const bytes = encoder.encode(query)
    const ptr = this.alloc(bytes, 4)
    try {
      if (sql._sqlite3_prepare_v2(db.db, ptr, bytes.length, ptr + bytes.length, 0) !== OK) throw new Error(`lsqlite3: ${query} failed`)
      const stmt = new DataView(sql.heap().buffer).getUint32(ptr + bytes.length, true)
      try {
        return sql._sqlite3_step(stmt) === ROW ? this.column(stmt, 0) : null
      } finally {
        sql._sqlite3_finalize(stmt)
      }
    } finally {
      sql._free(ptr)
    }
  }

  private exec(db: SqlJsDatabase, query: string): void {
    this.scalar(db, query)
  }

  /** Whether a transaction is open (sql.js exports no sqlite3_get_autocommit): BEGIN fails inside one. */
  private inTransaction(db: SqlJsDatabase): boolean {
    const sql = this.engine()
    const bytes = encoder.encode('BEGIN')
    const ptr = this.alloc(bytes, 4)
    try {
      if (sql._sqlite3_prepare_v2(db.db, ptr, bytes.length, ptr + bytes.length, 0) !== OK) return true
      const stmt = new DataView(sql.heap().buffer).getUint32(ptr + bytes.length, true)
      const code = sql._sqlite3_step(stmt)
      sql._sqlite3_finalize(stmt)
      if (code !== DONE) return true
      this.exec(db, 'ROLLBACK')
      return false
    } finally {
      sql._free(ptr)
    }
  }

  /** Changes since open (total_changes only grows) and schema/user versions: equal means nothing was written. */
  private fingerprint(db: SqlJsDatabase): string {
    return this.guard(() => {
      const values = [
        this.scalar(db, 'SELECT total_changes()'),
        this.scalar(db, 'PRAGMA schema_version'),
        this.scalar(db, 'PRAGMA user_version'),
      ]
      return values.map(String).join(':')
    })
  }

  private alloc(bytes: Uint8Array, extra = 0): number {
    const sql = this.engine()
    const ptr = sql._malloc(bytes.length + extra + 1)
    const heap = sql.heap()
    heap.set(bytes, ptr)
    heap.fill(0, ptr + bytes.length, ptr + bytes.length + extra + 1)
    return ptr
  }

  private cString(ptr: number): Uint8Array {
    if (!ptr) return new Uint8Array(0)
    const heap = this.engine().heap()
    const end = heap.indexOf(0, ptr)
    return heap.slice(ptr, end)
  }

  /**
   * Runs sql.js on what is left of the message's gas. Out of gas, or any trap, leaves the instance unusable: the
   * engine stops, and the message fails (ProcessVm replaces its result and rolls the databases back).
   */
  private guard<T>(fn: () => T): T {
    const sql = this.engine()
    // A nested guard (a pinned function inside a query) shares the budget already set.
    if (this.guarding) return fn()
    this.guarding = true
    sql.gas = BigInt(this.gasLeft)
    try {
      return fn()
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || sql.gas < 0n) {
        this.fatal =
          sql.gas < 0n
            ? new SqliteLimitError(`SQLite compute limit exceeded: the message's queries used more than ${this.computeLimit} gas (sqlite computeLimit)`)
            : new SqliteLimitError(`The SQLite engine crashed: ${error instanceof Error ? error.message : String(error)}`)
        this.dropInstance()
        throw this.fatal
      }
      throw error
    } finally {
      this.guarding = false
      if (this.sql === sql) {
        this.gasLeft = Math.max(0, Number(sql.gas))
        sql.gas = UNLIMITED_GAS
      }
    }
  }

  private dropInstance(): void {
    this.stmts.clear()
    this.temps.clear()
    this.dbs.clear()
    this.plain = undefined
    this.sql = undefined
    this.functionPointers = undefined
  }
}

/** What bind_values answers when the count is wrong (lsqlite3 raises it as an error). */
const MISUSE_COUNT = -2
