// aokit's side channel from the Lua runtime (harness/lua/diagnostics.lua): what one message told the harness
// beyond aos's result. ProcessVm strips it off the result and keeps it here, so results stay exactly aos's.
import type { AoResult } from './processVm.js'

/** A read of a message field that is nil only because aos renamed the tag (`msg.VoteID`, now `msg.Voteid`). */
export type RenamedRead = {
  /** `msg` or `msg.Tags`. */
  field: string
  /** The name the code read. */
  key: string
  /** The name aos gave the tag. */
  name: string
  /** Line in the Eval chunk "aos" of the contract code that read it; absent when no contract frame was on the stack. */
  line?: number
}

export type LuaDiagnostics = {
  /** Lua's stack traceback where the message's handler error was raised. */
  traceback?: string
  reads?: RenamedRead[]
}

const KEY = '__aokit'
const byResult = new WeakMap<object, LuaDiagnostics>()

/** Moves the side channel off a result the runtime returned (the key never reaches a caller). */
export function takeDiagnostics(result: AoResult): void {
  const diagnostics = result[KEY] as LuaDiagnostics | undefined
  if (diagnostics === undefined) return
  delete result[KEY]
  byResult.set(result, diagnostics)
}

/** What the runtime recorded while producing this result, if anything. */
export function diagnosticsOf(result: AoResult): LuaDiagnostics | undefined {
  return byResult.get(result)
}
