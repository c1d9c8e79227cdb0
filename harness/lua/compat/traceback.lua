-- debug.traceback as 5.3's luaL_traceback writes it, with aos's line numbers for marked runtime lines.
-- Library functions aokit writes in Lua (the compat files, the pattern guards, require) are C functions on AO:
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

