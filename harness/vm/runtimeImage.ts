// The aos runtime booted once into a VM image; every process starts as a copy of it.
// Booting parses ~all of harness/lua once per host process; a spawn then only copies memory.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hostDigest } from './hostCrypto.js'
import { LuaVm, type HostFunction, type VmImage } from './luaVm.js'
import { hostSqlite } from './sqlite/sqliteHost.js'

const luaDir = fileURLToPath(new URL('../lua/', import.meta.url))

/** Host functions, in the order every instance registers them (their table slots are baked into the image). */
export const hostFunctions: HostFunction[] = [hostDigest, hostSqlite]

/** The name `require` knows a runtime file by: json.lua → json, handlers_utils.lua → .handlers-utils. */
function moduleName(file: string): string {
  const base = file.replace(/\.lua$/, '')
  if (base === 'json') return 'json'
  return '.' + base.replace(/_/g, '-')
}

// `--@aos 723` on a runtime line: aos's own chunk of that name has this code at line 723, so tracebacks and error
// locations say 723 (compat53.lua applies it); `--@aos 719 pcall` also shows the C function the line calls as pcall.
const AOS_LINE = /--@aos (\d+)(?: ([A-Za-z_][A-Za-z0-9_.]*))?/

/** The `--@aos` marks of one runtime file, as a Lua table constructor: { [line] = aosLine or {aosLine, name} }. */
function aosLines(file: string, source: string): string {
  const entries: string[] = []
  const marks = new Map<number, number>()
  source.split('\n').forEach((text, i) => {
    const mark = AOS_LINE.exec(text)
    if (!mark) return
    marks.set(i + 1, Number(mark[1]))
    const value = mark[2] ? `{ ${mark[1]}, ${JSON.stringify(mark[2])} }` : mark[1]
    entries.push(`[${i + 1}] = ${value}`)
  })
  // An error text can be relocated twice (caught, raised again): aos's line must not be another marked line.
  for (const [line, aos] of marks) {
    if (aos !== line && marks.has(aos)) throw new Error(`${file}:${line}: --@aos ${aos} is itself a marked line; move one of them`)
  }
  return `{ ${entries.join(', ')} }`
}

/** Each runtime file becomes a chunk function (not yet run); main.lua then builds the sandbox and loads them. */
export function bootChunks(): { name: string; source: string }[] {
  const files = readdirSync(luaDir).filter((f) => f.endsWith('.lua') && f !== 'main.lua').sort()
  const chunks = [{ name: '__aokit', source: '__aokit_chunks = {}' }]
  const marks: string[] = []
  for (const file of files) {
    const name = moduleName(file)
    const text = readFileSync(luaDir + file, 'utf8')
    // Same first line as the file, so error line numbers match the source.
    const source = `__aokit_chunks[${JSON.stringify(name)}] = function(...) ` + text + '\nend'
    chunks.push({ name, source })
    if (AOS_LINE.test(text)) marks.push(`[${JSON.stringify(name)}] = ${aosLines(file, text)}`)
  }
  chunks[0].source += ` __aokit_aoslines = { ${marks.join(', ')} }`
  chunks.push({ name: '.main', source: readFileSync(luaDir + 'main.lua', 'utf8') })
  return chunks
}

let image: Promise<VmImage> | undefined

/** The booted runtime's image, built on first use. */
export function runtimeImage(): Promise<VmImage> {
  image ??= LuaVm.boot(bootChunks(), hostFunctions).then((vm) => vm.image())
  return image
}
