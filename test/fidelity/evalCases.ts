// Cases for Eval output and errors, handler errors and rollback (aos-runtime.md §0, §3), the bundled libraries
// (§4), Lua 5.3 semantics and randomness (§5).
import { ALICE, OTHER_PROCESS, action, evalMsg, replayCase } from './builders.js'
import type { ReplayFile } from './replayFile.js'

const lua = String.raw

/** Lua code reporting `ok | value-or-error` of an expression, so failures show as output rather than as the Error
 *  (a truthy second return value of an Eval becomes the Error: eval-error-values covers that). */
function tryLua(expr: string): string {
  return `local ok, v = pcall(function() return ${expr} end) return tostring(ok) .. " | " .. tostring(v)`
}

export const evalCases: Record<string, ReplayFile> = {
  'eval-return-values': replayCase(
    'eval-return-values',
    'Eval prints its first return value: numbers, strings, booleans, nil, arrays, a one-key table, floats',
    {},
    [
      evalMsg('1 + 1'),
      evalMsg('"hello"'),
      evalMsg('true'),
      evalMsg('nil'),
      evalMsg('{ 1, "two", 3 }'),
      evalMsg('{ key = "value" }'),
      evalMsg('{ outer = { inner = { 1, 2 } } }'),
      evalMsg('3.5'),
      evalMsg('10 / 2'),
      evalMsg('x = 5'),
      evalMsg('return 1, 2'),
      evalMsg('{}'),
    ],
  ),

  'eval-prints': replayCase(
    'eval-prints',
    'print() inside Eval: strings, coloured numbers/booleans/nil, stringified tables, joined with the return value',
    {},
    [
      evalMsg(lua`print("a") print(1) print(true) print(nil) print(2.5) return "done"`),
      evalMsg(lua`print({ 1, "x", false }) print({ only = "one" })`),
      evalMsg(lua`print("multi\nline") print("")`),
      evalMsg(lua`local r = print("returned") return type(r) .. ":" .. tostring(r)`),
    ],
  ),

  'eval-syntax-error': replayCase(
    'eval-syntax-error',
    'An Eval that does not compile: the raw load message as Error; state before it is kept',
    {},
    [evalMsg('Value = 1'), evalMsg('x = = 1'), evalMsg('Value = 2 end'), evalMsg('local function f( return 1 end'), evalMsg('Value')],
  ),

  'eval-runtime-error': replayCase(
    'eval-runtime-error',
    'Eval runtime errors: prints before the error, location prefixes, rollback of globals set before it',
    {},
    [
      evalMsg(lua`Value = 1`),
      evalMsg(lua`Value = 2 print("before") error("boom")`),
      evalMsg(lua`local t = nil return t.field`),
      evalMsg(lua`error("no position", 0)`),
      evalMsg(lua`error("level two", 2)`),
      evalMsg(lua`assert(false, "assertion text")`),
      evalMsg(lua`assert(1 == 2)`),
      evalMsg(lua`return 1 + {}`),
      evalMsg('Value'),
    ],
  ),

  'eval-error-values': replayCase(
    'eval-error-values',
    'error(table), error(), error(number) and a truthy second return value from Eval',
    {},
    [
      evalMsg(lua`error({ code = 1 })`),
      evalMsg(lua`error()`),
      evalMsg(lua`error(42)`),
      evalMsg(lua`return nil, "second value"`),
      evalMsg(lua`return "first", "second"`),
      evalMsg(lua`return "first", false`),
      evalMsg('#Errors'),
    ],
  ),

  'handler-error-rollback': replayCase(
    'handler-error-rollback',
    'A failing handler: error text with traceback, outbox dropped, and every change of that message rolled back',
    {},
    [
      evalMsg(lua`Counter = 0
Handlers.add("Boom", "Boom", function(m)
  Counter = Counter + 1
  Handlers.add("leaked", "Leaked", function() end)
  ao.send({ Target = "${OTHER_PROCESS}", Data = "should be dropped" })
  print("about to fail")
  error("kaput")
end)
Handlers.add("Inc", "Inc", function() Counter = Counter + 1 print("counter " .. Counter) end)`),
      action('Inc'),
      action('Boom', { owner: ALICE }),
      evalMsg(lua`local names = {} for _, h in ipairs(Handlers.list) do table.insert(names, h.name) end return Counter .. " " .. table.concat(names, ",") .. " " .. ao.reference`),
      action('Inc'),
    ],
  ),

  'handler-error-formats': replayCase(
    'handler-error-formats',
    'Handler error texts: error with a table, assert, a runtime error, and a message without Action',
    {},
    [
      evalMsg(lua`Handlers.add("Assert", "Assert", function(m) assert(m.Quantity, "Quantity is required!") end)
Handlers.add("Index", "Index", function(m) return m.Missing.field end)
Handlers.add("Tbl", "Tbl", function() error({ code = 7 }) end)
Handlers.add("noaction", function(m) return m.Tags.Kind == "silent" end, function() error("no action here") end)`),
      action('Assert'),
      action('Index'),
      action('Tbl'),
      action('Assert', { owner: ALICE, tags: { Quantity: '1' } }),
      { tags: { Kind: 'silent' } },
    ],
  ),

  'lib-json': replayCase(
    'lib-json',
    'The json library through Eval: arrays, empty tables, integers vs floats, decode, encode errors',
    {},
    [
      evalMsg(lua`local json = require("json") return json.encode({ 1, 2, 3 })`),
      evalMsg(lua`local json = require("json") return json.encode({})`),
      evalMsg(lua`local json = require("json") return json.encode({ a = { b = "c" } })`),
      evalMsg(lua`local json = require("json") return json.encode({ 1.5, 100, 1e20, 0.1, -0.0, 2^53 })`),
      evalMsg(lua`local json = require("json") return json.encode("quote\" slash\\ nl\n tab\t uni\1")`),
      evalMsg(lua`local json = require("json") local t = json.decode('{"n": 12, "f": 1.25, "s": "x", "arr": [true, null, 3]}') return math.type(t.n) .. " " .. math.type(t.f) .. " " .. t.s .. " " .. #t.arr .. " " .. tostring(t.arr[2])`),
      evalMsg(tryLua('require("json").encode({ [1] = "a", [3] = "c" })')),
      evalMsg(tryLua('require("json").encode({ 1, x = 2 })')),
      evalMsg(tryLua('require("json").encode(1/0)')),
      evalMsg(tryLua('require("json").decode("{bad}")')),
      evalMsg(lua`local json = require("json") return json.encode({ f = function() end, k = 1 })`),
    ],
  ),

  'lib-utils': replayCase(
    'lib-utils',
    'Utils (global and require(".utils")): map/filter/reduce/find/includes/compose/curry/propEq/reverse/concat',
    {},
    [
      evalMsg(lua`return table.concat(Utils.map(function(v, k) return v * 10 + k end, { 1, 2, 3 }), ",")`),
      evalMsg(lua`return table.concat(Utils.filter(function(v) return v % 2 == 1 end, { 1, 2, 3, 4, 5 }), ",")`),
      evalMsg(lua`return Utils.reduce(function(acc, v) return acc + v end, nil, { 1, 2, 3, 4 })`),
      evalMsg(lua`return Utils.reduce(function(acc, v) return acc .. v end, "x", { "a", "b" })`),
      evalMsg(lua`return Utils.find(function(v) return v.id == 2 end, { { id = 1 }, { id = 2, name = "two" } }).name`),
      evalMsg(lua`return tostring(Utils.includes(3, { 1, 2, 3 })) .. " " .. tostring(Utils.includes(9, { 1, 2, 3 }))`),
      evalMsg(lua`return Utils.compose(function(x) return x + 1 end, function(x) return x * 2 end)(5)`),
      evalMsg(lua`local add = Utils.curry(function(a, b) return a + b end, 2) return add(1)(2)`),
      evalMsg(lua`return tostring(Utils.propEq("name")("x")({ name = "x" })) .. " " .. Utils.prop("a", { a = "A" })`),
      evalMsg(lua`return Utils.propEq("name", "x")({ name = "x" })`),
      evalMsg(lua`return table.concat(Utils.reverse({ 1, 2, 3 }), ",") .. " " .. table.concat(Utils.concat({ 1 }, { 2, 3 }), ",")`),
      evalMsg(lua`return require(".utils") == Utils`),
      evalMsg(lua`return Utils.matchesSpec({ Action = "A", Tags = { Action = "A" } }, { Action = "a" })`),
      evalMsg(lua`local k = Utils.keys({ only = 1 }) local v = Utils.values({ only = 1 }) return k[1] .. " " .. v[1]`),
    ],
  ),

  'lib-bint': replayCase(
    'lib-bint',
    'require(".bint")(256): parsing (decimal, hex, negative), arithmetic, division, comparison, tostring, bad input',
    {},
    [
      evalMsg(lua`local bint = require(".bint")(256) return tostring(bint("123456789012345678901234567890") * bint(1000))`),
      evalMsg(lua`local bint = require(".bint")(256) return tostring(bint("10000000000000000") - bint("1"))`),
      evalMsg(lua`local bint = require(".bint")(256) return tostring(bint(5) < bint(7)) .. " " .. tostring(bint("7") <= bint(7)) .. " " .. tostring(bint(3) == bint("3"))`),
      evalMsg(lua`local bint = require(".bint")(256) return tostring(bint("0xff")) .. " " .. tostring(bint(-5)) .. " " .. tostring(bint(2) ^ 100)`),
      evalMsg(lua`local bint = require(".bint")(256) return tostring(bint.tdiv(bint(17), bint(5))) .. " " .. tostring(bint(17) % bint(5)) .. " " .. tostring(bint(17) // bint(5))`),
      evalMsg(tryLua('require(".bint")(256)("12abc")')),
    ],
  ),

  'lib-crypto': replayCase(
    'lib-crypto',
    'require(".crypto"): digests as hex, hmac, pbkdf2, utils',
    {},
    [
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha2_256("abc").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha2_256(crypto.utils.stream.fromString("abc")).asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha2_512("abc").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha3_256("abc").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.keccak256("abc").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.md5(crypto.utils.stream.fromString("abc")).asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha1(crypto.utils.stream.fromString("abc")).asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.blake2b("abc").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.digest.sha3_512("abc").asHex() .. " " .. crypto.digest.blake2b("abc", 32).asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.utils.hex.stringToHex("hi")`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.mac.createHmac(crypto.utils.stream.fromString("message"), crypto.utils.array.fromString("key"), "sha256").asHex()`),
      evalMsg(lua`local crypto = require(".crypto") return crypto.kdf.pbkdf2("password", "salt", 2, 32, "sha1").asHex()`),
    ],
  ),

  'lib-base64-and-friends': replayCase(
    'lib-base64-and-friends',
    'require(".base64"), ".pretty", ".stringify", ".dump" through Eval',
    {},
    [
      evalMsg(lua`local b = require(".base64") return b.encode("hello world!?")`),
      evalMsg(lua`local b = require(".base64") return b.decode("aGVsbG8gd29ybGQhPw==")`),
      evalMsg(lua`local b = require(".base64") return b.encode("\0\1\2\255")`),
      evalMsg(lua`return require(".pretty").tprint({ 1, 2 })`),
      evalMsg(lua`return require(".stringify").format({ "a", { "b" } })`),
      evalMsg(lua`return require(".dump")({ 1, "two" })`),
    ],
  ),

  'load-bundle-require': replayCase(
    'load-bundle-require',
    'A .load-style bundle (aos-runtime.md §7): modules as local functions stored in package.loaded, then required',
    {},
    [
      evalMsg(lua`local function _loaded_mod_lib_greet()
  local M = {}
  function M.greet(name) return "hello " .. name end
  return M
end
_G.package.loaded["lib.greet"] = _loaded_mod_lib_greet()

local greet = require("lib.greet")
Greeting = greet.greet("ao")
print("loaded")
return Greeting`),
      evalMsg(lua`return require("lib.greet").greet("again") .. " " .. Greeting`),
    ],
  ),

  'non-utf8-output': replayCase(
    'non-utf8-output',
    'Bytes that are not UTF-8 in printed output, returned values and outgoing Data/tags, as the JSON output carries them',
    {},
    [
      evalMsg(lua`return "caf\xC3\xA9 \xFF\xFE end"`),
      evalMsg(lua`print("\0nul inside") return #"\0nul inside"`),
      evalMsg(lua`local _ = ao.send({ Target = "${OTHER_PROCESS}", Data = "\xFF\x00\x01", Bin = "\xC0" })`),
      evalMsg(lua`return "\u{1F600} \u{7FF}"`),
    ],
  ),

  'lua53-string-arithmetic': replayCase(
    'lua53-string-arithmetic',
    'Lua 5.3 converts string operands of arithmetic to floats ("10"+1 → 11.0)',
    {},
    [
      evalMsg('"10" + 1'),
      evalMsg('math.type("10" + 1)'),
      evalMsg('"3" * "4"'),
      evalMsg('"7" // 2'),
      evalMsg('"7" % 3'),
      evalMsg('-"2"'),
      evalMsg('"0x10" + 0'),
      evalMsg('"1e2" + 0'),
      evalMsg('10 + 1'),
      evalMsg(tryLua('"abc" + 1')),
    ],
  ),

  'lua53-bitwise-and-compat': replayCase(
    'lua53-bitwise-and-compat',
    '"3"|0, bit32, math.pow/ldexp/frexp/cosh/log10, unpack/loadstring/setfenv absent, math.tointeger("8")',
    {},
    [
      evalMsg('"3" | 0'),
      evalMsg('math.type("3" | 0)'),
      evalMsg(tryLua('"3.5" | 0')),
      evalMsg('bit32.band(0xFF, 0x0F) .. " " .. bit32.bor(1, 2) .. " " .. bit32.bxor(5, 1) .. " " .. bit32.lshift(1, 4) .. " " .. bit32.rshift(-1, 28)'),
      evalMsg('bit32.bnot(0) .. " " .. bit32.arshift(-16, 2) .. " " .. bit32.extract(0xF0, 4, 4) .. " " .. tostring(bit32.btest(1, 2))'),
      evalMsg('math.pow(2, 10) .. " " .. math.ldexp(1, 4) .. " " .. math.log10(1000) .. " " .. math.cosh(0)'),
      evalMsg('select(2, math.frexp(8))'),
      evalMsg('tostring(unpack) .. " " .. tostring(loadstring) .. " " .. tostring(setfenv) .. " " .. type(table.unpack)'),
      evalMsg('math.tointeger("8")'),
      evalMsg('math.tointeger(3.0) .. " " .. tostring(math.tointeger(3.5))'),
      evalMsg('_VERSION'),
    ],
  ),

  'lua53-numbers-and-metamethods': replayCase(
    'lua53-numbers-and-metamethods',
    'Number formatting, integer/float division, overflow, __le falling back to __lt, __ipairs, utf8 limits',
    {},
    [
      evalMsg('7 // 2 .. " " .. 7.0 // 2 .. " " .. -7 % 3 .. " " .. 7 / 2 .. " " .. 2^53 .. " " .. 1e15 .. " " .. 1e16'),
      evalMsg('math.maxinteger + 1 == math.mininteger'),
      evalMsg('tostring(-0.0) .. " " .. tostring(1/0) .. " " .. tostring(-1/0) .. " " .. tostring(0/0 ~= 0/0)'),
      evalMsg('string.format("%d %5.2f %x %q", 3, 3.14159, 255, "a\\nb")'),
      evalMsg(tryLua('string.format("%d", 3.5)')),
      evalMsg(lua`local mt = { __lt = function() return true end } A, B = setmetatable({}, mt), setmetatable({}, mt)`),
      evalMsg(tryLua('A <= B')),
      evalMsg(lua`local t = setmetatable({}, { __ipairs = function(t) return function(_, i) if i < 3 then return i + 1, "v" end end, t, 0 end }) local n = 0 for _ in ipairs(t) do n = n + 1 end return n`),
      evalMsg(tryLua('utf8.char(0x7FFFFFFF)')),
      evalMsg(tryLua('collectgarbage("generational")')),
      evalMsg(lua`return utf8.char(72, 228, 8364) .. " " .. utf8.len("Hä€")`),
      evalMsg(lua`return tostring(coroutine.close) .. " " .. tostring(warn) .. " " .. type(math.ult) .. " " .. table.concat({ utf8.charpattern:byte(1, -1) }, ",")`),
      evalMsg(lua`return math.floor(-3.5) .. " " .. math.ceil(3.2) .. " " .. math.abs(math.mininteger) .. " " .. math.fmod(7, 3)`),
      evalMsg(lua`local t = {} for i = 1, 3 do t[#t + 1] = i end return select("#", table.unpack(t)) .. " " .. table.concat(t, "-")`),
      evalMsg(lua`return string.rep("ab", 3, ",") .. " " .. ("x"):byte() .. " " .. string.char(72, 105)`),
    ],
  ),

  'lua54-syntax-rejected': replayCase(
    'lua54-syntax-rejected',
    'Lua 5.4-only syntax (<const>, <close>) does not compile on AO',
    {},
    [evalMsg('local x <const> = 1 return x'), evalMsg('local y <close> = nil return 1'), evalMsg('1 // 1')],
  ),

  'randomness': replayCase(
    'randomness',
    'math.random after the first-message seeding: several calls, ranges, across messages; randomseed has no effect',
    {},
    [
      evalMsg('math.random()'),
      evalMsg('math.random() .. " " .. math.random()'),
      evalMsg('math.random(10) .. " " .. math.random(10) .. " " .. math.random(10)'),
      evalMsg('math.random(5, 8) .. " " .. math.random(100, 200)'),
      evalMsg('math.randomseed(1) return math.random()'),
      evalMsg(lua`Handlers.add("Roll", "Roll", function() print(math.random(6)) end)`),
      action('Roll', { owner: ALICE }),
      action('Roll', { owner: ALICE }),
      evalMsg('math.type(math.random(3))'),
    ],
  ),

  'chance-module': replayCase(
    'chance-module',
    "require('.chance'): aos's seeded random module, sharing math.random's generator; its errors and their location",
    {},
    [
      evalMsg(lua`local c = require('.chance') return tostring(c == require('.chance')) .. " " .. c.random() .. " " .. c.integer(1, 100)`),
      evalMsg(lua`local c = require('.chance') c.seed(12345) return c.random() .. " " .. math.random() .. " " .. c.integer(1, 10)`),
      evalMsg(lua`local c = require('.chance') return c.random(5) .. " " .. select("#", c.seed(1))`),
      evalMsg(lua`local names = {} for k, v in pairs(require('.chance')) do names[#names + 1] = k .. ":" .. type(v) end table.sort(names) return table.concat(names, " ")`),
      evalMsg(tryLua('require(".chance").integer(5, 1)')),
      evalMsg(tryLua('require(".chance").integer()')),
      evalMsg(tryLua('math.random(1, {})')),
      evalMsg(tryLua('require(".chance").seed("x")')),
      evalMsg(tryLua('require(".chance").seed(1.5)')),
    ],
  ),

  'lua53-os-and-gc': replayCase(
    'lua53-os-and-gc',
    'os.getenv exists and finds nothing; collectgarbage setstepmul/setpause return 5.3\'s previous values (200, stepmul ≥ 40)',
    {},
    [
      evalMsg(lua`return tostring(os.getenv("HOME")) .. " " .. select("#", os.getenv("PATH")) .. " " .. tostring(os.getenv(5))`),
      evalMsg(lua`local ok, e = pcall(function() local v = os.getenv() return v end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local get = os.getenv local v = get({}) return v end) return e`),
      evalMsg('collectgarbage("setstepmul", 10)'),
      evalMsg('collectgarbage("setstepmul", 300)'),
      evalMsg('collectgarbage("setstepmul")'),
      evalMsg('collectgarbage("setpause", -5)'),
      evalMsg('collectgarbage("setpause", 150)'),
      evalMsg('math.type(collectgarbage("setpause"))'),
      evalMsg(lua`collectgarbage("setstepmul", 500) error("rolled back")`),
      evalMsg('collectgarbage("setstepmul", 200)'),
    ],
  ),

  'os-date-formats': replayCase(
    'os-date-formats',
    "os.date in every strftime conversion, local time (UTC, zone name included) and '!' UTC, '*t' tables, os.time normalising a table",
    {},
    [
      evalMsg(lua`return os.date('%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%', 1e9)`),
      evalMsg(lua`return os.date('!%c|%Z|%z', 0) .. '|' .. os.date('%Z %Ec %EY %Od %OH', 86400 * 366)`),
      evalMsg(lua`local t = os.date('*t', 1700000000) return t.year .. '-' .. t.month .. '-' .. t.day .. ' ' .. t.hour .. ':' .. t.min .. ':' .. t.sec .. ' wday ' .. t.wday .. ' yday ' .. t.yday .. ' ' .. tostring(t.isdst)`),
      evalMsg(lua`local t = os.date('!*t', 1609459200) return t.yday .. ' ' .. os.date('!%G-W%V-%u', 1609459200) .. ' ' .. os.date('!%G-W%V-%u', 1230508800)`),
      evalMsg(lua`return os.time({ year = 2023, month = 13, day = 1, hour = 0 }) .. ' ' .. os.time({ year = 2024, month = 2, day = 30, hour = 12, min = 61 })`),
    ],
  ),

  'lua53-error-wording': replayCase(
    'lua53-error-wording',
    "Lua 5.3's runtime error texts: (field '?') for a constant integer key, 'for' … must be a number, pcall/xpcall/resume arguments",
    {},
    [
      evalMsg(lua`local t = {} return t[1].x`),
      evalMsg(tryLua('Inbox[99].Data')),
      evalMsg(lua`local ok, e = pcall(function() local t = {} t[1]() end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local t = {} return t[2] .. "x" end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local t = {} return t[3] + 1 end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local t = {} t[1].x = 1 end) return e`),
      evalMsg(lua`local ok, e = xpcall(function() local t = {} return t[1].x end, function(m) return "handled: " .. m end) return e`),
      evalMsg(lua`local co = coroutine.create(function() local t = {} return t[1].x end) local ok, e = coroutine.resume(co) return e`),
      evalMsg(lua`local f = coroutine.wrap(function() local t = {} return t[1].x end) local ok, e = pcall(f) return e`),
      evalMsg(lua`local ok, e = pcall(function() for i = 1, "x" do end end) return e`),
      evalMsg(lua`local ok, e = pcall(function() for i = "x", 1 do end end) return e`),
      evalMsg(lua`local ok, e = pcall(function() for i = 1, 2, {} do end end) return e`),
      evalMsg(lua`local ok, e = pcall(function() for i = 1.5, 2, "x" do end end) return e`),
      evalMsg(lua`for i = 1, nil do end`),
      evalMsg(lua`local ok, e = pcall(function() local r = pcall() return r end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local r = xpcall(print) return r end) return e`),
      evalMsg(lua`local ok, e = pcall(function() local r = coroutine.resume(5) return r end) return e`),
      evalMsg(lua`Handlers.add("Index", "Index", function(m) local ok, e = pcall(function() return Inbox[99].Data end) m.reply({ Data = e }) local t = {} return t[1].x end)`),
      action('Index'),
    ],
  ),
}
