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

return function(op, ...)
  resetPatternBudget()
  local handler = ops[op]
  if not handler then return encode({ Error = "unknown op " .. tostring(op) }) end
  local result = handler(...)
  local ok, text = pcall(encode, result)
  if not ok then return encode({ Error = "result is not JSON: " .. tostring(text) }) end
  return text
end
