-- compat/*.lua, joined in COMPAT_FILES order (runtimeImage.ts) into one chunk, .compat53; this file comes first.
-- Makes wasmoon's Lua 5.4 behave like AO's Lua 5.3 (LUA_COMPAT_5_2). Spec: /work/shared/specs/aos-runtime.md §5 (§4: bit32).
-- Called once at sandbox set-up as `load(src)(env)`; mutates `env`, its library tables and the shared string
-- metatable. Later files use this one's locals (grab, publish, argerror…). Returns { checkSource = fn(src, chunkname) -> ok, err }.
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

