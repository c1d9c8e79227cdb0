import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { LuaFactory, type LuaEngine } from 'wasmoon'

// Differential tests of harness/lua/patterns.lua: every case runs through the C string functions, the pure
// Lua engine (L) and the guarded wrappers (G) in one wasmoon engine, and the results must be identical:
// returned values (with their count and integer/float subtype), callback calls, and error messages
// including their position prefix (every library is called from the same line).

const source = readFileSync(new URL('../../../harness/lua/patterns.lua', import.meta.url), 'utf8')

async function engineWithPatterns(): Promise<LuaEngine> {
  const engine = await new LuaFactory().createEngine()
  engine.global.set('__src', source)
  await engine.doString('P = load(__src)()')
  return engine
}

// Defines C, L, G, run(lib, op, args), compare(cases) -> "count errors\ndiff..." and case(list, op, ...).
const HELPERS = String.raw`
C = { find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub }
L = { find = P.find, match = P.match, gmatch = P.gmatch, gsub = P.gsub }
G = P.install({ find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub })

local function ser(v)
  local t = type(v)
  if t == 'string' then return (string.format('%q', v)) end
  if t == 'number' then return math.type(v) .. ' ' .. string.format('%q', v) end
  return t .. ' ' .. tostring(v)
end

local function serAll(t)
  local out = {}
  for i = 1, t.n do out[i] = ser(t[i]) end
  return '(' .. table.concat(out, ', ') .. ')'
end

function run(lib, op, args)
  local log = {}
  local a = { n = args.n }
  for i = 1, args.n do
    local v = args[i]
    if type(v) == 'function' then
      a[i] = function(...) log[#log + 1] = serAll(table.pack(...)) return v(...) end
    else
      a[i] = v
    end
  end
  local f = lib[op]
  local res
  if op == 'gmatch' then
    local ok, it = pcall(function() local r = f(table.unpack(a, 1, a.n)) return r end)
    if not ok then
      res = 'error ' .. tostring(it)
    else
      local parts, errors = {}, 0
      for _ = 1, 60 do
        local ok2, r = pcall(function() local r = table.pack(it()) return r end)
        if not ok2 then
          parts[#parts + 1] = 'error ' .. tostring(r)
          errors = errors + 1
          if errors == 3 then break end -- iterating on after an error is part of the behaviour
        else
          parts[#parts + 1] = serAll(r)
          if r.n == 0 then break end
        end
      end
      res = table.concat(parts, ' ')
    end
  else
    local ok, r = pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return r end)
    res = ok and serAll(r) or ('error ' .. tostring(r))
  end
  if #log > 0 then res = res .. ' calls ' .. table.concat(log, ' ') end
  return res
end

function case(list, op, ...) list[#list + 1] = { op = op, args = table.pack(...) } end

function compare(list)
  local diffs, errors = {}, 0
  for _, c in ipairs(list) do
    local want = run(C, c.op, c.args)
    if want:find('error', 1, true) then errors = errors + 1 end
    for _, name in ipairs({ 'L', 'G' }) do
      local got = run(_G[name], c.op, c.args)
      if got ~= want then
        diffs[#diffs + 1] = name .. ' ' .. c.op .. serAll(c.args) .. '\n   C: ' .. want .. '\n   ' .. name .. ': ' .. got
      end
    end
  end
  return #list .. ' ' .. errors .. (#diffs > 0 and ('\n' .. table.concat(diffs, '\n')) or '')
end
`

// The feature table: every part of the pattern language, the arguments, and every error message.
const CASES = String.raw`
local cases = {}
local function c(...) case(cases, ...) end
local ALL = {}
for i = 0, 255 do ALL[i + 1] = string.char(i) end
ALL = table.concat(ALL)

-- character classes and complements over every byte, alone, in sets and negated sets
for _, cl in ipairs({ 'a', 'c', 'd', 'g', 'l', 'p', 's', 'u', 'w', 'x', 'z' }) do
  for _, k in ipairs({ cl, cl:upper() }) do
    c('gsub', ALL, '%' .. k, '')
    c('gsub', ALL, '[%' .. k .. ']+', '<%0>')
    c('gsub', ALL, '[^%' .. k .. '_]', '')
  end
end
-- escaped non-class bytes stand for themselves
for _, k in ipairs({ '.', '%', '(', ')', '[', ']', '^', '$', '*', '+', '-', '?', 'q', 'Q', 'B', 'F', ' ', '\0', '\255' }) do
  c('gsub', ALL, '%' .. k, '#')
end
c('gsub', ALL, '.', 'x', 300)
c('find', 'a\0b', '.', 2)
c('gsub', 'a\0b\0', '\0', '0')
c('find', 'a\0b', '[\0]')
c('find', 'a\0b', '[%z]')
c('find', '\128\200\255', '[\128-\255]+')
c('find', 'x\0y', 'x%zy')

-- sets
for _, set in ipairs({ '[abc]', '[^abc]', '[a-c]', '[^a-c]', '[%a_]', '[]]', '[^]]', '[a-]', '[-a]', '[%]]',
    '[a%-z]', '[%w-.]', '[z-a]', '[^%s]', '[\0-\31]', '[%%]', '[^%]]', '[]a]', '[a-c-e]', '[%a-z]', '[-]', '[^-]',
    '[a^]', '[^^]', '[.]', '[%.]', '[()]', '[---]', '[%-]' }) do
  c('gsub', 'abc-xyz ABC.()]^%_-\0\31 e', set, '#')
  c('find', 'Hello-World_99]', set .. '+')
end
c('find', 'abc', '[a')
c('find', 'abc', '[')
c('find', 'abc', '[^')
c('find', 'abc', '[]')
c('find', 'abc', '[^]')
c('find', 'abc', '[a%')
c('find', 'abc', '[a%]')
c('find', 'xyz', 'a[')       -- never reached: no error
c('find', 'xyz', 'x[')
c('match', 'b', '[b')

-- single chars, '.', quantifiers
c('find', 'hello world', 'o')
c('find', 'hello world', 'l+')
c('find', 'hello world', 'lo*')
c('find', 'hello world', 'x*')
c('find', 'hello world', 'l-o')
c('find', 'hello world', 'l?lo')
c('find', 'hello world', 'h.-o')
c('find', 'hello world', 'h.*o')
c('match', 'aaab', 'a-b')
c('match', 'aaab', 'a*')
c('match', 'aaab', 'a-')
c('match', 'aaab', 'a+')
c('match', 'aaab', 'a?a?a?a?b')
c('match', '**x', '**')
c('match', '*+-?', '*+')
c('match', '+x', '+')
c('match', '-x', '-')
c('match', '?x', '?')
c('match', 'a**', 'a**')
c('match', '  trim me  ', '^%s*(.-)%s*$')
c('match', 'key = value # c', '^(%w+)%s*=%s*(%w+)')
c('match', '2024-01-31', '(%d+)-(%d%d)-(%d%d)')
c('gsub', 'one two  three', '%s+', ' ')
c('gsub', 'abc', '.-', '-')
c('gsub', 'abc', 'x*', '-')
c('gsub', 'abc', '%w*', '-')
c('gsub', 'abc', '', '-')
c('gsub', '', '', '-')
c('gsub', '', 'x*', '-')

-- anchors
c('find', 'aaa', '^a')
c('find', 'aaa', '^a', 2)
c('find', 'baa', '^a')
c('find', 'aaa', '^')
c('find', 'aaa', '$')
c('find', 'aaa', 'a$')
c('find', 'a$b', 'a$b')
c('find', 'a$', '$$')
c('find', '^^', '^^')
c('match', 'x^y', 'x^y')
c('gsub', 'hello', '^h', 'H')
c('gsub', 'hello', '^', '>')
c('gsub', 'hello', '$', '<')
c('gsub', 'hello', '^x', 'H')
c('gsub', 'aaa', '^a', 'b')
c('gmatch', '^a^a', '^a')
c('gmatch', 'aaa', '^a')

-- %b and %f
c('find', 'THE (quick) fox', '%b()')
c('find', 'f(a(b)c) (d', '%b()')
c('find', '((x)', '%b()')
c('find', '"a" "b"', '%b""')
c('find', 'x((y', '%b((')
c('gsub', 'a(b(c)d)e(f)g', '%b()', '[]')
c('find', 'abc', '%bxy')
c('find', 'abc', '%b')
c('find', 'abc', '%b(')
c('find', 'abc', 'z%b')
c('find', '', '%b()')
c('find', 'a\0b\0', '%b\0\0')
c('find', 'THE (quick) fox', '%f[%a]%a+')
c('find', 'THE (quick) fox', '%f[%a]%a+', 5)
c('gsub', 'THE (quick) fox', '%f[%w]%w+', 'W')
c('gsub', 'THE (quick) fox', '%f[%W]', '|')
c('gsub', 'hello', '%f[%z]', '|')
c('gsub', 'hello', '%f[%Z]', '|')
c('gsub', 'hello', '%f[^%z]', '|')
c('gsub', 'a b', '%f[%s]', '|')
c('find', 'abc', '%fa')
c('find', 'abc', '%f')
c('find', 'abc', '%f[a')
c('find', '', '%f[a]')
c('find', '', '%f[%z]')

-- captures, position captures, back-references
c('find', 'hello world', '(o)(r)')
c('find', 'hello world', '(h)(e)(l)(l)(o)')
c('match', 'hello world', '()ll()')
c('match', 'hello world', '(()l)')
c('find', 'hello world', '()')
c('match', 'hello', '((l)(l))')
c('match', 'hello', '(h(e(l(l(o)))))')
c('match', 'hello', '()')
c('find', 'hello', '(l)(x?)')
c('find', 'abc', '(a')
c('match', 'abc', '(a')
c('match', 'abc', 'a)')
c('match', 'abc', ')')
c('match', 'abc', '(a))')
c('match', 'abc', '(()')
c('match', 'xyzxyz', '(xyz)%1')
c('match', 'say "hi" or \'yo\'', '(["\'])(.-)%1')
c('match', 'abab', '(a)(b)%1%2')
c('match', 'aa', '%1')
c('match', 'aa', '(a%1)')
c('match', 'aa', '(a)%0')
c('match', 'aa', '(a)%2')
c('match', 'aa', '(a)%9')
c('match', 'a1a', '()a%1')
c('match', 'aXa', '(a)(.)%1')
c('find', 'abcabc', '(abc)%1', 2)
c('match', 'x', string.rep('()', 32))
c('match', 'x', string.rep('()', 33))
c('match', 'x', string.rep('(', 32) .. 'x' .. string.rep(')', 32))
c('match', 'x', string.rep('(', 33) .. 'x' .. string.rep(')', 33))
c('gsub', 'x', string.rep('()', 32), '%9')

-- malformed patterns
c('find', 'abc', '%')
c('find', 'abc', 'a%')
c('match', 'abc', 'b%')
c('find', 'xyz', 'a%')   -- never reached
c('gsub', 'abc', '%', 'x')
c('gmatch', 'abc', '%')
c('gmatch', 'abc', 'c%')

-- recursion depth: 'pattern too complex' appears at exactly the same depth
for k = 195, 202 do
  c('find', string.rep('a', 260), string.rep('a?', k))
  c('match', string.rep('a', 260), string.rep('(a?)', 16) .. string.rep('a?', k - 20))
  c('find', 'a', string.rep('a*', k) .. 'b')
end
c('gmatch', string.rep('a', 250), string.rep('a?', 201))
c('find', string.rep('a', 300), string.rep('a?', 250))
c('find', 'aaa', string.rep('a-', 30) .. 'b')

-- init and plain
for _, init in ipairs({ 1, 2, 0, -1, -3, -100, 5, 6, 7, 100, math.maxinteger, math.mininteger, '2', 2.0, '0x2', ' 3 ', '1e0' }) do
  c('find', 'hello', 'l', init)
  c('find', 'hello', 'l+', init)
  c('find', 'hello', '', init)
  c('match', 'hello', '.', init)
  c('match', 'hello', '()', init)
  c('gmatch', 'hello', '.', init)
  c('gmatch', 'hello', '', init)
end
for _, init in ipairs({ 1.5, '1.5', 'x', {}, true, 2^63, '9e99' }) do
  c('find', 'hello', 'l', init)
  c('match', 'hello', 'l', init)
  c('gmatch', 'hello', 'l', init)
end
c('find', 'hello', 'l', nil)
c('find', 'a.b', '.', 1, true)
c('find', 'a+b', '+', 1, true)
c('find', 'a+b', 'a+', 1, true)
c('find', 'a+b', '+', 1, 1)
c('find', 'a+b', '+', 1, false)
c('find', 'a+b', '+', 1, nil)
c('find', 'a+b', '+', -1, 'yes')
c('find', 'a.b', '[', 1, true)
c('find', 'abc', '', 1, true)
c('find', 'abc', '', 4, true)
c('find', 'abc', '', 5, true)
c('find', 'abc', 'abcd', 1, true)
c('find', 'abc', 'bc', 1, true)
c('find', 'abc', 'bc', 3, true)
c('find', 'a\0b', '\0b', 1, true)
c('find', 'a\0b', 'a\0b')
c('find', 'hello', 'll')
c('find', 'hello', 'lo', -2)
c('find', 'hello', 'xyz')
c('find', '', '')
c('find', '', 'a')
c('match', '', '')
c('match', '', '.')
c('match', '', 'a*')

-- arguments: numbers as strings, and every argument error
c('find', 12345, 34)
c('find', 1.5, '%.')
c('find', 2^53, '%d+')
c('match', -0.0, '.+')
c('gsub', 12321, 2, 9)
c('gsub', 'abc', 'b', 1.5)
c('gmatch', 123, '%d')
c('find')
c('find', 'a')
c('find', nil, 'a')
c('find', 'a', nil)
c('find', {}, 'a')
c('find', 'a', true)
c('find', 'a', function() end)
c('find', setmetatable({}, { __name = 'MyType' }), 'a')
c('match', 'a')
c('match', {}, 'a')
c('gmatch', 'a')
c('gmatch', nil, 'a')
c('gsub', 'a', 'a')
c('gsub', 'a', 'a', nil)
c('gsub', 'a', 'a', true)
c('gsub', 'a', 'a', coroutine.create(print))
if io then c('find', io.stdout, 'a') c('gsub', 'a', 'a', io.stdout) end
c('gsub', 'a', 'a', 'b', 'x')
c('gsub', 'a', 'a', 'b', 1.5)
c('gsub', 'a', 'a', nil, 'x')
c('gsub', nil, 'a', nil, 'x')
c('gsub', 'a', nil, nil, 'x')
c('gsub', 'abc', 'b', 'x', '1')

-- gsub replacement strings
for _, r in ipairs({ '%0', '<%0>', '%1', '%2', '%1%2', '%%', '%%1', '100%', '%x', '%', 'a%-b', '[%1|%0]', '' }) do
  c('gsub', 'hello world', '%w+', r)
  c('gsub', 'hello world', '(%w)(%w)', r)
  c('gsub', 'hello world', 'x', r)
  c('gsub', 'hello world', '()o', r)
end
c('gsub', 'abc', '(a', 'x')
c('gsub', 'abc', '(a', '%1')
c('gsub', 'abc', '(a', '%0')
c('gsub', 'abc', '(a)(b', '%1')
c('gsub', 'abc', 'b', '%1%x')
c('gsub', 'abc', 'b', '%2%x')
c('gsub', 'abc', '(b)', 12)
c('gsub', 'abc', '(b)', 1.5)

-- gsub with tables and functions
local t = { hello = 'HI', world = false, a = 1, b = 2.5, c = true, d = {}, [1] = 'one', [4] = 'four' }
for _, p in ipairs({ '%w+', '(%w)%w*', '()%w+', '(h)(e)', 'x', '(', '%w+(' }) do
  c('gsub', 'hello world', p, t)
  c('gsub', 'a b c d e', p, t)
end
c('gsub', 'abc', '%w', setmetatable({}, { __index = function(_, k) return k:upper() end }))
c('gsub', 'abc', '%w', { a = print })
local fns = {
  function(...) return nil end,
  function(...) return false end,
  function(a) return a:upper() end,
  function(a, b) return b end,
  function(...) return select('#', ...) end,
  function(...) return 1.5 end,
  function(...) return true end,
  function(...) return {} end,
  function(...) end,
  function(a) return a, 'ignored' end,
  function(a) if a == 'b' then error('stop at b') end end,
  function(a) if a == 'b' then error(setmetatable({}, { __tostring = function() return 'object error' end })) end end,
}
for _, f in ipairs(fns) do
  c('gsub', 'abc', '%w', f)
  c('gsub', 'abc', '(%w)(%w?)', f)
  c('gsub', 'abc', '()', f)
  c('gsub', 'abc', '', f)
end
c('gsub', 'abc', '%w', function(ch) return (string.gsub(ch, '%w', '<%0>')) end)
c('gsub', 'abc', '%w', function(ch) return (string.find('xbx', ch)) end)
c('gsub', 'abc', '%w', function(ch) local s = '' for w in string.gmatch('a b c', ch) do s = s .. w end return s end)

-- gsub's max replacements
for _, n in ipairs({ 0, 1, 2, -1, 100, math.mininteger, '2', 2.0 }) do
  c('gsub', 'a a a a', 'a', 'b', n)
  c('gsub', 'abc', '', '-', n)
  c('gsub', 'aaa', '^a', 'b', n)
end

-- gmatch iteration
c('gmatch', 'hello world from Lua', '%a+')
c('gmatch', 'k1=v1, k2=v2', '(%w+)=(%w+)')
c('gmatch', 'abc', '')
c('gmatch', 'abc', '()')
c('gmatch', 'abc', 'x*')
c('gmatch', 'a,b,,c', '([^,]*)')
c('gmatch', 'a1b22c333', '%d*')
c('gmatch', 'one two', '%a*')
c('gmatch', 'abc', '(a')
c('gmatch', 'xxa', '(a')
c('gmatch', 'abc', '.', -1)
c('gmatch', 'abc', '.', -10)
c('gmatch', 'abc', '()', 4)
c('gmatch', 'abc', '()', 5)
c('gmatch', string.rep('a', 250), '(' .. string.rep('a?', 201) .. ')')
return compare(cases)
`

// A fixed-seed LCG builds random short patterns from pattern tokens, random subjects, and a random call.
const FUZZ = String.raw`
local state = 20240531
local function rnd(k)
  state = (state * 1103515245 + 12345) % 2147483648
  return (state >> 8) % k + 1
end
local function pick(list) return list[rnd(#list)] end
local TOKENS = { 'a', 'b', 'c', 'x', ' ', '.', '%a', '%d', '%s', '%w', '%A', '%p', '%S', '[ab]', '[^a]', '[a-c]',
  '[%d%s]', '[]', '[^]', ']', '[', '*', '+', '-', '?', '*', '+', '-', '?', '(', ')', '(', ')', '()', '%1', '%2', '^',
  '$', '%b()', '%bab', '%f[%w]', '%f[a]', '%f', '%', '%%', '%.', '%b', '\0' }
local CHUNKS = { 'a', 'b', 'c', ' ', '(', ')', '1', '22', 'x', '.', '%', 'ab', 'aab', '\0', 'ba', '[', ']' }
local REPLS = { '%0', '<%1>', '%2', '%%', 'x', '%', '%x', '-%1-%0-', '',
  { a = 'A', b = false, c = 1, [1] = 'one' },
  function(a, b) if a == 'a' then return nil end return tostring(a) .. tostring(b) end,
  function(a) if a == 'c' then return {} end return a end }
local cases = {}
for _ = 1, 2000 do
  local p = {}
  for i = 1, rnd(6) do p[i] = pick(TOKENS) end
  p = table.concat(p)
  local s = {}
  for i = 1, rnd(13) - 1 do s[i] = pick(CHUNKS) end
  s = table.concat(s)
  local op = pick({ 'find', 'find', 'match', 'gmatch', 'gsub', 'gsub' })
  if op == 'find' then
    local r = rnd(4)
    if r == 1 then case(cases, op, s, p)
    elseif r == 2 then case(cases, op, s, p, rnd(12) - 4)
    elseif r == 3 then case(cases, op, s, p, rnd(12) - 4, true)
    else case(cases, op, s, p, nil, rnd(2) == 1) end
  elseif op == 'match' then
    if rnd(2) == 1 then case(cases, op, s, p) else case(cases, op, s, p, rnd(12) - 4) end
  elseif op == 'gmatch' then
    if rnd(2) == 1 then case(cases, op, s, p) else case(cases, op, s, p, rnd(12) - 4) end
  else
    local r = pick(REPLS)
    if rnd(3) == 1 then case(cases, op, s, p, r, rnd(5) - 2) else case(cases, op, s, p, r) end
  end
end
return compare(cases)
`

// The same snippets run in an engine with the plain C functions and one with install(string): the outputs,
// error positions and argument-error names included, must be the same. (No call here is a tail call: see the
// test on tail calls for the one place a Lua function cannot name what C names.)
const SNIPPETS = String.raw`
local out = {}
local function try(f)
  local r = table.pack(pcall(f))
  local s = {}
  for i = 1, r.n do s[i] = tostring(r[i]) end
  out[#out + 1] = table.concat(s, ' | ')
end
local function keep(...) return ... end -- so the calls below are not tail calls
local big = string.rep('a', 20000)
try(function() return keep(string.find('a')) end)
try(function() return keep(('a'):find()) end)
try(function() return keep(('a'):find({})) end)
try(function() return keep(('a'):match(nil)) end)
try(function() local t = { find = string.find } return keep(t:find('a')) end)
try(function() local f = string.gsub return keep(f('a', 'a')) end)
try(function() return keep(string.gsub('a', 'a', true)) end)
try(function() return keep(string.gsub('a', 'a', 'x', 'y')) end)
try(function() return keep(string.gmatch(nil, 'a')) end)
try(function() return keep(string.find('abc', 'b', 1.5)) end)
try(function() return keep(string.match('abc', 'b', '2')) end)
try(function() return keep(pcall(string.find)) end)
try(function() return keep(pcall(string.gsub, 'a', 'a')) end)
try(function() return keep(string.find('abc', '[')) end)
try(function() return keep(string.find(12, 2)) end)
try(function() return keep(('abc'):gsub('(a', '%1')) end)
try(function() return keep(('abc'):gsub('a', { a = {} })) end)
try(function() return keep(('abc'):gsub('%w', function() return {} end)) end)
try(function() return keep(('abc'):gsub('%w', function() error('level 2', 2) end)) end)
try(function() return keep(('abc'):gsub('%w', function() error('unfinished capture', 0) end)) end)
try(function() return keep(('abc'):gsub('%w', setmetatable({}, { __index = function(_, k) error('idx ' .. k) end }))) end)
try(function() local it = ('abc'):gmatch('(') return keep(it()) end)
try(function() return keep(('hello world'):match('^(%w+)')) end)
try(function() return keep(('hello world'):gsub('o', '0')) end)
try(function() local r = {} for k, v in ('a=1, b=2'):gmatch('(%w+)=(%w+)') do r[#r + 1] = k .. v end return table.concat(r) end)
-- these take the Lua engine in the guarded engine
try(function() return keep(big:find('a*(a')) end)
try(function() return keep(big:find('a*[')) end)
try(function() return keep(big:match('^(a-)(a*)$')) end)
try(function() return keep(#big:match('(a*)a')) end)
try(function() for w in big:gmatch('a*%') do end end)
try(function() local n = 0 for w in big:gmatch('a-b*') do n = n + 1 end return n end)
try(function() return keep(big:gsub('a+', function() error('boom') end)) end)
try(function() return keep(big:gsub('a+', function() error('level 2', 2) end)) end)
try(function() local it = big:gmatch('a*(') return keep(it()) end)
-- a callback may not yield, as under C's gsub
for _, subject in ipairs({ 'abc', big }) do
  try(function() return keep(coroutine.wrap(function() return (subject:gsub('a+', function(x) return coroutine.yield(x) end)) end)()) end)
  try(function() return keep(coroutine.wrap(function() return (subject:gsub('a+', setmetatable({}, { __index = function(_, x) return coroutine.yield(x) end }))) end)()) end)
end
try(function() return keep(big:gsub('a+', function() error(setmetatable({}, { __tostring = function() return 'obj' end })) end)) end)
try(function() return keep(select(2, big:gsub('a*b*', {}))) end)
try(function() return keep(select(2, big:gsub('(a)(a?)', '%2%1'))) end)
try(function() return keep(big:gsub('a*b*', '%2')) end)
try(function() return keep(big:gsub('a*', { [big] = {} })) end)
try(function() return keep(string.find(string.rep('a', 300), string.rep('a?', 250))) end)
try(function() return keep(string.find(big .. 'b', big, 1, true)) end)
try(function() return keep(string.find(big, big:sub(2) .. 'b', 1, true)) end)
return table.concat(out, '\n')
`

function parse(report: string): { count: number; errors: number; diffs: string[] } {
  const [head, ...diffs] = report.split('\n')
  const [count, errors] = head.split(' ').map(Number)
  return { count, errors, diffs }
}

describe('harness/lua/patterns: Lua pattern matching, differential against lstrlib', function () {
  this.timeout(20_000)
  let engine: LuaEngine

  before(async () => {
    engine = await engineWithPatterns()
    await engine.doString(HELPERS)
  })
  after(() => engine.global.close())

  it('matches C on the feature table (values, callbacks, errors with positions)', async () => {
    const { count, errors, diffs } = parse(await engine.doString(CASES))
    expect(diffs.join('\n')).to.equal('')
    expect(count).to.be.greaterThan(600)
    expect(errors).to.be.greaterThan(100)
  })

  it('matches C on 2000 random patterns and subjects (fixed-seed LCG)', async () => {
    const { count, errors, diffs } = parse(await engine.doString(FUZZ))
    expect(diffs.join('\n')).to.equal('')
    expect(count).to.equal(2000)
    expect(errors).to.be.greaterThan(200) // malformed and invalid patterns are well covered
  })

  it('matches C on large subjects, where the Lua engine scans far', async () => {
    const report = await engine.doString(String.raw`
      local words, seed = {}, 7
      for i = 1, 6000 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        local w = ({ 'alpha', 'beta', '(x (y) z)', '3.14', '  ', '\t', 'Gamma_9', '"q"', '-' })[(seed >> 8) % 9 + 1]
        words[i] = w
      end
      local text = table.concat(words, ' ')
      local cases = {}
      case(cases, 'gsub', text, '%s+', ' ')
      case(cases, 'gsub', text, '(%w+)', '<%1>')
      case(cases, 'gsub', text, '%f[%w]%w+', function(w) return #w end)
      case(cases, 'gmatch', text:sub(1, 3000), '%b()')
      case(cases, 'find', text, '(%d+)%.(%d+)', 2000)
      case(cases, 'find', text, '"(.-)"', -200)
      case(cases, 'match', text, '.*Gamma_(%d)')
      case(cases, 'match', text, '^(.-)%s*$')
      case(cases, 'find', text, 'zzz')
      case(cases, 'find', text, 'q"', 1, true)
      case(cases, 'gsub', string.rep('ab', 3000), '(a)(b)%1', '')
      case(cases, 'find', string.rep('a', 2000) .. 'b', '.-b')
      case(cases, 'find', string.rep('a', 20000), string.rep('a', 10000) .. 'b', 1, true)
      case(cases, 'find', string.rep('a', 20000) .. 'b', string.rep('a', 10000) .. 'b', 1, true)
      case(cases, 'find', string.rep('ab', 10000), string.rep('ab', 5000) .. 'a', 3, true)
      return compare(cases)`)
    const { count, diffs } = parse(report)
    expect(diffs.join('\n')).to.equal('')
    expect(count).to.equal(15)
  })

  it('install(string) keeps every result, error, position and argument name of the C functions', async () => {
    const plain = await new LuaFactory().createEngine()
    const guarded = await engineWithPatterns()
    try {
      await guarded.doString('P.install(string)')
      const want = await plain.doString(SNIPPETS)
      const got = await guarded.doString(SNIPPETS)
      expect(got).to.equal(want)
      expect(want).to.include("bad argument #2 to 'find' (string expected, got no value)")
      expect(want).to.include("calling 'find' on bad self (string expected, got table)")
      expect(want).to.include("bad argument #1 to 'string.find' (string expected, got no value)")
      expect(want).to.include('pattern too complex')
      expect(want.match(/attempt to yield across a C-call boundary/g)).to.have.length(4)
    } finally {
      plain.global.close()
      guarded.global.close()
    }
  })

  it('keeps every result while its pattern cache fills, empties and refills (1,200 distinct patterns, twice)', async () => {
    const plain = await new LuaFactory().createEngine()
    const guarded = await engineWithPatterns()
    const code = String.raw`
      local out = {}
      for round = 1, 2 do
        for i = 1, 1200 do
          local pat = '(%d+)' .. i .. '(%a*)'
          local s = 'n' .. (i * 7) .. i .. 'abc' .. i
          local a, b = string.match(s, pat)
          local g, n = string.gsub(s, pat, '<%2>')
          out[#out + 1] = tostring(a) .. '|' .. tostring(b) .. '|' .. g .. '|' .. n .. '|' .. tostring(string.find(s, pat))
        end
      end
      return table.concat(out, '\n')`
    try {
      await guarded.doString('P.install(string)')
      const want = await plain.doString(code)
      expect(await guarded.doString(code)).to.equal(want)
      expect(want.split('\n')).to.have.length(2400)
    } finally {
      plain.global.close()
      guarded.global.close()
    }
  })

  it('names no position for a tail-called wrapper, whose caller C would name (its frame is gone)', async () => {
    const plain = await new LuaFactory().createEngine()
    const guarded = await engineWithPatterns()
    try {
      await guarded.doString('P.install(string)')
      const code = String.raw`
        local out = {}
        for _, f in ipairs({
          function() return string.find('a') end,
          function() return string.find('abc', '[') end,
          function() return string.gsub('abc', '(a', '%1') end,
          function() return string.gsub(string.rep('a', 20000), 'a*(', '') end,
        }) do out[#out + 1] = select(2, pcall(f)) end
        return table.concat(out, '\n')`
      const strip = (text: string) => text.replace(/^\[string "[^"]*"\]:\d+: /gm, '')
      const want = await plain.doString(code)
      expect(want).to.match(/^\[string/)
      expect(await guarded.doString(code)).to.equal(strip(want))
    } finally {
      plain.global.close()
      guarded.global.close()
    }
  })

  describe('the guard', () => {
    let guarded: LuaEngine
    before(async () => {
      guarded = await engineWithPatterns()
      await guarded.doString(String.raw`
        P.install(string)
        -- Runs f under a count hook that raises after 'budget' instructions; C code never triggers it.
        -- Where records what was running when the hook fired: 'patterns' for the Lua matcher (P's chunk).
        function bounded(budget, f, ...)
          debug.sethook(function()
            local info = debug.getinfo(2, 'S')
            Where = info.source == __src and 'patterns' or info.what
            error('budget exhausted', 0)
          end, '', budget)
          local r = table.pack(pcall(f, ...))
          debug.sethook()
          return r
        end`)
    })
    after(() => guarded.global.close())

    it('routes a backtracking pattern to Lua, where the count hook bounds it', async () => {
      // Small enough that C would finish at once: only the Lua engine can run into the hook.
      const small = await guarded.doString(`local r = bounded(2000, string.find, string.rep('a', 60), '.-.-.-b') return tostring(r[1]) .. ' ' .. tostring(r[2])`)
      expect(small).to.equal('false budget exhausted')
      // C would take about 3000^4 steps; the Lua matcher is stopped by the hook after 1e6 instructions, inside it.
      const hostile = await guarded.doString(`local r = bounded(1e6, string.find, string.rep('a', 3000), '.-.-.-b') return tostring(r[1]) .. ' ' .. tostring(r[2]) .. ' ' .. Where`)
      expect(hostile).to.equal('false budget exhausted patterns')
      const gsub = await guarded.doString(`local r = bounded(1e6, string.gsub, string.rep('a', 1e6), '.-b', '') return tostring(r[1]) .. ' ' .. tostring(r[2])`)
      expect(gsub).to.equal('false budget exhausted')
    })

    it('keeps small work in C', async () => {
      const r = await guarded.doString(`
        local a = bounded(1000, string.find, string.rep('a', 200), 'a-b')
        local b = bounded(1000, string.gsub, string.rep('a b ', 100), '%s+', '_')
        local c = bounded(1000, string.find, string.rep('a', 1e5), 'aab', 1, true)
        return table.concat({ tostring(a[1]), tostring(a[2]), tostring(b[1]), tostring(b[3]), tostring(c[1]), tostring(c[2]) }, ' ')`)
      expect(r).to.equal('true nil true 200 true nil')
      expect(await guarded.doString(`return ("hello world"):match("^(%w+)")`)).to.equal('hello')
    })

    it('searches a long plain needle in linear time (KMP) instead of lmemfind\'s n*m', async () => {
      const r = await guarded.doString(`
        local s = string.rep('a', 2e5)
        local a = bounded(2e7, string.find, s, string.rep('a', 1e5) .. 'b', 1, true)
        local b = bounded(2e7, string.find, s .. 'b', string.rep('a', 1e5) .. 'b', 7, true)
        return table.concat({ tostring(a[1]), tostring(a[2]), tostring(b[1]), tostring(b[2]), tostring(b[3]) }, ' ')`)
      expect(r).to.equal('true nil true 100001 200001')
    })
  })
})
