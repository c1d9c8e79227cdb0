-- Handlers.utils: small pattern and handle builders (spec §1).
local utils = require('.utils')

local hu = { _version = "0.0.2" }

function hu.hasMatchingTag(name, value)
  assert(type(name) == 'string' and type(value) == 'string', 'invalid arguments: (name : string, value : string)')
  return function(msg) return msg.Tags[name] == value end
end

-- Returns the first non-skip result among the values, else 0 (not false: the spec keeps that quirk).
function hu.hasMatchingTagOf(name, values)
  assert(type(name) == 'string' and type(values) == 'table', 'invalid arguments: (name : string, values : string[])')
  return function(msg)
    for _, value in ipairs(values) do
      local r = hu.hasMatchingTag(name, value)(msg)
      if r ~= 0 and r ~= false and r ~= "skip" then return r end
    end
    return 0
  end
end

function hu.hasMatchingData(value)
  assert(type(value) == 'string', 'invalid arguments: (value : string)')
  return function(msg) return msg.Data == value end
end

function hu.reply(input)
  assert(type(input) == 'table' or type(input) == 'string', 'invalid arguments: (input : table or string)')
  return function(msg)
    if type(input) == 'string' then
      msg.reply({ Data = input })
    else
      msg.reply(input)
    end
  end
end

-- Turns a matching pattern (any match spec) into "continue" (1) so later handlers also run.
function hu.continue(pattern)
  return function(msg)
    local r = utils.matchesSpec(msg, pattern)
    if not r or r == 0 or r == "skip" then return r end
    return 1
  end
end

return hu
