// The aos `.load` bundle (spec §7): a main Lua file and the local files it requires, as one Eval-able source.
// Local modules are found relative to the main file (dots → slashes, `.lua`), depth-first, each wrapped in a
// function whose result goes into package.loaded; requires with no local file are assumed built in (json, .bint…).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type BundledModule = { name: string; path: string }
export type BundleReturnType = { source: string; modules: BundledModule[] }

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
  visit(mainFile, '')

  const main = order.pop()!
  const seen = new Map<string, string>()
  const parts = order.map((mod) => {
    const existing = seen.get(mod.path)
    seen.set(mod.path, existing ?? mod.name)
    const body = existing ? '' : `-- module: "${mod.name}"\nlocal function _loaded_mod_${functionName(mod.name)}()\n${mod.content}\nend\n`
    return body + `\n_G.package.loaded["${mod.name}"] = _loaded_mod_${functionName(existing ?? mod.name)}()`
  })
  parts.push(main.content)
  return { source: parts.map((p) => '\n\n' + p).join(''), modules: order.map(({ name, path }) => ({ name, path })) }
}
