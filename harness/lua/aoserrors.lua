-- Errors raised as aos raises them from its own library files ("[string ".bint"]:2383: attempt to divide by zero"):
-- at aos's line numbers, whatever line of aokit's file raises them. Shared by the libraries that reproduce them;
-- main.lua hands it to them, so it is not a module contract code can require.
local error, getmetatable, type = error, getmetatable, type

local aosErrors = {}

-- fail(line, msg) and check(cond, line, msg) for the library whose chunk name is `src`.
function aosErrors.at(src)
  local function fail(line, msg)
    error(src .. ":" .. line .. ": " .. msg, 0)
  end
  local function check(cond, line, msg)
    if not cond then fail(line, msg) end
  end
  return fail, check
end

-- Values `..` accepts: strings, numbers, and anything whose metatable provides __concat.
function aosErrors.concatenable(x)
  local t = type(x)
  if t == "string" or t == "number" then return true end
  local mt = getmetatable(x)
  return type(mt) == "table" and mt.__concat ~= nil
end

return aosErrors
