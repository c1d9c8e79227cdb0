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
// locations say 723 (compat/aoslines.lua and compat/traceback.lua apply it); `--@aos 719 pcall` also shows the C function the line calls as pcall.
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

/**
 * The Lua 5.3 shims, one concept per file in harness/lua/compat/, in the order they run. They share locals (the
 * first file's helpers), so they are joined into one chunk, `.compat53`, whose lines count through them all.
 */
export const COMPAT_FILES = [
  'base', // captured globals, 5.3's library error helpers
  'varinfo', // variable names in operator errors, read from 5.4 bytecode
  'strings', // arithmetic and bitwise operators on strings
  'bit32',
  'math', // LUA_COMPAT_MATHLIB
  'removed', // what 5.3 lacks; os.getenv
  'gc', // collectgarbage's 5.3 options
  'aoslines', // aos's own line numbers for `--@aos N` marks
  'errors', // runtime errors in 5.3's words: pcall, xpcall, coroutine.resume
  'traceback', // debug.traceback as 5.3 writes it
  'metamethods', // __ipairs, __le from __lt
  'utf8',
  'load', // load: text chunks, no 5.4-only syntax; returns checkSource
] as const

/** The `.compat53` chunk's source: the compat files joined, in COMPAT_FILES order. */
export function compatSource(): string {
  return COMPAT_FILES.map((name) => readFileSync(`${luaDir}compat/${name}.lua`, 'utf8')).join('')
}

/** The boot list's name for the joined compat files: the chunk keeps the place compat53.lua had when it was one file. */
const COMPAT_CHUNK_FILE = 'compat53.lua'

/** A runtime file's source; compat53.lua stands for the joined compat files. */
function runtimeSource(file: string): string {
  return file === COMPAT_CHUNK_FILE ? compatSource() : readFileSync(luaDir + file, 'utf8')
}

/** Each runtime file becomes a chunk function (not yet run); main.lua then builds the sandbox and loads them. */
export function bootChunks(): { name: string; source: string }[] {
  const files = [...readdirSync(luaDir).filter((f) => f.endsWith('.lua') && f !== 'main.lua'), COMPAT_CHUNK_FILE].sort()
  const chunks = [{ name: '__aokit', source: '__aokit_chunks = {}' }]
  const marks: string[] = []
  for (const file of files) {
    const name = moduleName(file)
    const text = runtimeSource(file)
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
