// Cases where aokit deliberately or knowingly differs from the real module (aos-runtime.md §5). Each carries a
// mark saying why, and the fidelity test asserts that the difference is still there (so a mark cannot go stale).
import { ALICE, OTHER_PROCESS, STRANGER, evalMsg, replayCase } from './builders.js'
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

  'for-loop-zero-step': replayCase(
    'for-loop-zero-step',
    "A numeric for with step 0: legal in Lua 5.3 (runs zero times, or forever when the limit is below the start); 5.4 raises \"'for' step is zero\"",
    {},
    [
      evalMsg(lua`local n = 0 for i = 1, 3, 0 do n = n + 1 if n > 5 then break end end return n`),
      evalMsg(lua`local ok, e = pcall(function() for i = 1, 2, 0.0 do end end) return tostring(ok) .. " " .. tostring(e)`),
      evalMsg(lua`local n = 0 for i = 3, 1, 0 do n = n + 1 if n > 5 then break end end return n`),
      evalMsg('"still alive"'),
    ],
  ),

  'pairs-order': replayCase(
    'pairs-order',
    "pairs() order over string keys: Lua 5.3's hash layout differs from 5.4's; both are deterministic. Seen in printed tables, JSON objects and Sends made in a pairs() loop",
    {},
    [
      evalMsg(lua`local t = { alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5 } local ks = {} for k in pairs(t) do ks[#ks + 1] = k end return table.concat(ks, " ")`),
      evalMsg('{ alpha = 1, beta = 2, gamma = 3 }'),
      evalMsg(lua`return require("json").encode({ alpha = 1, beta = 2, gamma = 3, delta = 4 })`),
      evalMsg(lua`for name, target in pairs({ alice = "${ALICE}", other = "${OTHER_PROCESS}", stranger = "${STRANGER}" }) do ao.send({ Target = target, Data = name }) end`),
      evalMsg(lua`local t = { 10, 20, 30 } local s = 0 for k, v in pairs(t) do s = s + k * v end return s`),
    ],
  ),

  'traceback-tail-call': replayCase(
    'traceback-tail-call',
    'debug.traceback (and pcall) are Lua functions in aokit: a tail call to one drops the caller frame, where a C function keeps it',
    {},
    [
      evalMsg(lua`return debug.traceback("tail")`),
      evalMsg(lua`local function f() local tb = debug.traceback("in f") return tb end return pcall(f)`),
      evalMsg(lua`local tb = debug.traceback("not a tail call") return tb`),
    ],
  ),
}

/** What aokit gives for one result that differs from the reference, exactly (after normalise()): the whole Error
 *  text of a failed message, or the Output data (prints and return value) of one that succeeds, and when its sends
 *  differ too, their Targets in order. */
export type AokitResult = { Error: string } | { data: string; targets?: string[] }

export interface KnownDifference {
  /** Why aokit differs here. */
  knownDifference: string
  /** aokit's exact result for each result index (0 = the Process message) that differs from the reference; every
   *  other result must match the reference. Without `targets`, a success's Messages must match the reference's. */
  aokit: Record<number, AokitResult>
}

/** Why each known-difference case differs, exactly where, and what aokit gives there, so the fidelity test can check
 *  the mark still holds (a crash or another change fails it). */
export const knownDifferences: Record<string, KnownDifference> = {
  'binary-chunk-load': {
    knownDifference: 'aokit refuses binary chunks (load of string.dump output); the real module accepts them',
    aokit: {
      1: { Error: "\n\nerror:\n[string \".handlers\"]:723: [string \"aos\"]:1: binary chunks are not allowed: aokit refuses precompiled bytecode (a sandbox escape); load the source text instead" },
      2: { Error: "\n\nerror:\n[string \".handlers\"]:723: [string \"aos\"]:1: binary chunks are not allowed: aokit refuses precompiled bytecode (a sandbox escape); load the source text instead" },
    },
  },
  'lua54-syntax-rejected': {
    knownDifference: "aokit appends why to Lua 5.3's own parser message: \"unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)\"",
    aokit: {
      1: { Error: "[string \"aos\"]:1: unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)" },
      2: { Error: "[string \"aos\"]:1: unexpected symbol near '<' ('<close>' is Lua 5.4 syntax; AO runs Lua 5.3)" },
    },
  },
  'lua53-numbers-and-metamethods': {
    knownDifference:
      'library functions aokit reimplements in Lua (utf8.char, collectgarbage here) lose their caller\'s line when called in tail position (`return utf8.char(x)`): Lua drops the caller frame for a Lua callee, not for a C one',
    aokit: {
      9: { data: "false | bad argument #1 to 'char' (value out of range)" },
      10: { data: "false | bad argument #1 to 'collectgarbage' (invalid option 'generational')" },
    },
  },
  'for-loop-maxinteger': {
    knownDifference: 'Lua 5.3 integer for-loop overflow wraps past math.maxinteger; wasmoon (5.4) stops at the limit',
    aokit: { 1: { data: '3' } },
  },
  'for-loop-zero-step': {
    knownDifference:
      "a zero for-loop step is legal in Lua 5.3 and an error in 5.4's VM (\"'for' step is zero\"); aokit keeps the error, loud rather than a silent difference",
    aokit: {
      1: { Error: "\n\nerror:\n[string \".handlers\"]:723: [string \"aos\"]:1: 'for' step is zero" },
      2: { data: "false [string \"aos\"]:1: 'for' step is zero" },
      3: { Error: "\n\nerror:\n[string \".handlers\"]:723: [string \"aos\"]:1: 'for' step is zero" },
    },
  },
  'pairs-order': {
    knownDifference:
      "pairs() visits string keys in another (deterministic) order: Lua 5.4 hashes strings differently from 5.3, so the tables' layout differs",
    aokit: {
      1: { data: 'epsilon alpha beta delta gamma' },
      2: { data: "{\n   alpha = 1,\n   gamma = 3,\n   beta = 2\n}" },
      3: { data: "{\"delta\":4,\"alpha\":1,\"gamma\":3,\"beta\":2}" },
      4: { data: '', targets: [ALICE, OTHER_PROCESS, STRANGER] },
    },
  },
  'traceback-tail-call': {
    knownDifference:
      'debug.traceback and pcall are Lua functions in aokit (for aos\'s line numbers and 5.3\'s error texts): `return debug.traceback()` or `return pcall(f)` drops the caller\'s frame from the traceback, where AO\'s C functions keep it',
    aokit: {
      1: { data: "tail\nstack traceback:\n\t[string \".eval\"]:47: in function <[string \".eval\"]:27>\n\t(...tail calls...)\n\t[C]: in function 'pcall'\n\t[string \".handlers\"]:719: in function '.handlers.evaluate'\n\t[C]: in function 'pcall'\n\t[string \".process\"]:909: in function <[string \".process\"]:907>" },
      2: { Error: "in f\nstack traceback:\n\t[string \"aos\"]:1: in function <[string \"aos\"]:1>\n\t[C]: in function 'pcall'\n\t(...tail calls...)\n\t[string \".eval\"]:47: in function <[string \".eval\"]:27>\n\t(...tail calls...)\n\t[C]: in function 'pcall'\n\t[string \".handlers\"]:719: in function '.handlers.evaluate'\n\t[C]: in function 'pcall'\n\t[string \".process\"]:909: in function <[string \".process\"]:907>" },
    },
  },
}
