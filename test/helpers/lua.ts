// Test helper for the runtime's Lua library files (harness/lua/*.lua) before the full VM is involved:
// runs a snippet in a plain wasmoon engine where `require(name)` finds the given library files.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { LuaFactory } from 'wasmoon'

const luaDir = fileURLToPath(new URL('../../harness/lua/', import.meta.url))
const factory = new LuaFactory()
/** The libraries that get aoserrors.lua as their chunk argument from main.lua; the helper hands it over the same way. */
const AOS_ERROR_USERS = new Set(['bint', 'utils', 'pretty', 'stringify'])

/** Runs `code` with `require(name)` resolving `harness/lua/<file>.lua` per entry of `modules`; returns its first result. */
export async function runLua(code: string, modules: Record<string, string> = {}): Promise<unknown> {
  const engine = await factory.createEngine()
  try {
    engine.global.set('__errors', readFileSync(luaDir + 'aoserrors.lua', 'utf8'))
    await engine.doString('__aosErrors = assert(load(__errors, "@aoserrors"))()')
    for (const [name, file] of Object.entries(modules)) {
      const source = readFileSync(luaDir + file + '.lua', 'utf8')
      engine.global.set('__src', source)
      engine.global.set('__name', name)
      engine.global.set('__withErrors', AOS_ERROR_USERS.has(file))
      await engine.doString(`
        local chunk, errors = assert(load(__src, "@" .. __name)), __aosErrors
        package.preload[__name] = __withErrors and function(...) return chunk(errors, ...) end or chunk`)
    }
    return await engine.doString(code)
  } finally {
    engine.global.close()
  }
}
