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

