// Tag-name lint: aos 2.0.6 renames every incoming tag and key to Title-Case (`VoteID` → `Voteid`) and drops the
// original, so `msg.VoteID` is silently nil on AO. The runtime records such reads (harness/lua/diagnostics.lua);
// this turns them into one warning per place and name, pointing at the contract line.
import type { RenamedRead } from '../vm/diagnostics.js'
import { formatOrigin, type LineOrigins } from './luaLocation.js'

/** Receives each warning once (default: console.warn, i.e. stderr). */
export type WarningHandler = (warning: string) => void

export class TagNameLint {
  /** Every warning given so far, in order. */
  readonly warnings: string[] = []
  private readonly seen = new Set<string>()

  constructor(private readonly onWarning: WarningHandler = (warning) => console.warn(warning)) {}

  /** Warns about reads not warned about yet; `label` names the process when no contract line is known. */
  check(reads: readonly RenamedRead[], origins: LineOrigins, label: string): void {
    for (const read of reads) {
      const text = `aokit: ${whereRead(read, origins, label)} reads ${read.field}.${read.key}, but aos renames the tag to ${read.name}`
      if (this.seen.has(text)) continue
      this.seen.add(text)
      this.warnings.push(text)
      this.onWarning(text)
    }
  }
}

function whereRead(read: RenamedRead, origins: LineOrigins, label: string): string {
  if (read.line === undefined) return `${label} (a Handlers pattern or library call)`
  const origin = typeof origins === 'function' ? origins(read.line) : origins[read.line - 1]
  return origin !== undefined ? formatOrigin(origin) : `${label} (line ${read.line} of its loaded code)`
}
