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

