// Cases for Handlers (aos-runtime.md §1): list management, every pattern form, result values, maxRuns,
// table handles, _default, Handlers.utils, Receive across messages.
import { ALICE, MU, OTHER_PROCESS, STRANGER, action, evalMsg, msg, replayCase } from './builders.js'
import type { ReplayFile } from './replayFile.js'

const lua = String.raw

/** Lua helper: prints the handler names in list order. */
const LIST_NAMES = lua`local names = {} for _, h in ipairs(Handlers.list) do table.insert(names, h.name) end return table.concat(names, ",")`

export const handlerCases: Record<string, ReplayFile> = {
  'handlers-add-string-pattern': replayCase(
    'handlers-add-string-pattern',
    'Handlers.add with a string pattern (exact Action equality), its return value, and the 2-argument form',
    {},
    [
      evalMsg(lua`Handlers.add("Ping", "Ping", function(msg) msg.reply({ Data = "pong" }) end)`),
      evalMsg(lua`return Handlers.add("Hello", function(msg) print("hello " .. msg.From) end)`),
      action('Ping'),
      action('Ping', { owner: STRANGER }),
      action('ping', { owner: ALICE }),
      action('Hello', { owner: ALICE }),
      evalMsg(LIST_NAMES),
    ],
  ),

  'handlers-add-replace-in-place': replayCase(
    'handlers-add-replace-in-place',
    'Adding an existing name replaces the handler in place; a new name goes last; append returns nothing',
    {},
    [
      evalMsg(lua`Handlers.add("a", "A", function() print("a v1") end)
Handlers.add("b", "B", function() print("b") end)
Handlers.add("c", "C", function() print("c") end)
print(Handlers.add("a", "A", function() print("a v2") end))
print(Handlers.append("d", "D", function() print("d") end))`),
      evalMsg(LIST_NAMES),
      action('A'),
    ],
  ),

  'handlers-order-append-prepend': replayCase(
    'handlers-order-append-prepend',
    'Evaluation order of append/prepend/add with "continue" patterns',
    {},
    [
      evalMsg(lua`local function cont(m) return m.Action == "Go" and "continue" or false end
Handlers.add("middle", cont, function() print("middle") end)
Handlers.append("last", cont, function() print("last") end)
Handlers.prepend("first", cont, function() print("first") end)`),
      action('Go'),
      evalMsg(LIST_NAMES),
    ],
  ),

  'handlers-once': replayCase(
    'handlers-once',
    'Handlers.once named and unnamed (_once_N names), prepended, running a single time',
    {},
    [
      evalMsg(lua`Handlers.once("greet", "Greet", function() print("greeted once") end)
Handlers.once({ Action = "Wave" }, function() print("waved once") end)
Handlers.once(function(m) return m.Action == "Nod" end, function() print("nodded once") end)`),
      evalMsg(LIST_NAMES),
      action('Greet'),
      action('Greet'),
      action('Wave'),
      action('Nod'),
      action('Wave'),
      evalMsg(LIST_NAMES),
    ],
  ),

  'handlers-before-after-remove': replayCase(
    'handlers-before-after-remove',
    'Handlers.before/after insert at a position (missing target: nothing), remove takes the first of a name',
    {},
    [
      evalMsg(lua`Handlers.add("x", "X", function() print("x") end)
Handlers.add("y", "Y", function() print("y") end)
Handlers.before("y").add("beforeY", "Y", function() print("beforeY") end)
Handlers.after("x").add("afterX", "X", function() print("afterX") end)
Handlers.before("missing").add("ghost", "G", function() print("ghost") end)
Handlers.after("x").add("x", "X", function() print("second x") end)`),
      evalMsg(LIST_NAMES),
      action('Y'),
      action('X'),
      evalMsg(lua`Handlers.remove("x") Handlers.remove("nothing-here")`),
      evalMsg(LIST_NAMES),
      action('X'),
    ],
  ),

  'handlers-invalid-arguments': replayCase(
    'handlers-invalid-arguments',
    'Handlers.add with a bad pattern or name fails with the "Invalid arguments given" assertion',
    {},
    [
      evalMsg(lua`Handlers.add("bad", 42, function() end)`),
      evalMsg(lua`Handlers.add(7, "Seven", function() end)`),
      evalMsg(LIST_NAMES),
    ],
  ),

  'pattern-table-underscore': replayCase(
    'pattern-table-underscore',
    'Table patterns: "_" means present; all keys must match; top-level fields and Tags',
    {},
    [
      evalMsg(lua`Handlers.add("withQty", { Action = "Buy", Quantity = "_" }, function(m) print("buy " .. m.Quantity) end)`),
      action('Buy', { tags: { Quantity: '5' } }),
      action('Buy'),
      action('Buy', { tags: { Quantity: '' } }),
    ],
  ),

  'pattern-lua-patterns': replayCase(
    'pattern-lua-patterns',
    'A pattern string with magic characters is an unanchored Lua pattern on the lower-cased value',
    {},
    [
      evalMsg(lua`Handlers.add("getters", { Action = "^get%-" }, function(m) print("getter " .. m.Action) end)
Handlers.add("digits", { Code = "%d+" }, function(m) print("digits " .. m.Code) end)
Handlers.add("dotted", { Kind = "a.c" }, function(m) print("dotted " .. m.Kind) end)`),
      action('Get-Info'),
      action('GET-BALANCE'),
      action('Forget-Me'),
      msg({ tags: { Code: 'abc123' } }),
      msg({ tags: { Code: 'none' } }),
      msg({ tags: { Kind: 'ABC' } }),
      msg({ tags: { Kind: 'xaxcx' } }),
    ],
  ),

  'pattern-case-insensitive': replayCase(
    'pattern-case-insensitive',
    'A plain string inside a table pattern matches case-insensitively; a bare string pattern does not',
    {},
    [
      evalMsg(lua`Handlers.add("tbl", { Action = "ping" }, function(m) print("table matched " .. m.Action) end)
Handlers.add("Pong", "Pong", function(m) print("string matched " .. m.Action) end)`),
      action('PING'),
      action('Ping'),
      action('pong'),
      action('Pong'),
    ],
  ),

  'pattern-functions': replayCase(
    'pattern-functions',
    'Function patterns (whole message) and function values inside table patterns (value, msg)',
    {},
    [
      evalMsg(lua`Handlers.add("big", { Action = "Bid", Quantity = function(v, m) return tonumber(v) > 5 and m.From ~= nil end },
  function(m) print("big bid " .. m.Quantity) end)
Handlers.add("fn", function(m) return m.Tags.Mode == "fn" end, function() print("function pattern") end)`),
      action('Bid', { tags: { Quantity: '10' } }),
      action('Bid', { tags: { Quantity: '2' } }),
      msg({ tags: { Mode: 'fn' } }),
    ],
  ),

  'pattern-alternatives': replayCase(
    'pattern-alternatives',
    'A table of alternatives inside a table pattern matches when any element matches',
    {},
    [
      evalMsg(lua`Handlers.add("multi", { Action = { "Start", "Begin", "^go" } }, function(m) print("started by " .. m.Action) end)`),
      action('Start'),
      action('BEGIN'),
      action('GoNow'),
      action('Stop'),
    ],
  ),

  'pattern-result-values': replayCase(
    'pattern-result-values',
    'Pattern results true/false/"continue"/"break"/"skip"/numbers, and when _default still runs',
    {},
    [
      evalMsg(lua`local conv = { ["true"] = true, ["false"] = false }
Handlers.add("probe", function(m)
  if m.Action ~= "Probe" then return false end
  local r = m.Tags.R
  if conv[r] ~= nil then return conv[r] end
  if tonumber(r) then return tonumber(r) end
  return r
end, function() print("probe ran") end)
Handlers.add("after", function(m) return m.Action == "Probe" and "continue" or false end, function() print("after ran") end)`),
      ...['true', 'false', 'continue', 'break', 'skip', '1', '-1', '0', '2', '-3'].map((r) => action('Probe', { tags: { R: r } })),
      evalMsg('#Inbox'),
    ],
  ),

  'pattern-nil-result-error': replayCase(
    'pattern-nil-result-error',
    'A pattern function returning nil fails the whole message; the state is unchanged afterwards',
    {},
    [
      evalMsg(lua`Counter = 0
Handlers.add("count", function(m) return "continue" end, function() Counter = Counter + 1 end)
Handlers.add("nilpat", function(m) if m.Action == "Bad" then return nil end return false end, function() end)`),
      action('Good'),
      action('Bad'),
      evalMsg('Counter'),
      evalMsg('#Inbox'),
    ],
  ),

  'handlers-maxruns-skip-quirk': replayCase(
    'handlers-maxruns-skip-quirk',
    'A handler reaching maxRuns is removed during the walk, so the next handler is skipped for that message',
    {},
    [
      evalMsg(lua`local function q(m) return m.Action == "Q" and "continue" or false end
Handlers.add("first", q, function() print("first") end, 1)
Handlers.add("second", q, function() print("second") end)
Handlers.add("third", q, function() print("third") end)
Handlers.add("twice", function(m) return m.Action == "T" and "continue" or false end, function() print("twice") end, 2)`),
      action('Q'),
      action('Q'),
      action('T'),
      action('T'),
      action('T'),
      evalMsg(LIST_NAMES),
    ],
  ),

  'handlers-table-handle': replayCase(
    'handlers-table-handle',
    'A handle given as a table {[spec] = fn}: the first matching spec has its function called',
    {},
    [
      evalMsg(lua`Handlers.add("router", "Route", {
  [{ Kind = "a" }] = function(m) print("route a") end,
  [{ Kind = "b" }] = function(m) print("route b") end,
})`),
      action('Route', { tags: { Kind: 'a' } }),
      action('Route', { tags: { Kind: 'B' } }),
      action('Route', { tags: { Kind: 'c' } }),
    ],
  ),

  'handlers-utils': replayCase(
    'handlers-utils',
    'Handlers.utils.hasMatchingTag/hasMatchingTagOf/hasMatchingData/reply/continue',
    {},
    [
      evalMsg(lua`local u = Handlers.utils
Handlers.add("tag", u.hasMatchingTag("Action", "Tagged"), function() print("hasMatchingTag") end)
Handlers.add("tagOf", u.hasMatchingTagOf("Action", { "One", "Two" }), function() print("hasMatchingTagOf") end)
Handlers.add("data", u.hasMatchingData("magic"), function() print("hasMatchingData") end)
Handlers.add("replyStr", u.hasMatchingTag("Action", "RS"), u.reply("plain reply"))
Handlers.add("replyTbl", u.hasMatchingTag("Action", "RT"), u.reply({ Action = "Replied", Data = "table reply" }))
Handlers.prepend("cont", u.continue(u.hasMatchingTag("Action", "Tagged")), function() print("continued") end)
return { u.hasMatchingTagOf("Action", { "One" })({ Tags = { Action = "None" } }), u.continue({ Action = "Z" })({ Action = "Z", Tags = {} }) }`),
      action('Tagged'),
      action('tagged'),
      action('Two'),
      msg({ data: 'magic' }),
      action('RS'),
      action('RT'),
    ],
  ),

  'handlers-default-inbox': replayCase(
    'handlers-default-inbox',
    'Unhandled messages go to the Inbox with the "New Message From" print; Inbox contents afterwards',
    {},
    [
      action('Unknown', { owner: ALICE, data: 'hello' }),
      msg({ owner: STRANGER, data: 'no action here' }),
      action('Notice', { fromProcess: OTHER_PROCESS, owner: MU }),
      evalMsg('#Inbox'),
      evalMsg(lua`return Inbox[2].Action .. "|" .. Inbox[2].Data .. "|" .. Inbox[2].From`),
      evalMsg(lua`return tostring(Inbox[3].Action) .. "|" .. Inbox[4].From`),
    ],
  ),

  'receive-across-messages': replayCase(
    'receive-across-messages',
    'Receive() suspends a handler; a later matching message resumes it inside its own evaluation',
    {},
    [
      evalMsg(lua`Handlers.add("Start", "Start", function(msg)
  print("waiting for Second")
  local m = Receive({ Action = "Second" })
  print("got " .. m.Data .. " from " .. m.From)
  msg.reply({ Data = "done " .. m.Data })
end)`),
      action('Start', { owner: ALICE }),
      action('Other', { owner: STRANGER }),
      action('Second', { owner: STRANGER, data: 'x' }),
      action('Second', { owner: STRANGER, data: 'y' }),
      evalMsg(LIST_NAMES),
      evalMsg('#Handlers.coroutines'),
    ],
  ),

  'send-onreply-and-receive': replayCase(
    'send-onreply-and-receive',
    'ao.send(...).onReply(fn) and .receive(): matched on From and X-Reference',
    {},
    [
      evalMsg(lua`ao.send({ Target = "${OTHER_PROCESS}", Action = "Query" }).onReply(function(m) print("reply: " .. m.Data) end)`),
      evalMsg(LIST_NAMES),
      action('Answer', { fromProcess: OTHER_PROCESS, owner: MU, tags: { 'X-Reference': '2' }, data: 'wrong ref' }),
      action('Answer', { fromProcess: OTHER_PROCESS, owner: MU, tags: { 'X-Reference': '1' }, data: '42' }),
      evalMsg(lua`Handlers.add("Ask", "Ask", function(msg)
  local r = ao.send({ Target = "${OTHER_PROCESS}", Action = "Lookup" }).receive()
  print("received " .. r.Data .. " ref " .. r["X-Reference"])
end)`),
      action('Ask'),
      action('Answer', { fromProcess: OTHER_PROCESS, owner: MU, tags: { 'X-Reference': '2' }, data: 'looked up' }),
    ],
  ),

  'traceback-aos-lines': replayCase(
    'traceback-aos-lines',
    "debug.traceback names aos's own chunks with their real lines (.handlers:719, .process:909), in Eval and handlers",
    {},
    [
      evalMsg(lua`local tb = debug.traceback() return tb`),
      evalMsg(lua`local tb = debug.traceback("level two", 2) return tb`),
      evalMsg(lua`local tb = debug.traceback("level zero", 0) return tb`),
      evalMsg(lua`local ok, tb = xpcall(function() local t = nil return t.x end, debug.traceback) return tb`),
      evalMsg(lua`local ok, tb = pcall(function() local tb = debug.traceback("in pcall") return tb end) return tb`),
      evalMsg(lua`local tb = string.gsub("a", "a", function() local tb = debug.traceback() return tb end) return tb`),
      evalMsg(lua`local function f(n) if n == 0 then local tb = debug.traceback() return tb end local r = f(n - 1) return r end local tb = f(30) return tb`),
      evalMsg(lua`local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) local tb = debug.traceback(co, "co", 0) return tb`),
      evalMsg(lua`return type(debug.traceback({})) .. " " .. debug.traceback(12, 50)`),
      evalMsg(lua`Handlers.add("Notice", "Notice", function(m)
  local ok, err = xpcall(function() error("boom") end, debug.traceback)
  m.reply({ Action = "Notice-Error", Error = err })
end)
Handlers.add("Fail", "Fail", function(m) local t = {} return t[1].x end)`),
      action('Notice'),
      action('Fail'),
    ],
  ),
}
