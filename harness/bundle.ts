// The aos `.load` bundle (spec §7): a main Lua file and the local files it requires, as one Eval-able source.
// Local modules are found relative to the main file (dots → slashes, `.lua`), depth-first, each wrapped in a
// function whose result goes into package.loaded; requires with no local file are assumed built in (json, .bint…).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AokitError } from '../sdk/errors.js'

/** The main Lua file given to the bundler does not exist. */
export class LuaFileNotFoundError extends AokitError {
  override name = 'LuaFileNotFoundError'
  constructor(readonly path: string) {
    super(`Lua file not found: ${path}`, { details: 'the main file of a bundle (spawn({ file }), aokit deploy) must exist' })
  }
}

export type BundledModule = { name: string; path: string }
/** Where a line of the bundle came from: a file and its 1-based line. */
export type SourceOrigin = { path: string; line: number }
export type BundleReturnType = {
  source: string
  modules: BundledModule[]
  /** `origins[n - 1]` is where line n of `source` came from; undefined for the lines the bundler wrote. */
  origins: (SourceOrigin | undefined)[]
}

const REQUIRE = /require\s*\(?\s*(["'])([^"'\n]+)\1/g

function requiredNames(source: string): string[] {
  return [...source.matchAll(REQUIRE)].map((m) => m[2])
}

/** `.a.b` → `a_b`, the function-name form aos uses for module `a.b`. */
function functionName(name: string): string {
  return name.replace(/\./g, '_').replace(/^_/, '')
}

/** Bundles `mainFile` with its local requires exactly as `aos .load` does. */
export function bundleLua(mainFile: string): BundleReturnType {
  const root = dirname(mainFile)
  const order: { name: string; path: string; content: string }[] = []
  const visiting = new Set<string>()

  const visit = (path: string, name: string) => {
    if (visiting.has(path) || order.some((m) => m.path === path)) return
    visiting.add(path)
    const content = readFileSync(path, 'utf8')
    for (const child of requiredNames(content)) {
      const childPath = join(root, child.replace(/\./g, '/') + '.lua')
      if (existsSync(childPath)) visit(childPath, child)
    }
    order.push({ name, path, content })
  }
  if (!existsSync(mainFile)) throw new LuaFileNotFoundError(mainFile)
  visit(mainFile, '')

  const main = order.pop()!
  // Segments in order: the bundler's own text has no path; each file's content starts on a line of its own.
  const segments: { text: string; path?: string }[] = []
  for (const mod of order) {
    segments.push({ text: `\n\n-- module: "${mod.name}"\nlocal function _loaded_mod_${functionName(mod.name)}()\n` })
    segments.push({ text: mod.content, path: mod.path })
    segments.push({ text: '\nend\n' })
    segments.push({ text: `\n_G.package.loaded["${mod.name}"] = _loaded_mod_${functionName(mod.name)}()` })
  }
  segments.push({ text: '\n\n' })
  segments.push({ text: main.content, path: main.path })

  const origins: (SourceOrigin | undefined)[] = [undefined]
  for (const { text, path } of segments) {
    const lines = text.split('\n')
    if (path !== undefined) origins[origins.length - 1] = { path, line: 1 }
    for (let i = 1; i < lines.length; i++) origins.push(path === undefined ? undefined : { path, line: i + 1 })
  }
  return { source: segments.map((s) => s.text).join(''), modules: order.map(({ name, path }) => ({ name, path })), origins }
}
