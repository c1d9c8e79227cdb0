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

