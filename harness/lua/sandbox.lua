-- The security boundary on the Lua side: contract code shares _G with the runtime (as on aos), so the
-- host-reaching parts of the standard library are removed here, before any contract code exists.
-- Called once at boot as sandbox(chunks, compat53) and never reachable afterwards.
return function(chunks)
  local G = _G
  G._VERSION = "Lua 5.3"
  local loaded = package.loaded
  local rawError, format = error, string.format

  -- os: only the clock-like functions AO has; os.time is re-bound to the message Timestamp per message.
  local hostOs, hostDebug = os, debug
  local safeOs = { time = hostOs.time, clock = hostOs.clock, date = hostOs.date, difftime = hostOs.difftime }
  -- AO has no environment: os.getenv finds nothing. compat/removed.lua's version adds 5.3's argument errors; the host's C
  -- one is never exposed (it would read the host process's environment).
  local getenv = hostOs.getenv
  if getenv == nil or hostDebug.getinfo(getenv, "S").what == "C" then getenv = function() return nil end end
  safeOs.getenv = getenv
  G.os = safeOs
  G.io = nil
  G.dofile = nil
  G.loadfile = nil

  -- debug: only what cannot read or rewrite another function's upvalues, locals, hooks or the registry.
  -- A numeric level counts from the caller of this wrapper, as it would from the C function.
  local function getinfo(level, ...)
    if type(level) == 'number' and level >= 0 then level = level + 1 end
    local info = hostDebug.getinfo(level, ...)
    if info then
      info.func = nil
      info.activelines = nil
    end
    return info
  end
  G.debug = { traceback = hostDebug.traceback, getinfo = getinfo }

  -- Finalisers run with debug hooks off, so a looping __gc could never be stopped by the compute limit.
  -- Setting a metatable therefore never marks the object for finalisation (the __gc field stays visible).
  local setmetatable54, rawget, rawset, pcall = G.setmetatable, rawget, rawset, pcall
  G.setmetatable = function(t, mt)
    local gc = type(mt) == 'table' and rawget(mt, '__gc')
    if not gc then return setmetatable54(t, mt) end
    rawset(mt, '__gc', nil)
    local ok, result = pcall(setmetatable54, t, mt)
    rawset(mt, '__gc', gc)
    if not ok then rawError(result, 2) end
    return result
  end

  -- package/require: only built-in modules (preload) and modules the process put in package.loaded itself.
  local preload = {}
  for name, chunk in pairs(chunks) do preload[name] = chunk end
  G.package = { loaded = loaded, preload = preload, path = "", cpath = "", config = package.config }
  loaded.io, loaded.os, loaded.debug, loaded.package = nil, safeOs, G.debug, G.package

  G.require = function(name)
    if type(name) ~= 'string' then rawError(format("bad argument #1 to 'require' (string expected, got %s)", type(name)), 2) end
    local module = loaded[name]
    if module ~= nil then return module end
    local loader = preload[name]
    if not loader then
      rawError(format("module '%s' not found: only built-in modules and modules in package.loaded can be required", name), 2)
    end
    local result = loader(name)
    if result == nil then result = true end
    if loaded[name] == nil then loaded[name] = result end
    return loaded[name]
  end
end
