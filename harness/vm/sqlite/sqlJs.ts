// sql.js (SQLite compiled to wasm) with gas metering injected, as the Lua module has: a query is host work outside
// the Lua instance, so it runs on its own gas budget and a runaway one traps instead of hanging the host.
// sql.js has no types: the few parts used are declared here.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { compileFunction } from 'node:vm'
import { GAS_EXPORT, UNLIMITED_GAS, meterModule } from '../metering/meter.js'

/** A sql.js Database: only its C handle, byte export and close are used; statements go through the C API. */
export type SqlJsDatabase = {
  /** The sqlite3* handle. */
  readonly db: number
  export(): Uint8Array
  close(): void
}

/** The C functions of sqlite that sql.js exports (pointers are numbers, sqlite3_int64 is bigint). */
export type SqliteC = {
  _malloc(size: number): number
  _free(ptr: number): void
  _sqlite3_prepare_v2(db: number, sql: number, bytes: number, stmtOut: number, tailOut: number): number
  _sqlite3_step(stmt: number): number
  _sqlite3_reset(stmt: number): number
  _sqlite3_finalize(stmt: number): number
  _sqlite3_clear_bindings(stmt: number): number
  _sqlite3_column_count(stmt: number): number
  _sqlite3_data_count(stmt: number): number
  _sqlite3_column_name(stmt: number, i: number): number
  _sqlite3_column_type(stmt: number, i: number): number
  _sqlite3_column_double(stmt: number, i: number): number
  _sqlite3_column_text(stmt: number, i: number): number
  _sqlite3_column_blob(stmt: number, i: number): number
  _sqlite3_column_bytes(stmt: number, i: number): number
  _sqlite3_bind_int64(stmt: number, i: number, value: bigint): number
  _sqlite3_bind_double(stmt: number, i: number, value: number): number
  _sqlite3_bind_text(stmt: number, i: number, ptr: number, bytes: number, destructor: number): number
  _sqlite3_bind_blob(stmt: number, i: number, ptr: number, bytes: number, destructor: number): number
  _sqlite3_bind_parameter_index(stmt: number, name: number): number
  _sqlite3_changes(db: number): number
  _sqlite3_errmsg(db: number): number
  _sqlite3_extended_errcode(db: number): number
  _sqlite3_create_function_v2(db: number, name: number, nArg: number, flags: number, app: number, fn: number, step: number, final: number, destroy: number): number
  _sqlite3_value_type(value: number): number
  _sqlite3_value_double(value: number): number
  _sqlite3_value_text(value: number): number
  _sqlite3_value_blob(value: number): number
  _sqlite3_value_bytes(value: number): number
  _sqlite3_result_int64(ctx: number, value: bigint): void
  _sqlite3_result_double(ctx: number, value: number): void
  _sqlite3_result_text(ctx: number, ptr: number, bytes: number, destructor: number): void
  _sqlite3_result_blob(ctx: number, ptr: number, bytes: number, destructor: number): void
  _sqlite3_result_null(ctx: number): void
  _sqlite3_result_error(ctx: number, msg: number, bytes: number): void
  addFunction(fn: (...args: number[]) => void, signature: string): number
}

/** One sql.js module instance: its own wasm memory, C heap and gas. */
export type SqlJs = SqliteC & {
  Database: new (data?: Uint8Array) => SqlJsDatabase
  /** Current view of the module's linear memory (re-read after anything that may grow it). */
  heap(): Uint8Array
  /** Gas left; the module traps when it goes negative. */
  gas: bigint
}

type InitSqlJs = (config: { instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => unknown }) => Promise<SqliteC & { Database: SqlJs['Database'] }>

const require = createRequire(import.meta.url)
let compiled: Promise<{ module: WebAssembly.Module; factory: Function }> | undefined

/**
 * The metered sql.js module (compiled once per host process, about half a second) and its JavaScript glue as a
 * function: sql.js caches its one instance in a module-level variable, so each instance runs the glue afresh.
 */
function sqlModule(): Promise<{ module: WebAssembly.Module; factory: Function }> {
  compiled ??= (async () => {
    const wasm = readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'))
    const module = await WebAssembly.compile(meterModule(wasm, { loopsOnly: false }).bytes)
    const filename = require.resolve('sql.js/dist/sql-wasm.js')
    const factory = compileFunction(readFileSync(filename, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename })
    return { module, factory }
  })()
  return compiled
}

/** A new sql.js instance (its own memory and C heap), gas unlimited until the caller sets a budget. */
export async function createSqlJs(): Promise<SqlJs> {
  const { module, factory } = await sqlModule()
  const holder = { exports: {} as unknown }
  factory(holder.exports, require, holder, require.resolve('sql.js/dist/sql-wasm.js'), dirname(require.resolve('sql.js/dist/sql-wasm.js')))
  const init = holder.exports as InitSqlJs
  let instance: WebAssembly.Instance | undefined
  const sql = await init({
    instantiateWasm(imports, done) {
      instance = new WebAssembly.Instance(module, imports)
      done(instance)
      return instance.exports
    },
  })
  const exports = instance!.exports
  const memory = Object.values(exports).find((value): value is WebAssembly.Memory => value instanceof WebAssembly.Memory)!
  const gas = exports[GAS_EXPORT] as WebAssembly.Global
  gas.value = UNLIMITED_GAS
  const out = sql as SqlJs
  Object.defineProperties(out, {
    heap: { value: () => new Uint8Array(memory.buffer) },
    gas: {
      get: () => gas.value as bigint,
      set: (value: bigint) => {
        gas.value = value
      },
    },
  })
  return out
}
