// Cases where aokit deliberately or knowingly differs from the real module (aos-runtime.md §5). Each carries a
// mark saying why, and the fidelity test asserts that the difference is still there (so a mark cannot go stale).
import { evalMsg, replayCase } from './builders.js'
import type { ReplayFile } from './replayFile.js'

const lua = String.raw

export const knownDifferenceCases: Record<string, ReplayFile> = {
  'binary-chunk-load': replayCase(
    'binary-chunk-load',
    'load(string.dump(f)): the real module runs binary chunks, aokit refuses them on purpose (sandbox escape)',
    {},
    [
      evalMsg(lua`local f = function() return 42 end return load(string.dump(f))()`),
      evalMsg(lua`return select(2, load(string.dump(function() end), "bin", "b")) == nil`),
      evalMsg('"still alive"'),
    ],
  ),

  'for-loop-maxinteger': replayCase(
    'for-loop-maxinteger',
    'An integer for-loop ending at math.maxinteger wraps around in Lua 5.3 (loops on); 5.4 stops at the limit',
    {},
    [
      evalMsg(lua`local n = 0 for i = math.maxinteger - 2, math.maxinteger do n = n + 1 if n > 5 then break end end return n`),
      evalMsg('"still alive"'),
    ],
  ),
}

export interface KnownDifference {
  /** Why aokit differs here. */
  knownDifference: string
  /** Indexes (0 = the Process message) of the results that must differ from the reference; all others must match. */
  differingResults: number[]
  /** For a deliberate refusal: the harness's Error at that result must match this. */
  harnessError?: { result: number; pattern: RegExp }
}

/** Why each known-difference case differs, and exactly where, so the fidelity test can check the mark still holds. */
export const knownDifferences: Record<string, KnownDifference> = {
  'binary-chunk-load': {
    knownDifference: 'aokit refuses binary chunks (load of string.dump output); the real module accepts them',
    differingResults: [1, 2],
    harnessError: { result: 1, pattern: /binary/i },
  },
  'lua54-syntax-rejected': {
    knownDifference: "aokit appends why to Lua 5.3's own parser message: \"unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)\"",
    differingResults: [1, 2],
    harnessError: { result: 1, pattern: /^\[string "aos"\]:1: unexpected symbol near '<' \('<const>' is Lua 5\.4 syntax; AO runs Lua 5\.3\)$/ },
  },
  'lua53-numbers-and-metamethods': {
    knownDifference:
      'library functions aokit reimplements in Lua (utf8.char, collectgarbage here) lose their caller\'s line when called in tail position (`return utf8.char(x)`): Lua drops the caller frame for a Lua callee, not for a C one',
    differingResults: [9, 10],
  },
  'for-loop-maxinteger': {
    knownDifference: 'Lua 5.3 integer for-loop overflow wraps past math.maxinteger; wasmoon (5.4) stops at the limit',
    differingResults: [1],
  },
}
