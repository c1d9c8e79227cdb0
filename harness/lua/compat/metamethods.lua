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

