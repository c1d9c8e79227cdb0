// The host function lsqlite3.lua calls. Host functions are shared by every instance (their table slots are baked
// into the runtime image), so the engine of the process being evaluated is set around each call into Lua.
import type { BytesHostFunction } from '../luaVm.js'
import type { SqliteEngine } from './sqliteEngine.js'

let current: SqliteEngine | undefined

/** Runs `fn` (a call into a process's Lua) with `engine` answering its lsqlite3 calls. */
export function withSqliteEngine<T>(engine: SqliteEngine | undefined, fn: () => T): T {
  const previous = current
  current = engine
  try {
    return fn()
  } finally {
    current = previous
  }
}

export const hostSqlite: BytesHostFunction = {
  bytes(...args) {
    if (!current) throw new Error('lsqlite3: this process has no SQLite engine (spawn it with the aos-sqlite module)')
    return current.call(args)
  },
}
