-- Boot: builds the sandbox, loads the aos runtime, and returns the host entry point.
-- The host functions arrive as this chunk's arguments and stay in locals, out of contract code's reach.
local hostDigest, hostSqlite = ...
local chunks = __aokit_chunks
__aokit_chunks = nil

chunks['.compat53'](_G, __aokit_aoslines)
__aokit_aoslines = nil
chunks['.compat53'] = nil
-- For the host's test tools only (coverage, gas report): built while debug and string.dump are the real ones.
local coverage = chunks['.coverage']()(debug, string.dump, load)
chunks['.coverage'] = nil
-- Handlers.evaluate notes the handlers that ran in `observed.handlers` while the host observes a message.
local observed = {}
local makeHandlers = chunks['.handlers']
chunks['.handlers'] = function(name) return makeHandlers(name, observed) end
-- Pattern matching runs in C, out of the instruction hook's reach: guard it (before debug is restricted).
local patterns = chunks['.patterns']()
chunks['.patterns'] = nil
patterns.install(string)
local resetPatternBudget = patterns.resetBudget
local makeCrypto = chunks['.crypto']
chunks['.crypto'] = function() return makeCrypto(hostDigest) end
local setUpSandbox = chunks['.sandbox']()
chunks['.sandbox'] = nil
-- lsqlite3 is reachable only as require('lsqlite3'), and only in processes of the aos-sqlite module.
local sqlite = chunks['.lsqlite3'](hostSqlite)
chunks['.lsqlite3'] = nil
chunks['lsqlite3'] = sqlite.loader
-- Reads walk values with raw access only, never running contract code.
local plain = chunks['.plain']()
chunks['.plain'] = nil
-- The libraries that raise errors at aos's line numbers share one helper, handed to them as their chunk argument.
local aosErrors = chunks['.aoserrors']()
chunks['.aoserrors'] = nil
for _, name in ipairs({ '.bint', '.utils', '.pretty', '.stringify' }) do
  local make = chunks[name]
  chunks[name] = function(...) return make(aosErrors, ...) end
end
setUpSandbox(chunks)

local json = require('json')
local process = require('.process')
package.loaded['ao'] = ao
for _, name in ipairs({ '.bint', '.crypto', '.base64', '.pretty', '.utils', '.handlers-utils', '.eval', '.default', '.boot', '.chance' }) do
  require(name)
end
local encode = json.encode
local pcall, tostring = pcall, tostring

local ops = {}

-- One message through process.handle; an evaluation that throws becomes {Error = thrown} as the CU does.
-- The host passes the message and env as ready-made tables.
function ops.handle(message, env, withSqlite)
  sqlite.enable(withSqlite)
  local ok, result = pcall(process.handle, message, env)
  if not ok then return { Error = tostring(result) } end
  return result
end

local rawget, type = rawget, type

-- A global by dotted path (`Balances`, `ao.id`) as {value = …}; the host reads it without sending a message.
function ops.read(path)
  local value = _G
  for key in tostring(path):gmatch("[^.]+") do
    if type(value) ~= 'table' then return { value = nil } end
    value = rawget(value, key)
  end
  return { value = plain(value) }
end

-- Observing a message (ProcessVm.observe): arm before `handle`, read after it. Never part of a result.
function ops.observe(withCoverage)
  observed.handlers = {}
  if withCoverage then coverage.start() end
end

function ops.observed()
  local report = { handlers = observed.handlers or {}, functions = coverage.stop() }
  observed.handlers = nil
  return report
end

-- The hex bytecode of an Eval's code, for the host to know a file's functions (see coverage.lua).
function ops.chunk(code)
  return { hex = coverage.chunk(code) }
end

-- The host's copies of changed databases (base64), kept in the state so a process image carries them.
ops.sqliteSave = sqlite.save
ops.sqliteLoad = sqlite.load

-- JSON text of a value, for the host when its own reader cannot vouch for the value (see LuaVm.callValue).
local function toJson(value)
  local ok, text = pcall(encode, value)
  if not ok then return encode({ Error = "result is not JSON: " .. tostring(text) }) end
  return text
end

-- Ops return plain Lua values; the host reads them off the stack, or asks for `encode` when it cannot.
return function(op, ...)
  if op == 'encode' then return toJson(...) end
  resetPatternBudget()
  local handler = ops[op]
  if not handler then return { Error = "unknown op " .. tostring(op) } end
  return handler(...)
end
