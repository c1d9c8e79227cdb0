// The aos runtime booted once into a VM image; every process starts as a copy of it.
// Booting parses ~all of harness/lua once per host process; a spawn then only copies memory.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hostDigest } from './hostCrypto.js'
import { LuaVm, type HostFunction, type VmImage } from './luaVm.js'

const luaDir = fileURLToPath(new URL('../lua/', import.meta.url))

/** Host functions, in the order every instance registers them (their table slots are baked into the image). */
export const hostFunctions: HostFunction[] = [hostDigest]

/** The name `require` knows a runtime file by: json.lua → json, handlers_utils.lua → .handlers-utils. */
function moduleName(file: string): string {
  const base = file.replace(/\.lua$/, '')
  if (base === 'json') return 'json'
  return '.' + base.replace(/_/g, '-')
}

/** Each runtime file becomes a chunk function (not yet run); main.lua then builds the sandbox and loads them. */
export function bootChunks(): { name: string; source: string }[] {
  const files = readdirSync(luaDir).filter((f) => f.endsWith('.lua') && f !== 'main.lua').sort()
  const chunks = [{ name: '__aokit', source: '__aokit_chunks = {}' }]
  for (const file of files) {
    const name = moduleName(file)
    // Same first line as the file, so error line numbers match the source.
    const source = `__aokit_chunks[${JSON.stringify(name)}] = function(...) ` + readFileSync(luaDir + file, 'utf8') + '\nend'
    chunks.push({ name, source })
  }
  chunks.push({ name: '.main', source: readFileSync(luaDir + 'main.lua', 'utf8') })
  return chunks
}

let image: Promise<VmImage> | undefined

/** The booted runtime's image, built on first use. */
export function runtimeImage(): Promise<VmImage> {
  image ??= LuaVm.boot(bootChunks(), hostFunctions).then((vm) => vm.image())
  return image
}
