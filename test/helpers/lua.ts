// Test helper for the runtime's Lua library files (harness/lua/*.lua) before the full VM is involved:
// runs a snippet in a plain wasmoon engine where `require(name)` finds the given library files.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { LuaFactory } from 'wasmoon'

const luaDir = fileURLToPath(new URL('../../harness/lua/', import.meta.url))
const factory = new LuaFactory()

/** Runs `code` with `require(name)` resolving `harness/lua/<file>.lua` per entry of `modules`; returns its first result. */
export async function runLua(code: string, modules: Record<string, string> = {}): Promise<unknown> {
  const engine = await factory.createEngine()
  try {
    for (const [name, file] of Object.entries(modules)) {
      const source = readFileSync(luaDir + file + '.lua', 'utf8')
      engine.global.set('__src', source)
      engine.global.set('__name', name)
      await engine.doString(`package.preload[__name] = assert(load(__src, "@" .. __name))`)
    }
    return await engine.doString(code)
  } finally {
    engine.global.close()
  }
}
