// Which code a test network loaded into each process, line by line, so a position in the Eval chunk "aos" can be
// traced back to a contract file. Every load is the same chunk name on AO (and so here: the process must see
// what it would see there), so a line is ambiguous after several loads: the latest load that defined functions
// and is that long wins, as a later handler error can only come from a function some load defined and kept.
import type { SourceOrigin } from '../bundle.js'
import type { LineOrigins } from './luaLocation.js'

type Load = { origins: readonly (SourceOrigin | undefined)[]; definesFunctions: boolean }

// A function that can outlive its Eval: global or anonymous (a handler). `local function` alone dies with the
// Eval, unless a closure keeps it, and that closure is itself one of these (deal's helpers are only locals).
const FUNCTION = /(?<!\blocal\s+)\bfunction\b/

/** Origins of a Lua string that came from no file: one undefined entry per line (it covers them, maps none). */
export function stringOrigins(source: string): (SourceOrigin | undefined)[] {
  return source.split('\n').map(() => undefined)
}

export class LoadedSources {
  private readonly loads = new Map<string, Load[]>()

  /** Records code the process kept (its Eval had no Error). */
  record(processId: string, source: string, origins: readonly (SourceOrigin | undefined)[] = stringOrigins(source)): void {
    const list = this.loads.get(processId) ?? []
    list.push({ origins, definesFunctions: FUNCTION.test(source) })
    this.loads.set(processId, list)
  }

  /**
   * Line → origin for an error of `processId`. `current` is the code of the message being evaluated when it is
   * an Eval: it is then the latest load, so its own lines are its own.
   */
  originsFor(processId: string, current?: readonly (SourceOrigin | undefined)[]): LineOrigins {
    const loads = [...(this.loads.get(processId) ?? [])]
    if (current !== undefined) loads.push({ origins: current, definesFunctions: true })
    return (line: number) => {
      for (let i = loads.length - 1; i >= 0; i--) {
        const load = loads[i]!
        if (load.definesFunctions && line <= load.origins.length) return load.origins[line - 1]
      }
      return undefined
    }
  }

  /** A fork starts with its parent's code. */
  copy(fromProcessId: string, toProcessId: string): void {
    this.loads.set(toProcessId, [...(this.loads.get(fromProcessId) ?? [])])
  }
}
