-- Handlers: the ordered list of (name, pattern, handle, maxRuns) every message is walked through (spec §1).
local utils = require('.utils')
local diagnostics = require('.diagnostics')
-- The host's side channel (main.lua): while it observes a message, `observed.handlers` lists the handlers run.
local _, observed = ...

local handlers = { _version = "0.0.5" }
handlers.utils = require('.handlers-utils')
handlers.list = {}
handlers.coroutines = {}
handlers.onceNonce = 0

local USAGE = 'Invalid arguments given. Expected: \n'
  .. '\tname : string, '
  .. '\tpattern : Action : string | MsgMatch : table,\n'
  .. '\t\tfunction(msg: Message) : {-1 = break, 0 = skip, 1 = continue},\n'
  .. '\thandle(msg : Message) : void) | Resolver,\n'
  .. '\tMaxRuns? : number | "inf" | nil'

local function indexOf(name)
  for i, h in ipairs(handlers.list) do
    if h.name == name then return i end
  end
  return nil
end

local function checkArgs(name, pattern)
  local kind = type(pattern)
  assert(type(name) == 'string' and (kind == 'function' or kind == 'table' or kind == 'string'), USAGE) --@aos 113
end

-- A table handle maps match specs to functions: the first spec that matches (pairs order) runs.
function handlers.generateResolver(spec)
  return function(msg, env)
    if type(spec) == 'function' then return spec(msg, env) end
    for matchSpec, fn in pairs(spec) do
      if utils.matchesSpec(msg, matchSpec) then return fn(msg, env) end
    end
  end
end

-- (name, handle) uses the name as the Action pattern; (name, pattern, handle[, maxRuns]) otherwise.
local function parse(...)
  local n = select('#', ...)
  local name, pattern, handle, maxRuns = ...
  if n == 2 then return name, name, pattern, nil end
  return name, pattern, handle, maxRuns
end

-- Replaces a same-named handler in place, else inserts at `position` (nil = last).
local function upsert(position, name, pattern, handle, maxRuns)
  checkArgs(name, pattern)
  handle = handlers.generateResolver(handle)
  local i = indexOf(name)
  if i then
    local h = handlers.list[i]
    h.pattern, h.handle, h.maxRuns = pattern, handle, maxRuns
  elseif position then
    table.insert(handlers.list, position, { pattern = pattern, handle = handle, name = name, maxRuns = maxRuns })
  else
    table.insert(handlers.list, { pattern = pattern, handle = handle, name = name, maxRuns = maxRuns })
  end
end

function handlers.add(...)
  upsert(nil, parse(...))
  return #handlers.list
end

function handlers.append(...)
  upsert(nil, parse(...))
end

function handlers.prepend(...)
  upsert(1, parse(...))
end

function handlers.once(...)
  local name, pattern, handle
  if select('#', ...) == 3 then
    name, pattern, handle = ...
  else
    name = "_once_" .. tostring(handlers.onceNonce)
    handlers.onceNonce = handlers.onceNonce + 1
    pattern, handle = ...
  end
  handlers.prepend(name, pattern, handle, 1)
end

-- before/after resolve the position when called, and never check for a duplicate name.
local function insertAt(offset, target)
  assert(type(target) == 'string', 'Handler name MUST be a string')
  local i = indexOf(target)
  return {
    add = function(name, pattern, handle, maxRuns)
      checkArgs(name, pattern)
      handle = handlers.generateResolver(handle)
      if i then
        table.insert(handlers.list, i + offset, { pattern = pattern, handle = handle, name = name, maxRuns = maxRuns })
      end
    end,
  }
end

function handlers.before(target) return insertAt(0, target) end
function handlers.after(target) return insertAt(1, target) end

function handlers.remove(name)
  assert(type(name) == 'string', 'name MUST be string')
  local i = indexOf(name)
  if i then table.remove(handlers.list, i) end
end

-- Await: register a one-shot handler that resumes this coroutine with the matching message.
function handlers.receive(pattern)
  local self = coroutine.running()
  handlers.once(pattern, function(msg)
    local _, ok, err = coroutine.resume(self, msg)
    if not ok then
      diagnostics.coroutineFailed(self)
      error(err)
    end
  end)
  return coroutine.yield(pattern)
end

-- Pattern results: true/"break" stop after running (-1), "continue" runs and goes on (1), else skip (0).
local function resultCode(r)
  local kind = type(r)
  if kind ~= 'number' and kind ~= 'string' and kind ~= 'boolean' then
    error("Pattern result is not valid, it MUST be string, number, or boolean") --@aos 667
  end
  if r == true or r == "break" then return -1 end
  if r == "continue" then return 1 end
  if kind == 'number' then return r end
  return 0
end

function handlers.evaluate(msg, env)
  assert(type(msg) == 'table', 'msg is not valid')
  assert(type(env) == 'table', 'env is not valid')
  local handled = false
  for _, h in ipairs(handlers.list) do
    if h.name ~= "_default" then
      local code = resultCode(utils.matchesSpec(msg, h.pattern))
      if code ~= 0 then
        if code < 0 then handled = true end
        local ran = observed and observed.handlers
        if ran then ran[#ran + 1] = h.name end
        -- xpcall, not pcall: the same error value, and aokit's side channel keeps the stack where it was raised.
        -- `--@aos N`: aos's line for this code (and aos calls pcall there), for tracebacks and error locations.
        local ok, err = xpcall(h.handle, diagnostics.onError, msg, env) --@aos 719 pcall
        if not ok then error(err) end --@aos 723
        -- Removing during the ipairs walk shifts the list: the next handler is skipped for this message (aos quirk).
        if h.maxRuns ~= nil and h.maxRuns ~= "inf" then
          h.maxRuns = h.maxRuns - 1
          if h.maxRuns == 0 then handlers.remove(h.name) end
        end
        if code < 0 then return handled end
      end
    end
  end
  if not handled then
    local i = indexOf("_default")
    if i then handlers.list[i].handle(msg, env) end
  end
  return handled
end

return handlers
