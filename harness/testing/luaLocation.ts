// Errors point at the contract: aos reports every position in loaded code as `[string "aos"]:N:` (the Eval chunk),
// and this maps N back to the file and line it came from (`contracts/escrow.lua:42`). Results keep aos's exact
// Error text: the location is only ever added beside it (thrown errors, traces, chai messages, deploy).
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type { SourceOrigin } from '../bundle.js'
import { walk, type MessageNode } from '../network/messageTree.js'
import type { AoResult } from '../vm/processVm.js'
import { stripAnsi } from '../ansi.js'

/** Where a Lua error was raised in contract files, and the contract frames of its stack (innermost first). */
export type LuaLocation = {
  /** `contracts/escrow.lua:42` (relative to the working directory); absent when no position maps to a file. */
  location?: string
  /** Stack frames in the Eval chunk, positions mapped: `contracts/escrow.lua:42: in upvalue 'settle'`. */
  frames: string[]
}

/** Line n of the Eval chunk → its origin: a bundle's `origins` list (index n - 1), or a function. */
export type LineOrigins = readonly (SourceOrigin | undefined)[] | ((line: number) => SourceOrigin | undefined)

const POSITION = /\[string "aos"\]:(\d+)/g
/** The traceback aos prints for a handler error: its header and the tab-indented frames after it. */
const TRACEBACK = /stack traceback:\n((?:\t[^\n]*(?:\n|$))*)/

/** `path:line`, the path relative to the working directory (when inside it) with `/` separators. */
export function formatOrigin(origin: SourceOrigin): string {
  // Outside the working directory (a temporary folder) the absolute path reads better than ../../…
  const path = relative(process.cwd(), origin.path)
  const shown = path === '' || path.startsWith('..') || isAbsolute(path) ? resolve(origin.path) : path
  return `${shown.split(sep).join('/')}:${origin.line}`
}

/**
 * Finds every `[string "aos"]:N` position in an aos Error text (and in the Lua stack the runtime recorded, when
 * given) and maps it to the contract file and line. The location is the first mapped position of the error
 * message itself, else the innermost mapped frame (an error raised inside a library the contract called).
 */
export function locateLuaError(errorText: string, origins: LineOrigins, traceback?: string): LuaLocation {
  const originOf = typeof origins === 'function' ? origins : (line: number) => origins[line - 1]
  const where = (line: number) => {
    const origin = originOf(line)
    return origin === undefined ? undefined : formatOrigin(origin)
  }
  const text = stripAnsi(errorText)
  const stack = traceback ?? TRACEBACK.exec(text)?.[1] ?? ''
  const frames = stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('[string "aos"]'))
    .map((line) => line.replace(POSITION, (whole, n: string) => where(Number(n)) ?? whole))
  const message = text.replace(TRACEBACK, '')
  const first = (lines: string) => {
    for (const match of lines.matchAll(POSITION)) {
      const found = where(Number(match[1]))
      if (found !== undefined) return found
    }
    return undefined
  }
  return { location: first(message) ?? first(stack), frames }
}

/** The location and frames as lines to print under an error: `at contracts/escrow.lua:42` then the stack. */
export function describeLuaLocation(located: LuaLocation): string {
  const lines = located.location !== undefined ? [`at ${located.location}`] : []
  if (located.frames.length > 0) lines.push('Lua stack:', ...located.frames.map((frame) => '  ' + frame))
  return lines.join('\n')
}

// Results a test network evaluated, with where their Error came from: filled as each result arrives, read by
// traces and chai (which see only the results).
const locations = new WeakMap<AoResult, LuaLocation>()

export function rememberErrorLocation(result: AoResult, located: LuaLocation): void {
  locations.set(result, located)
}

/** Where a result's Error was raised in contract code, when a test network loaded that code from files. */
export function errorLocationOf(result: AoResult): LuaLocation | undefined {
  return locations.get(result)
}

/**
 * For failure messages: each errored message of a tree whose error maps to contract code, with its location
 * and Lua stack; "" when there is none.
 */
export function luaErrorReport(tree: MessageNode): string {
  const parts: string[] = []
  for (const node of walk(tree)) {
    const located = node.result.Error !== undefined ? errorLocationOf(node.result) : undefined
    if (located === undefined || (located.location === undefined && located.frames.length === 0)) continue
    parts.push(`Lua error${located.location !== undefined ? ' ' : '\n'}${describeLuaLocation(located)}`)
  }
  return parts.length === 0 ? '' : '\n\n' + parts.join('\n\n')
}
