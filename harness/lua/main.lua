-- Boot: builds the sandbox, loads the aos runtime, and returns the host entry point.
-- The host functions arrive as this chunk's arguments and stay in locals, out of contract code's reach.
local hostDigest = ...
local chunks = __aokit_chunks
__aokit_chunks = nil

chunks['.compat53'](_G)
chunks['.compat53'] = nil
-- Pattern matching runs in C, out of the instruction hook's reach: guard it (before debug is restricted).
local patterns = chunks['.patterns']()
chunks['.patterns'] = nil
patterns.install(string)
local resetPatternBudget = patterns.resetBudget
local makeCrypto = chunks['.crypto']
chunks['.crypto'] = function() return makeCrypto(hostDigest) end
local setUpSandbox = chunks['.sandbox']()
chunks['.sandbox'] = nil
setUpSandbox(chunks)

local json = require('json')
local process = require('.process')
package.loaded['ao'] = ao
for _, name in ipairs({ '.bint', '.crypto', '.base64', '.pretty', '.utils', '.handlers-utils', '.eval', '.default', '.boot' }) do
  require(name)
end
local encode = json.encode
local pcall, tostring = pcall, tostring

local ops = {}

-- One message through process.handle; an evaluation that throws becomes {Error = thrown} as the CU does.
-- The host passes the message and env as ready-made tables.
function ops.handle(message, env)
  local ok, result = pcall(process.handle, message, env)
  if not ok then return { Error = tostring(result) } end
  return result
end

-- A value as plain data, walked with raw access only: reading must never run contract code (metamethods, or
-- globals the contract replaced), so everything it uses is captured here at boot.
local next, rawget, rawlen, type, mathtype, huge = next, rawget, rawlen, type, math.type, math.huge

local function keyName(k)
  local kind = type(k)
  if kind == 'string' then return k end
  if kind == 'number' or kind == 'boolean' then return tostring(k) end
  return "<" .. kind .. ">"
end

local function plain(value, seen)
  local kind = type(value)
  if kind == 'number' and (value ~= value or value == huge or value == -huge) then return tostring(value) end
  if kind == 'function' or kind == 'thread' or kind == 'userdata' then return "<" .. kind .. ">" end
  if kind ~= 'table' then return value end
  if seen[value] then return "<cycle>" end
  seen[value] = true
  local count, array = 0, true
  for k in next, value do
    count = count + 1
    if mathtype(k) ~= 'integer' or k < 1 then array = false end
  end
  local out = {}
  if array and count == rawlen(value) then
    for i = 1, count do out[i] = plain(rawget(value, i), seen) end
  else
    for k, v in next, value do out[keyName(k)] = plain(v, seen) end
  end
  seen[value] = nil
  return out
end

-- A global by dotted path (`Balances`, `ao.id`) as {value = …}; the host reads it without sending a message.
function ops.read(path)
  local value = _G
  for key in tostring(path):gmatch("[^.]+") do
    if type(value) ~= 'table' then return { value = nil } end
    value = rawget(value, key)
  end
  return { value = plain(value, {}) }
end

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
