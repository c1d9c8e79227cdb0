-- compat53.lua: makes wasmoon's Lua 5.4 behave like AO's Lua 5.3 (built with LUA_COMPAT_5_2).
-- Spec: /work/shared/specs/aos-runtime.md §5 (and §4 for bit32/compat math).
-- Called once at sandbox set-up as `load(src)(env)`; mutates `env`, its library tables and the
-- shared string metatable. Returns { checkSource = fn(src, chunkname) -> ok, err }.
local env, aoslines = ...
assert(type(env) == "table", "compat53: expected the contract environment table")
-- Marks `--@aos N` of the runtime files, per chunk name: { [line] = aosLine or {aosLine, name} } (see below).
aoslines = type(aoslines) == "table" and aoslines or {}

-- Capture everything up front so later changes to env cannot break the shims.
local G = _ENV
local function grab(name)
  local v = rawget(env, name)
  if v == nil then v = G[name] end
  return v
end
local type, select, error, pcall, tostring, tonumber = grab "type", grab "select", grab "error", grab "pcall", grab "tostring", grab "tonumber"
local rawget, rawset, rawequal, setmetatable54 = grab "rawget", grab "rawset", grab "rawequal", grab "setmetatable"
local load54, ipairs54, collectgarbage54 = grab "load", grab "ipairs", grab "collectgarbage"
local string, math, table, utf8, coroutine = grab "string", grab "math", grab "table", grab "utf8", grab "coroutine"
local sbyte, sfind, sformat, ssub, spack, sunpack = string.byte, string.find, string.format, string.sub, string.pack, string.unpack
local tointeger, mlog, mexp = math.tointeger, math.log, math.exp
local concat, tpack, tunpack = table.concat, table.pack, table.unpack
local utf8char54, utf8len54 = utf8.char, utf8.len
local dbg = G.debug or rawget(env, "debug")
local getinfo = dbg and dbg.getinfo
local getlocal = dbg and dbg.getlocal
-- luaL_getmetafield reads the real metatable, ignoring __metatable
local rawmeta = dbg and dbg.getmetatable or grab "getmetatable"

---------------------------------------------------------------------------------------------
-- Error helpers: library errors look like 5.3's luaL_argerror / luaL_error.
---------------------------------------------------------------------------------------------

-- Functions we publish, mapped to {short name, qualified name} (5.3 pushglobalfuncname).
local published = setmetatable54({}, { __mode = "k" })
local function publish(fn, short, qualified)
  published[fn] = { short, qualified }
  return fn
end

-- Raises build(name, namewhat) at the caller of the nearest published function, as
-- luaL_error(L, ...) does with luaL_where(L, 1). Published functions must not tail-call helpers
-- that may raise (the frame would disappear).
local function libraise(build)
  if getinfo then
    for level = 2, 40 do
      local info = getinfo(level, "nft")
      if not info then break end
      local names = published[info.func]
      if names then
        local name = (info.istailcall and names[1]) or info.name or names[2]
        error(build(name, info.namewhat or ""), level + 1)
      end
    end
  end
  error(build("?", ""), 3)
end

local function raise(msg)
  libraise(function() return msg end)
end

local function argerror(arg, extramsg)
  libraise(function(name, namewhat)
    if namewhat == "method" then
      arg = arg - 1
      if arg == 0 then return sformat("calling '%s' on bad self (%s)", name, extramsg) end
    end
    return sformat("bad argument #%d to '%s' (%s)", arg, name, extramsg)
  end)
end

-- luaT_objtypename / luaL_typeerror: a string __name in the metatable names the type.
local function typename(v)
  local t = type(v)
  if t == "table" or t == "userdata" then
    local mt = rawmeta(v)
    local n = type(mt) == "table" and rawget(mt, "__name")
    if type(n) == "string" then return n end
  end
  return t
end

local function typeerror(arg, expected, v, present)
  argerror(arg, sformat("%s expected, got %s", expected, present and typename(v) or "no value"))
end

-- 5.3 cvt2num: numbers, and strings that read as numbers.
local function tonum(v)
  local t = type(v)
  if t == "number" then return v end
  if t == "string" then return tonumber(v) end
  return nil
end

local function toint(v)
  local n = tonum(v)
  return n ~= nil and tointeger(n) or nil
end

local function checknumber(arg, v, nargs)
  local x = tonum(v)
  if x == nil then typeerror(arg, "number", v, arg <= nargs) end
  return x
end

local function checkinteger(arg, v, nargs)
  local x = tonum(v)
  if x == nil then typeerror(arg, "number", v, arg <= nargs) end
  local i = tointeger(x)
  if i == nil then argerror(arg, "number has no integer representation") end
  return i
end

local function optinteger(arg, v, nargs, default)
  if v == nil then return default end
  return checkinteger(arg, v, nargs)
end

local function checkstring(arg, v, nargs)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return tostring(v) end
  typeerror(arg, "string", v, arg <= nargs)
end

---------------------------------------------------------------------------------------------
-- Variable info for VM-style errors ("(local 'x')", "(field 'k')"...), as 5.3's varinfo gives it.
-- 5.3 names the operand from the failing instruction. Our metamethod runs one call deeper, so we
-- find that instruction ourselves: decode the caller's 5.4 bytecode (string.dump), take the
-- MMBIN/UNM/BNOT instructions on the current line whose operand registers hold the values we got,
-- and name the register by 5.3's rules (a string constant in a binary operation is an RK operand
-- in 5.3, so it gets no name; in a unary one it does).
---------------------------------------------------------------------------------------------
local sdump = string.dump

-- The parts of a dumped 5.4 function (lundump.c) that naming needs.
local function undump(s)
  local pos = 33 -- after the 31-byte header and the upvalue count
  local function byte() pos = pos + 1 return sbyte(s, pos - 1) end
  local function size()
    local x, b = 0, nil
    repeat b = byte() x = (x << 7) | (b & 0x7f) until b & 0x80 ~= 0
    return x
  end
  local function str()
    local n = size()
    if n == 0 then return nil end
    pos = pos + n - 1
    return ssub(s, pos - n + 1, pos - 1)
  end
  local function fn(keep)
    local p = { code = {}, k = {}, lines = {}, locvars = {}, upnames = {} }
    str()
    p.linedefined = size()
    size()
    pos = pos + 3
    for i = 0, size() - 1 do p.code[i] = sunpack("<I4", s, pos) pos = pos + 4 end
    for i = 0, size() - 1 do
      local t = byte()
      if t == 0x04 or t == 0x14 then p.k[i] = str() -- strings; numbers and others skipped
      elseif t == 0x03 or t == 0x13 then pos = pos + 8 end
    end
    for _ = 1, size() do pos = pos + 3 end
    for _ = 1, size() do fn(false) end
    local deltas = {}
    for i = 0, size() - 1 do deltas[i] = byte() end
    local abs = {}
    for i = 1, size() do
      local apc = size()
      abs[i] = size()
      abs[-i] = apc
    end
    local line, ai = p.linedefined, 1
    for pc = 0, #p.code do
      local d = deltas[pc] or 0
      if d == 0x80 then line, ai = abs[ai], ai + 1 -- ABSLINEINFO
      else line = line + (d >= 0x80 and d - 256 or d) end
      p.lines[pc] = line
    end
    for i = 1, size() do
      local name = str()
      local startpc = size()
      p.locvars[i] = { name, startpc, size() }
    end
    for i = 0, size() - 1 do p.upnames[i] = str() end
    return keep and p
  end
  return fn(true)
end

local function opA(i) return (i >> 7) & 0xFF end
local function opB(i) return (i >> 16) & 0xFF end
local function opC(i) return (i >> 24) & 0xFF end

-- Opcodes that write register A (lopcodes.c), besides the ones findsetreg treats specially.
local SETS_A = {}
for _, op in ipairs54 { 0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 14, 19, 20, 49, 50, 51, 52, 53, 67, 73, 74, 77, 79, 80, 81 } do
  SETS_A[op] = true
end
for op = 21, 45 do SETS_A[op] = true end

local function localname(p, n, pc) -- luaF_getlocalname
  for _, v in ipairs54(p.locvars) do
    if v[2] > pc then break end
    if pc < v[3] then
      n = n - 1
      if n == 0 then return v[1] end
    end
  end
  return nil
end

local function findsetreg(p, lastpc, reg)
  local setreg, jmptarget = -1, 0
  for pc = 0, lastpc - 1 do
    local i = p.code[pc]
    local op, a = i & 0x7F, opA(i)
    local change
    if op == 8 then change = a <= reg and reg <= a + opB(i)      -- LOADNIL
    elseif op == 76 then change = reg >= a + 2                   -- TFORCALL
    elseif op == 68 or op == 69 then change = reg >= a           -- CALL, TAILCALL
    elseif op == 56 then                                         -- JMP
      local dest = pc + 1 + ((i >> 7) & 0x1FFFFFF) - 0xFFFFFF
      if dest <= lastpc and dest > jmptarget then jmptarget = dest end
      change = false
    else change = SETS_A[op] and reg == a end
    if change then setreg = pc < jmptarget and -1 or pc end
  end
  return setreg
end

local getobjname
local function keyname(p, pc, c) -- 5.3 kname for a register key: only a string constant names it
  local what, name = getobjname(p, pc, c)
  if what == "constant" then return name end
  return "?"
end

-- 5.3's getobjname, read from 5.4 bytecode: kind, name.
getobjname = function(p, lastpc, reg)
  local name = localname(p, reg + 1, lastpc)
  if name then return "local", name end
  local pc = findsetreg(p, lastpc, reg)
  if pc < 0 then return nil end
  local i = p.code[pc]
  local op = i & 0x7F
  if op == 0 then -- MOVE
    if opB(i) < opA(i) then return getobjname(p, pc, opB(i)) end
  elseif op == 11 then -- GETTABUP
    local k = p.k[opC(i)]
    return p.upnames[opB(i)] == "_ENV" and "global" or "field", k or "?"
  elseif op == 12 or op == 13 or op == 14 then -- GETTABLE, GETI, GETFIELD (5.3's GETTABLE)
    local key = op == 14 and (p.k[opC(i)] or "?") or op == 13 and "?" or keyname(p, pc, opC(i))
    return localname(p, opB(i) + 1, pc) == "_ENV" and "global" or "field", key
  elseif op == 9 then -- GETUPVAL
    return "upvalue", p.upnames[opB(i)] or "?"
  elseif op == 3 or op == 4 then -- LOADK, LOADKX
    local k = op == 3 and p.k[(i >> 15) & 0x1FFFF] or p.k[p.code[pc + 1] >> 7]
    if k then return "constant", k end
  elseif op == 20 then -- SELF
    local key = ((i >> 15) & 1) == 1 and (p.k[opC(i)] or "?") or keyname(p, pc, opC(i))
    return "method", key
  end
  return nil
end

local TM = { __add = 6, __sub = 7, __mul = 8, __mod = 9, __pow = 10, __div = 11, __idiv = 12, __band = 13,
  __bor = 14, __bxor = 15, __shl = 16, __shr = 17, __unm = 18, __bnot = 19 }

-- Register (or false for a constant operand) holding operand `which` (1 or 2) of the
-- instruction at pc, and the pc to name it at, if that instruction called the metamethod with a, b.
local function operandreg(p, pc, event, a, b, which, regs)
  local i = p.code[pc]
  local op = i & 0x7F
  local function holds(reg, v)
    local slot = regs[reg]
    return slot ~= nil and rawequal(slot[1], v)
  end
  if event == "__unm" or event == "__bnot" then
    if op == (event == "__unm" and 49 or 50) and holds(opB(i), a) then return opB(i), pc end
    return nil
  end
  if opC(i) ~= TM[event] then return nil end
  if op == 46 then -- MMBIN A B: (R[A], R[B])
    if holds(opA(i), a) and holds(opB(i), b) then return which == 1 and opA(i) or opB(i), pc - 1 end
  elseif op == 47 or op == 48 then -- MMBINI / MMBINK: R[A] and a constant, k = flipped
    local flip = ((i >> 15) & 1) == 1
    if holds(opA(i), flip and b or a) then
      if (which == 2) == flip then return opA(i), pc - 1 end
      return false
    end
  end
  return nil
end

-- " (kind 'name')" for operand `which` of the operator whose metamethod called varinfo.
-- Must be called (not tail-called) by the metamethod itself: level 3 is the operator's frame.
local function varinfo(event, a, b, which)
  if not (getinfo and getlocal and sdump) then return "" end
  local info = getinfo(3, "fSl")
  if not info or info.what ~= "Lua" and info.what ~= "main" or info.currentline < 0 then return "" end
  local regs = {}
  for n = 1, 255 do
    local name, val = getlocal(3, n)
    if name == nil then break end
    regs[n - 1] = { val }
  end
  local ok, res = pcall(function()
    local p = undump(sdump(info.func))
    for pc = 0, #p.code do
      if p.lines[pc] == info.currentline then
        local reg, lastpc = operandreg(p, pc, event, a, b, which, regs)
        if reg == false then return "" end
        if reg then
          local kind, name = getobjname(p, lastpc, reg)
          if not kind or (kind == "constant" and event ~= "__unm" and event ~= "__bnot") then return "" end
          return sformat(" (%s '%s')", kind, name)
        end
      end
    end
    return ""
  end)
  return ok and res or ""
end

---------------------------------------------------------------------------------------------
-- Arithmetic and bitwise operators on strings (spec §5): 5.3 converts a numeric string to a
-- float for + - * / % ^ // and unary minus, and to an exact integer for bitwise operators.
-- 5.4 routes string operands through the string metatable, so we redefine it there.
---------------------------------------------------------------------------------------------

-- 5.3's strings have no arithmetic metamethods: only a non-string operand's handler counts.
local function otherhandler(a, b, event)
  for i = 1, 2 do
    local v = i == 1 and a or b
    if type(v) ~= "string" then
      local mt = rawmeta(v)
      local h = type(mt) == "table" and rawget(mt, event) or nil
      if h ~= nil then return h end
    end
  end
  return nil
end

local function arith(event, op)
  return function(a, b)
    local x, y = tonum(a), tonum(b)
    if x ~= nil and y ~= nil then return op(x + 0.0, y + 0.0) end
    local h = otherhandler(a, b, event)
    if h ~= nil then return (h(a, b)) end
    -- luaG_opinterror: blame the first operand unless it is a number
    local which = x == nil and 1 or 2
    local bad = which == 1 and a or b
    local info = varinfo(event, a, b, which)
    error(sformat("attempt to perform arithmetic on a %s value%s", typename(bad), info), 2)
  end
end

local function bitwise(event, op)
  return function(a, b)
    local x, y = toint(a), toint(b)
    if x ~= nil and y ~= nil then return op(x, y) end
    local h = otherhandler(a, b, event)
    if h ~= nil then return (h(a, b)) end
    if tonum(a) ~= nil and tonum(b) ~= nil then
      -- luaG_tointerror: both are numbers, one is not integral
      local info = varinfo(event, a, b, x == nil and 1 or 2)
      error(sformat("number%s has no integer representation", info), 2)
    end
    local which = tonum(a) == nil and 1 or 2
    local bad = which == 1 and a or b
    local info = varinfo(event, a, b, which)
    error(sformat("attempt to perform bitwise operation on a %s value%s", typename(bad), info), 2)
  end
end

local smt = rawmeta("")
smt.__add = arith("__add", function(x, y) return x + y end)
smt.__sub = arith("__sub", function(x, y) return x - y end)
smt.__mul = arith("__mul", function(x, y) return x * y end)
smt.__div = arith("__div", function(x, y) return x / y end)
smt.__mod = arith("__mod", function(x, y) return x % y end)
smt.__pow = arith("__pow", function(x, y) return x ^ y end)
smt.__idiv = arith("__idiv", function(x, y) return x // y end)
smt.__unm = arith("__unm", function(x) return -x end)
smt.__band = bitwise("__band", function(x, y) return x & y end)
smt.__bor = bitwise("__bor", function(x, y) return x | y end)
smt.__bxor = bitwise("__bxor", function(x, y) return x ~ y end)
smt.__shl = bitwise("__shl", function(x, y) return x << y end)
smt.__shr = bitwise("__shr", function(x, y) return x >> y end)
smt.__bnot = bitwise("__bnot", function(x) return ~x end)

---------------------------------------------------------------------------------------------
-- bit32 (5.3 lbitlib with LUA_COMPAT_BITLIB): 32-bit unsigned results as integers.
---------------------------------------------------------------------------------------------
local ALLONES = 0xFFFFFFFF

local function andaux(...)
  local n = select("#", ...)
  local r = ~0
  for i = 1, n do r = r & checkinteger(i, (select(i, ...)), n) end
  return r & ALLONES
end

local function oraux(xor, ...)
  local n = select("#", ...)
  local r = 0
  for i = 1, n do
    local v = checkinteger(i, (select(i, ...)), n)
    if xor then r = r ~ v else r = r | v end
  end
  return r & ALLONES
end

local function shift(r, i)
  if i < 0 then
    i = -i
    r = r & ALLONES
    if i >= 32 then r = 0 else r = r >> i end
  else
    if i >= 32 then r = 0 else r = r << i end
    r = r & ALLONES
  end
  return r
end

local function rotate(r, d)
  local i = d & 31
  r = r & ALLONES
  if i ~= 0 then r = (r << i) | (r >> (32 - i)) end
  return r & ALLONES
end

local function fieldargs(farg, f, w, n)
  f = checkinteger(farg, f, n)
  w = optinteger(farg + 1, w, n, 1)
  if not (0 <= f) then argerror(farg, "field cannot be negative") end
  if not (0 < w) then argerror(farg + 1, "width must be positive") end
  if f + w > 32 then raise("trying to access non-existent bits") end
  return f, w
end

local bit32 = {}
bit32.band = publish(function(...) local r = andaux(...) return r end, "band", "bit32.band")
bit32.btest = publish(function(...) local r = andaux(...) return r ~= 0 end, "btest", "bit32.btest")
bit32.bor = publish(function(...) local r = oraux(false, ...) return r end, "bor", "bit32.bor")
bit32.bxor = publish(function(...) local r = oraux(true, ...) return r end, "bxor", "bit32.bxor")
bit32.bnot = publish(function(...)
  local r = checkinteger(1, (...), select("#", ...))
  return (~r) & ALLONES
end, "bnot", "bit32.bnot")
bit32.lshift = publish(function(...)
  local n, x, d = select("#", ...), ...
  local r = shift(checkinteger(1, x, n), checkinteger(2, d, n))
  return r
end, "lshift", "bit32.lshift")
bit32.rshift = publish(function(...)
  local n, x, d = select("#", ...), ...
  local r = shift(checkinteger(1, x, n), -checkinteger(2, d, n))
  return r
end, "rshift", "bit32.rshift")
bit32.arshift = publish(function(...)
  local n, x, d = select("#", ...), ...
  local r, i = checkinteger(1, x, n), checkinteger(2, d, n)
  if i < 0 or (r & 0x80000000) == 0 then
    r = shift(r, -i)
  elseif i >= 32 then
    r = ALLONES
  else
    r = ((r >> i) | ~(ALLONES >> i)) & ALLONES -- fill with the sign bit
  end
  return r
end, "arshift", "bit32.arshift")
bit32.lrotate = publish(function(...)
  local n, x, d = select("#", ...), ...
  local r = rotate(checkinteger(1, x, n), checkinteger(2, d, n))
  return r
end, "lrotate", "bit32.lrotate")
bit32.rrotate = publish(function(...)
  local n, x, d = select("#", ...), ...
  local r = rotate(checkinteger(1, x, n), -checkinteger(2, d, n))
  return r
end, "rrotate", "bit32.rrotate")
bit32.extract = publish(function(...)
  local n, x, f, w = select("#", ...), ...
  local r = checkinteger(1, x, n) & ALLONES
  f, w = fieldargs(2, f, w, n)
  return (r >> f) & ((1 << w) - 1)
end, "extract", "bit32.extract")
bit32.replace = publish(function(...)
  local n, x, v, f, w = select("#", ...), ...
  local r = checkinteger(1, x, n) & ALLONES
  v = checkinteger(2, v, n) & ALLONES
  f, w = fieldargs(3, f, w, n)
  local m = (1 << w) - 1
  return (r & ~(m << f)) | ((v & m) << f)
end, "replace", "bit32.replace")

rawset(env, "bit32", bit32)
local package = rawget(env, "package")
if type(package) == "table" and type(package.loaded) == "table" then package.loaded.bit32 = bit32 end

---------------------------------------------------------------------------------------------
-- LUA_COMPAT_MATHLIB: pow, ldexp, frexp, cosh, sinh, tanh, log10, atan2. The float routines
-- follow musl (the libc of both wasm builds) so results match bit for bit.
---------------------------------------------------------------------------------------------
local function bits(x) return (sunpack("<i8", spack("<d", x))) end
local function frombits(i) return (sunpack("<d", spack("<i8", i))) end
local function hiword(x) return (bits(x) >> 32) & 0x7FFFFFFF end -- high word of |x|

local function frexp(x)
  local b = bits(x)
  local e = (b >> 52) & 0x7FF
  if e == 0 then
    if x == 0 then return x, 0 end
    local m, k = frexp(x * 0x1p64) -- subnormal: normalise first
    return m, k - 64
  elseif e == 0x7FF then
    return x, 0 -- inf/nan: 5.3 leaves the exponent unset; AO shows 0
  end
  return frombits((b & ~(0x7FF << 52)) | (0x3FE << 52)), e - 0x3FE
end

local function scalbn(y, n) -- musl scalbn (= ldexp)
  if n > 1023 then
    y = y * 0x1p1023
    n = n - 1023
    if n > 1023 then
      y = y * 0x1p1023
      n = n - 1023
      if n > 1023 then n = 1023 end
    end
  elseif n < -1022 then
    y = y * 0x1p-969 -- 0x1p-1022 * 0x1p53: keeps the final step out of double rounding
    n = n + 969
    if n < -1022 then
      y = y * 0x1p-969
      n = n + 969
      if n < -1022 then n = -1022 end
    end
  end
  return y * frombits((0x3FF + n) << 52)
end

local function expm1(x) -- musl expm1
  local hx = hiword(x)
  local sign = x < 0 or (x == 0 and 1 / x < 0)
  if hx >= 0x4043687A then -- |x| >= 56*ln2
    if x ~= x then return x end
    if sign then return -1.0 end
    if x > 7.09782712893383973096e+02 then return x * 0x1p1023 end
  end
  local k, c = 0, 0.0
  if hx > 0x3fd62e42 then -- |x| > 0.5 ln2: argument reduction
    local hi, lo
    if hx < 0x3FF0A2B2 then
      if not sign then hi, lo, k = x - 6.93147180369123816490e-01, 1.90821492927058770002e-10, 1
      else hi, lo, k = x + 6.93147180369123816490e-01, -1.90821492927058770002e-10, -1 end
    else
      local kf = 1.44269504088896338700e+00 * x + (sign and -0.5 or 0.5)
      k = kf < 0 and -((-kf) // 1) or kf // 1 -- C truncation toward zero
      k = tointeger(k)
      local t = k + 0.0
      hi = x - t * 6.93147180369123816490e-01
      lo = t * 1.90821492927058770002e-10
    end
    x = hi - lo
    c = (hi - x) - lo
  elseif hx < 0x3c900000 then
    return x
  end
  local hfx = 0.5 * x
  local hxs = x * hfx
  local r1 = 1.0 + hxs * (-3.33333333333331316428e-02 + hxs * (1.58730158725481460165e-03 + hxs *
    (-7.93650757867487942473e-05 + hxs * (4.00821782732936239552e-06 + hxs * -2.01099218183624371326e-07))))
  local t = 3.0 - r1 * hfx
  local e = hxs * ((r1 - t) / (6.0 - x * t))
  if k == 0 then return x - (x * e - hxs) end
  e = x * (e - c) - c
  e = e - hxs
  if k == -1 then return 0.5 * (x - e) - 0.5 end
  if k == 1 then
    if x < -0.25 then return -2.0 * (e - (x + 0.5)) end
    return 1.0 + 2.0 * (x - e)
  end
  local twopk = frombits((0x3ff + k) << 52)
  if k < 0 or k > 56 then
    local y = x - e + 1.0
    if k == 1024 then y = y * 2.0 * 0x1p1023 else y = y * twopk end
    return y - 1.0
  end
  local u = frombits((0x3ff - k) << 52)
  if k < 20 then return (x - e + (1 - u)) * twopk end
  return (x - (e + u) + 1) * twopk
end

local function expo2(x, sign) -- musl __expo2: exp(x) for large x without overflow
  local scale = frombits((0x3ff + 2043 // 2) << 52)
  return mexp(x - 0x1.62066151add8bp+10) * (sign * scale) * scale
end

local function cosh(x)
  x = x < 0 and -x or x + 0.0
  local w = hiword(x)
  if w < 0x3fe62e42 then
    if w < 0x3ff00000 - (26 << 20) then return 1.0 end
    local t = expm1(x)
    return 1 + t * t / (2 * (1 + t))
  end
  if w < 0x40862e42 then
    local t = mexp(x)
    return 0.5 * (t + 1 / t)
  end
  return expo2(x, 1.0)
end

local function sinh(x)
  local h = (x < 0 or (x == 0 and 1 / x < 0)) and -0.5 or 0.5
  local absx = x < 0 and -x or x + 0.0
  local w = hiword(absx)
  if w < 0x40862e42 then
    local t = expm1(absx)
    if w < 0x3ff00000 then
      if w < 0x3ff00000 - (26 << 20) then return x + 0.0 end
      return h * (2 * t - t * t / (t + 1))
    end
    return h * (t + t / (t + 1))
  end
  return expo2(absx, 2 * h)
end

local function tanh(x)
  local sign = x < 0 or (x == 0 and 1 / x < 0)
  x = x < 0 and -x or x + 0.0
  local w = hiword(x)
  local t
  if w > 0x3fe193ea then
    if w > 0x40340000 then
      t = 1 - 0 / x
    else
      t = expm1(2 * x)
      t = 1 - 2 / (t + 2)
    end
  elseif w > 0x3fd058ae then
    t = expm1(2 * x)
    t = t / (t + 2)
  elseif w >= 0x00100000 then
    t = expm1(-2 * x)
    t = -t / (t + 2)
  else
    t = x
  end
  return sign and -t or t
end

local function unary(name, fn)
  return publish(function(...)
    local x = checknumber(1, (...), select("#", ...))
    local r = fn(x + 0.0)
    return r
  end, name, "math." .. name)
end

math.cosh = unary("cosh", cosh)
math.sinh = unary("sinh", sinh)
math.tanh = unary("tanh", tanh)
math.log10 = unary("log10", function(x) return mlog(x, 10) end) -- 5.4 log(x, 10) calls log10
math.pow = publish(function(...)
  local n, x, y = select("#", ...), ...
  x = checknumber(1, x, n)
  y = checknumber(2, y, n)
  return (x + 0.0) ^ (y + 0.0)
end, "pow", "math.pow")
math.frexp = publish(function(...)
  local m, e = frexp(checknumber(1, (...), select("#", ...)) + 0.0)
  return m, e
end, "frexp", "math.frexp")
math.ldexp = publish(function(...)
  local n, x, e = select("#", ...), ...
  x = checknumber(1, x, n)
  e = checkinteger(2, e, n)
  e = ((e + 0x80000000) & 0xFFFFFFFF) - 0x80000000 -- C's (int) cast
  return scalbn(x + 0.0, e)
end, "ldexp", "math.ldexp")
math.atan2 = math.atan -- 5.3 registers the same C function under both names

---------------------------------------------------------------------------------------------
-- Things 5.3 lacks (spec §5).
---------------------------------------------------------------------------------------------
rawset(env, "warn", nil)
rawset(env, "unpack", nil)
rawset(env, "loadstring", nil)
rawset(env, "setfenv", nil)
coroutine.close = nil
if type(rawget(env, "debug")) == "table" then rawget(env, "debug").setcstacklimit = nil end

-- AO has no environment: os.getenv exists and finds nothing (aos 2.0.6), after 5.3's argument check.
local os53 = grab "os"
if type(os53) == "table" then
  os53.getenv = publish(function(...)
    checkstring(1, (...), select("#", ...))
    return nil
  end, "getenv", "os.getenv")
end

-- 5.3's options: 5.4's "generational" and "incremental" are invalid there
local GCOPTS = { stop = 0, restart = 0, collect = 0, count = 0, step = 1, setpause = 1, setstepmul = 1, isrunning = 0 }
-- 5.3's GC parameters as lua_gc keeps them (defaults 200 and 200; stepmul is raised to at least 40), so
-- "setpause"/"setstepmul" return the previous value 5.3 would. The collector only gets values it can hold.
local gcparams = { setpause = 200, setstepmul = 200 }
local function setgcparam(opt, value)
  local previous = gcparams[opt]
  if opt == "setstepmul" and value < 40 then value = 40 end
  gcparams[opt] = value
  collectgarbage54(opt, value < 40 and 40 or value > 1000 and 1000 or value)
  return previous
end
rawset(env, "collectgarbage", publish(function(...)
  local n, opt, arg = select("#", ...), ...
  opt = opt == nil and "collect" or checkstring(1, opt, n)
  if GCOPTS[opt] == nil then argerror(1, sformat("invalid option '%s'", opt)) end
  if GCOPTS[opt] == 1 then arg = optinteger(2, arg, n, 0) end
  if gcparams[opt] then return setgcparam(opt, arg) end
  local r = tpack(collectgarbage54(opt, arg))
  return tunpack(r, 1, r.n)
end, "collectgarbage", "collectgarbage"))

---------------------------------------------------------------------------------------------
-- aos's own line numbers (spec §5). aos's runtime chunks (.handlers, .process, .eval, .ao) are bundled
-- files whose lines differ from ours; contracts ship error texts and tracebacks that show them. A
-- runtime line marked `--@aos N` (harness/vm/runtimeImage.ts collects the marks) reports line N in
-- error locations and tracebacks; `--@aos N name` also shows the C function that line calls as `name`.
---------------------------------------------------------------------------------------------
local function aosline(chunk, line)
  local marks = aoslines[chunk]
  local mark = marks and marks[line]
  if mark == nil then return line end
  if type(mark) == "table" then return mark[1], mark[2] end
  return mark
end

local function relocate(chunk, line)
  local marks = aoslines[chunk]
  if not (marks and marks[tonumber(line)]) then return nil end -- gsub keeps the match
  return sformat('[string "%s"]:%d:', chunk, (aosline(chunk, tonumber(line))))
end

-- Runtime errors in 5.3's words. The 5.4 VM words a few messages differently; contracts catch them and send
-- the text on, so every place Lua code can see an error value says it as 5.3 would: pcall, xpcall (before its
-- handler runs), coroutine.resume, and so the failed message's Error (it goes through pcall). Errors that
-- escape coroutine.wrap or a library callback end in one of these.
local sgsub = string.gsub
local relocating = (grab "next")(aoslines) ~= nil
local function words53(msg)
  if type(msg) ~= "string" then return msg end
  if relocating and sfind(msg, '[string "', 1, true) then msg = sgsub(msg, '%[string "([^"\n]*)"%]:(%d+):', relocate) end
  -- a constant integer key: 5.4 names it 'integer index', 5.3's kname gives '?'
  if sfind(msg, "(field 'integer index')", 1, true) then msg = sgsub(msg, "%(field 'integer index'%)", "(field '?')") end
  -- numeric for: 5.4 says "bad 'for' limit (number expected, got string)"
  if sfind(msg, "bad 'for' ", 1, true) then
    msg = sgsub(msg, "bad 'for' (%a[%a ]-) %(number expected, got [^)]*%)", "'for' %1 must be a number")
  end
  return msg
end
local function caught(ok, ...)
  if ok then return ok, ... end
  return false, words53((...))
end
local rawpcall, xpcall54, resume54 = pcall, grab "xpcall", coroutine.resume
-- Arguments are checked here, as 5.3's C functions do, so a bad one is reported at the caller's line.
do
  local pcall = rawpcall
  rawset(env, "pcall", publish(function(...)
    if select("#", ...) == 0 then argerror(1, "value expected") end
    return caught(pcall(...))
  end, "pcall", "pcall"))
end
-- One wrapped handler per handler function (weak), so a handler called per message allocates nothing.
local handlers53 = setmetatable54({}, { __mode = "k" })
local function handler53(h)
  if type(h) ~= "function" then return h end
  local w = handlers53[h]
  if not w then
    w = function(m) return h(words53(m)) end
    handlers53[h] = w
  end
  return w
end
do
  local xpcall = xpcall54
  rawset(env, "xpcall", publish(function(...)
    local n, f, msgh = select("#", ...), ...
    if type(msgh) ~= "function" then typeerror(2, "function", msgh, n >= 2) end
    return xpcall(f, handler53(msgh), select(3, ...))
  end, "xpcall", "xpcall"))
end
do
  local resume = resume54
  coroutine.resume = publish(function(co, ...)
    if type(co) ~= "thread" then argerror(1, "thread expected") end
    return caught(resume(co, ...))
  end, "resume", "coroutine.resume")
end

-- debug.traceback as 5.3's luaL_traceback writes it, with aos's line numbers for marked runtime lines.
-- Library functions aokit writes in Lua (this file, the pattern guards, require) are C functions on AO:
-- their frames show as [C] under their global name, their helpers' frames and the C functions they call
-- are left out, and a `--@aos N name` mark names the C function called from that line.
local running, nextkey = coroutine.running, grab "next"
local loadedmods = (grab "package").loaded
local clike = { [".patterns"] = true, [".sandbox"] = true }
if getinfo then clike[getinfo(1, "S").source] = true end

-- 5.3 pushglobalfuncname: "mod.key" of the function in package.loaded (two levels deep), "_G." dropped.
local function globalname(fn)
  for modname, mod in nextkey, loadedmods do
    if type(modname) == "string" then
      if rawequal(mod, fn) then return modname end
      if type(mod) == "table" then
        for key, v in nextkey, mod do
          if type(key) == "string" and rawequal(v, fn) then
            if modname == "_G" then return key end
            return modname .. "." .. key
          end
        end
      end
    end
  end
  return nil
end

-- 5.3 pushfuncname; `as`: the name a `--@aos N name` mark gives this (C) frame.
local function funcname(ar, as)
  if as then return sformat("function '%s'", as) end
  local g = globalname(ar.func)
  if g then return sformat("function '%s'", g) end
  if ar.namewhat ~= "" then return sformat("%s '%s'", ar.namewhat, ar.name) end
  if ar.what == "main" then return "main chunk" end
  if ar.what ~= "C" then return sformat("function <%s:%d>", ar.short_src, (aosline(ar.source, ar.linedefined))) end
  return "?"
end

-- The frames of infos[a..b] (raw levels) that exist on AO, in order, each as {ar, kind = "lua" or "C"}. Walked
-- from the caller side: whatever a library implementation (a clike chunk) calls is inside it, so left out.
local function visible(infos, a, b)
  local kinds, inside = {}, false
  for l = b, a, -1 do
    local ar = infos[l]
    if ar then
      if clike[ar.source] then
        if not inside and (published[ar.func] or globalname(ar.func)) then kinds[l] = "C" end
        inside = true
      elseif ar.what == "C" then
        if not inside then kinds[l] = "C" end
      else
        kinds[l] = "lua"
        inside = false
      end
    end
  end
  local out = {}
  for l = a, b do
    if kinds[l] then out[#out + 1] = { infos[l], kinds[l] } end
  end
  return out
end

local function render(out, frames, i)
  local f = frames[i]
  if not f then return end
  local ar, kind = f[1], f[2]
  if kind == "C" then
    local caller, as = frames[i + 1], nil
    if caller then as = select(2, aosline(caller[1].source, caller[1].currentline)) end
    out[#out + 1] = "\n\t[C]: in " .. funcname(ar, as)
  else
    out[#out + 1] = "\n\t" .. ar.short_src .. ":"
    if ar.currentline > 0 then out[#out + 1] = (aosline(ar.source, ar.currentline)) .. ":" end
    out[#out + 1] = " in " .. funcname(ar)
  end
  if ar.istailcall then out[#out + 1] = "\n\t(...tail calls...)" end
end

local LEVELS1, LEVELS2 = 10, 11
-- Raw levels fetched beyond what is shown, for frames that are left out.
local SPARE = 40
local traceback53 = publish(function(...)
  local nargs, co, arg = select("#", ...), nil, 0
  if type((...)) == "thread" then co, arg = (...), 1 end
  if co == running() then co = nil end
  local msg, level = select(arg + 1, ...)
  if msg ~= nil and type(msg) ~= "string" and type(msg) ~= "number" then return msg end
  level = optinteger(arg + 2, level, nargs, co and 0 or 1)
  if level < 0 then level = 0 end
  -- Raw level l counts as 5.3 does (0 is this function on the running thread); frames are read here, not in a
  -- helper, so that getinfo(l + 1) is level l. 5.3 lastlevel: doubling, then bisecting.
  local li, le = 1, 1
  while (co and getinfo(co, le, "") or not co and getinfo(le + 1, "")) do li, le = le, le * 2 end
  while li < le do
    local m = (li + le) // 2
    if (co and getinfo(co, m, "") or not co and getinfo(m + 1, "")) then li = m + 1 else le = m end
  end
  local last = le - 1
  local infos = {}
  local deep = last > level + 2 * SPARE + LEVELS1 + LEVELS2
  local headEnd = deep and level + SPARE + LEVELS1 or last
  for l = 0, headEnd do infos[l] = co and getinfo(co, l, "Slntf") or not co and getinfo(l + 1, "Slntf") end
  if deep then
    for l = last - SPARE - LEVELS2, last do infos[l] = co and getinfo(co, l, "Slntf") or not co and getinfo(l + 1, "Slntf") end
  end
  local head = visible(infos, 0, headEnd)
  local out = { msg ~= nil and (tostring(msg) .. "\n") or "", "stack traceback:" }
  if not deep and #head - 1 - level <= LEVELS1 + LEVELS2 then
    for i = level + 1, #head do render(out, head, i) end
  else
    for i = level + 1, level + LEVELS1 do render(out, head, i) end
    out[#out + 1] = "\n\t..."
    local tail = deep and visible(infos, last - SPARE - LEVELS2, last) or head
    for i = #tail - LEVELS2 + 1, #tail do render(out, tail, i) end
  end
  return concat(out)
end, "traceback", "debug.traceback")
if dbg then dbg.traceback = traceback53 end

-- ipairs honours __ipairs (LUA_COMPAT_IPAIRS)
rawset(env, "ipairs", publish(function(...)
  if select("#", ...) == 0 then argerror(1, "value expected") end
  local t = ...
  local mt = rawmeta(t)
  local h = type(mt) == "table" and rawget(mt, "__ipairs") or nil
  if h ~= nil then
    local f, s, i = h(t)
    return f, s, i
  end
  return ipairs54(t)
end, "ipairs", "ipairs"))

-- 5.3 falls back from __le to `not __lt(b, a)`. Approximation: when a metatable with __lt and
-- no __le is set, we add an __le to it (visible to getmetatable/pairs on the metatable, and not
-- added if __lt is put into the metatable after setmetatable).
local function ordererror(a, b)
  local t1, t2 = typename(a), typename(b)
  if t1 == t2 then return sformat("attempt to compare two %s values", t1) end
  return sformat("attempt to compare %s with %s", t1, t2)
end

local function lefromlt(a, b)
  local h = otherhandler(b, a, "__lt")
  if h == nil then error(ordererror(a, b), 2) end
  return not h(b, a)
end

rawset(env, "setmetatable", publish(function(...)
  local n, t, mt = select("#", ...), ...
  if type(t) ~= "table" then typeerror(1, "table", t, n >= 1) end
  if not (n >= 2 and (mt == nil or type(mt) == "table")) then argerror(2, "nil or table expected") end
  local old = rawmeta(t)
  if type(old) == "table" and rawget(old, "__metatable") ~= nil then
    raise("cannot change a protected metatable")
  end
  if mt ~= nil and rawget(mt, "__lt") ~= nil and rawget(mt, "__le") == nil then
    mt.__le = lefromlt
  end
  return setmetatable54(t, mt)
end, "setmetatable", "setmetatable"))

---------------------------------------------------------------------------------------------
-- utf8 as in 5.3: code points up to 0x10FFFF only, surrogates accepted, no `lax` argument,
-- 5.3's error texts.
---------------------------------------------------------------------------------------------
local LIMITS = { [0] = 0xFF, 0x7F, 0x7FF, 0xFFFF }

local function decode(s, p) -- 5.3 utf8_decode: code point at byte p and the next position
  local c = sbyte(s, p)
  if c < 0x80 then return c, p + 1 end
  local res, count = 0, 0
  while c & 0x40 ~= 0 do
    count = count + 1
    local cc = sbyte(s, p + count) or 0
    if cc & 0xC0 ~= 0x80 then return nil end
    res = (res << 6) | (cc & 0x3F)
    c = c << 1
  end
  res = res | ((c & 0x7F) << (count * 5))
  if count > 3 or res > 0x10FFFF or res <= LIMITS[count] then return nil end
  return res, p + count + 1
end

local function iscont(s, p)
  local c = sbyte(s, p)
  return c ~= nil and c & 0xC0 == 0x80
end

local function posrelat(pos, len)
  if pos >= 0 then return pos end
  if -pos > len then return 0 end
  return len + pos + 1
end

utf8.charpattern = "[\0-\x7F\xC2-\xF4][\x80-\xBF]*"

utf8.char = publish(function(...)
  local n = select("#", ...)
  for i = 1, n do
    local code = checkinteger(i, (select(i, ...)), n)
    if code < 0 or code > 0x10FFFF then argerror(i, "value out of range") end
  end
  local s = utf8char54(...)
  return s
end, "char", "utf8.char")

utf8.codepoint = publish(function(...)
  local n, s, i, j = select("#", ...), ...
  s = checkstring(1, s, n)
  local len = #s
  local posi = posrelat(optinteger(2, i, n, 1), len)
  local pose = posrelat(optinteger(3, j, n, posi), len)
  if posi < 1 then argerror(2, "out of range") end
  if pose > len then argerror(3, "out of range") end
  if posi > pose then return end
  local out, k, p = {}, 0, posi
  while p <= pose do
    local code, nxt = decode(s, p)
    if code == nil then raise("invalid UTF-8 code") end
    k = k + 1
    out[k] = code
    p = nxt
  end
  return tunpack(out, 1, k)
end, "codepoint", "utf8.codepoint")

utf8.len = publish(function(...)
  local n, s, i, j = select("#", ...), ...
  s = checkstring(1, s, n)
  local len = #s
  local posi = posrelat(optinteger(2, i, n, 1), len)
  local posj = posrelat(optinteger(3, j, n, -1), len)
  if not (1 <= posi and posi - 1 <= len) then argerror(2, "initial position out of string") end
  if not (posj - 1 < len) then argerror(3, "final position out of string") end
  if not sfind(s, "[\xF4-\xFF]") then
    -- without these lead bytes 5.4's lax decoder agrees with 5.3's
    local r, at = utf8len54(s, posi, posj, true)
    return r, at
  end
  local count, p = 0, posi
  while p <= posj do
    local _, nxt = decode(s, p)
    if nxt == nil then return nil, p end
    p = nxt
    count = count + 1
  end
  return count
end, "len", "utf8.len")

utf8.offset = publish(function(...)
  local nargs, s, n, i = select("#", ...), ...
  s = checkstring(1, s, nargs)
  n = checkinteger(2, n, nargs)
  local len = #s
  local posi = posrelat(optinteger(3, i, nargs, n >= 0 and 1 or len + 1), len)
  if not (1 <= posi and posi - 1 <= len) then argerror(3, "position out of range") end
  if n == 0 then
    while posi > 1 and iscont(s, posi) do posi = posi - 1 end
    return posi
  end
  if iscont(s, posi) then raise("initial position is a continuation byte") end
  if n < 0 then
    while n < 0 and posi > 1 do
      repeat posi = posi - 1 until not (posi > 1 and iscont(s, posi))
      n = n + 1
    end
  else
    n = n - 1
    while n > 0 and posi - 1 < len do
      repeat posi = posi + 1 until not iscont(s, posi)
      n = n - 1
    end
  end
  if n == 0 then return posi end
  return nil
end, "offset", "utf8.offset")

local function codesiter(s, ctl) -- 5.3 iter_aux
  if type(s) == "number" then s = tostring(s) end
  local len = #s
  local p = (toint(ctl) or 0) - 1 -- 0-based index of the previous character
  if p < 0 then
    p = 0
  elseif p < len then
    p = p + 1
    while iscont(s, p + 1) do p = p + 1 end
  end
  if p >= len then return end
  local code, nxt = decode(s, p + 1)
  if code == nil or iscont(s, nxt) then error("invalid UTF-8 code", 2) end
  return p + 1, code
end

utf8.codes = publish(function(...)
  local n, s = select("#", ...), ...
  checkstring(1, s, n)
  return codesiter, s, 0
end, "codes", "utf8.codes")

---------------------------------------------------------------------------------------------
-- load: text chunks only, and no 5.4-only syntax (spec §5).
---------------------------------------------------------------------------------------------
local BINARY_REFUSED = "binary chunks are not allowed: aokit refuses precompiled bytecode " ..
  "(a sandbox escape); load the source text instead"

-- luaO_chunkid: how Lua prints a chunk name in messages.
local function chunkid(source)
  local z = sfind(source, "\0", 1, true)
  if z then source = ssub(source, 1, z - 1) end
  local first, l = sbyte(source, 1), #source
  if first == 61 then return ssub(source, 2, 60) end -- '='
  if first == 64 then                                 -- '@'
    if l <= 60 then return ssub(source, 2) end
    return "..." .. ssub(source, l - 55)
  end
  local nl = sfind(source, "\n", 1, true)
  if l < 45 and not nl then return '[string "' .. source .. '"]' end
  if nl then l = nl - 1 end
  if l > 45 then l = 45 end
  return '[string "' .. ssub(source, 1, l) .. '..."]'
end

-- Line of byte position pos, counting \n, \r, \r\n and \n\r as one break each (llex.c).
local function lineat(s, pos)
  local line, i = 1, 1
  while true do
    local a = sfind(s, "[\n\r]", i)
    if not a or a >= pos then return line end
    local b = sbyte(s, a + 1)
    if (b == 10 or b == 13) and b ~= sbyte(s, a) and a + 1 < pos then a = a + 1 end
    line = line + 1
    i = a + 1
  end
end

local function longbracket(s, i) -- position after a long bracket opened at i, or nil
  local _, e, eq = sfind(s, "^%[(=*)%[", i)
  if not e then return nil end
  local _, close = sfind(s, "]" .. eq .. "]", e + 1, true)
  return (close or #s) + 1
end

-- Finds the first construct that 5.3's lexer/parser would reject but 5.4 accepts:
-- local attribs (`local x <const>`) and \u{...} escapes above 0x10FFFF.
-- Returns position, message (without the chunk:line: prefix), or nil.
local function scan54(s)
  local i, n = 1, #s
  local state, ltpos, attrib = 0, nil, nil -- 1: after `local`; 2: after a local's name;
  while true do                            -- 3: after `<`; 4: after the attrib name
    i = sfind(s, "[^ \t\n\r\f\v]", i)
    if not i then return nil end
    local c = sbyte(s, i)
    local nextstate = 0
    if c == 45 and sbyte(s, i + 1) == 45 then -- comment
      i = longbracket(s, i + 2) or ((sfind(s, "[\n\r]", i) or n) + 1)
      nextstate = state
    elseif c == 91 and longbracket(s, i) then -- long string
      i = longbracket(s, i)
    elseif c == 34 or c == 39 then -- short string
      local set = c == 34 and '[\\"\n\r]' or "[\\'\n\r]"
      local j = i + 1
      while true do
        local k = sfind(s, set, j)
        if not k then return nil end
        local ck = sbyte(s, k)
        if ck == c then i = k + 1 break end
        if ck ~= 92 then return nil end -- unfinished string: leave it to the parser
        local e = sbyte(s, k + 1)
        if e == 117 and sbyte(s, k + 2) == 123 then -- \u{XXX}
          local r, p = 0, k + 3
          while true do
            local d = sbyte(s, p)
            if not d or not sfind(s, "^%x", p) then break end
            r = r * 16 + tonumber(ssub(s, p, p), 16)
            if r > 0x10FFFF and p > k + 3 then
              return p, "UTF-8 value too large near '" .. ssub(s, i, p) .. "'"
            end
            if r > 0x7FFFFFFF then break end
            p = p + 1
          end
          j = p
        elseif e == 10 or e == 13 then -- escaped line break
          local f = sbyte(s, k + 2)
          j = ((f == 10 or f == 13) and f ~= e) and k + 3 or k + 2
        else
          j = k + 2
        end
      end
    elseif c == 95 or (c >= 65 and c <= 90) or (c >= 97 and c <= 122) then -- name
      local _, e = sfind(s, "^[%w_]*", i + 1)
      local word = ssub(s, i, e)
      if word == "local" then
        nextstate = 1
      elseif state == 1 and word ~= "function" then
        nextstate = 2
      elseif state == 3 then
        nextstate, attrib = 4, word
      end
      i = e + 1
    elseif (c >= 48 and c <= 57) or (c == 46 and sfind(s, "^%d", i + 1)) then -- numeral
      local _, e = sfind(s, "^[%w_%.]*", i)
      while sfind(s, "^[eEpP][%+%-]", e) do _, e = sfind(s, "^[%w_%.]*", e + 2) end
      i = e + 1
    else
      local c2 = sbyte(s, i + 1)
      if c == 60 and state == 2 and c2 ~= 61 and c2 ~= 60 then -- '<' (not '<=' / '<<')
        nextstate, ltpos = 3, i
      elseif c == 62 and state == 4 then -- '>' closes an attrib
        return ltpos, "unexpected symbol near '<' ('<" .. attrib .. ">' is Lua 5.4 syntax; AO runs Lua 5.3)"
      elseif c == 44 and state == 2 then -- ',' continues the list of names
        nextstate = 1
      end
      i = i + 1
    end
    state = nextstate
  end
end

-- Line number in a load error message for this chunkname, or nil.
local function errorline(err, id)
  if type(err) ~= "string" or ssub(err, 1, #id + 1) ~= id .. ":" then return nil end
  return tonumber(err:match("^(%d+):", #id + 2))
end

local function checkSource(src, chunkname)
  if type(src) ~= "string" then return false, "checkSource: source must be a string" end
  local pos, msg = scan54(src)
  if not pos then return true end
  local id = chunkid(chunkname ~= nil and tostring(chunkname) or src)
  return false, sformat("%s:%d: %s", id, lineat(src, pos), msg)
end

local function optstring(arg, v, nargs)
  if v == nil then return nil end
  return checkstring(arg, v, nargs)
end

rawset(env, "load", publish(function(...)
  local nargs, chunk, chunkname, mode, chunkenv = select("#", ...), ...
  mode = optstring(3, mode, nargs)
  local src
  if type(chunk) == "string" or type(chunk) == "number" then
    src = tostring(chunk)
    chunkname = optstring(2, chunkname, nargs) or src
  else
    chunkname = optstring(2, chunkname, nargs) or "=(load)"
    if type(chunk) ~= "function" then typeerror(1, "function", chunk, nargs >= 1) end
    -- a reader function: gather the pieces first, then check the whole text
    local parts = {}
    local ok, err = pcall(function()
      while true do
        local piece = chunk()
        if piece == nil or piece == "" then return end
        if type(piece) ~= "string" and type(piece) ~= "number" then
          error("reader function must return a string", 0)
        end
        parts[#parts + 1] = tostring(piece)
      end
    end)
    if not ok then return nil, err end
    src = concat(parts)
  end
  -- Raised, not returned: `load(string.dump(f))()` must say why it failed, not "attempt to call a nil value".
  if sbyte(src, 1) == 27 then error(BINARY_REFUSED, 2) end
  -- text only (the binary case is refused above); keep a mode without 't' for 5.3's message
  if mode == nil or sfind(mode, "t", 1, true) then mode = "t" end
  local fn, err
  if nargs >= 4 then
    fn, err = load54(src, chunkname, mode, chunkenv)
  else
    fn, err = load54(src, chunkname, mode)
  end
  local pos, msg = scan54(src)
  if not pos then return fn, err end
  local id, line = chunkid(chunkname), lineat(src, pos)
  local errline = fn == nil and errorline(err, id)
  if errline and errline < line then return nil, err end -- an earlier syntax error wins
  return nil, sformat("%s:%d: %s", id, line, msg)
end, "load", "load"))

return { checkSource = checkSource }
