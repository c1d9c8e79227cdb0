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

