-- Utils for the aos runtime (global `Utils`, require('.utils')): behaves like aos 2.0.x process/utils.lua,
-- quirks included (curried helpers forward only the first of several early arguments, reduce restarts from
-- the next element whenever the accumulator is nil, patterns are lower-cased before matching).
local utils = { _version = "0.0.5" }

-- aos raises these errors (asserts included) from its own file, so messages carry its line numbers:
-- [string ".utils"]:445: ... We reproduce the text when loaded under the chunk name ".utils".
local aosErrors = ... -- aoserrors.lua, handed over by main.lua
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or ".utils"
local fail, check = aosErrors.at(SRC)

-- string.lower(value or "") with the error aos gets for values that are neither strings nor numbers.
local function lower_value(value, line)
  local v = value or ""
  local t = type(v)
  if t ~= "string" and t ~= "number" then
    fail(line, "bad argument #1 to 'lower' (string expected, got " .. t .. ")")
  end
  return string.lower(v)
end

-- Any of ^$()%.[]*+? makes a string pattern a Lua pattern rather than a plain (case-insensitive) value.
local MAGIC = "[%^%$%(%)%%%.%[%]%*%+%?]"

function utils.matchesPattern(pattern, value, msg)
  if not pattern then return false end
  if pattern == "_" then return true end
  local kind = type(pattern)
  if kind == "function" then
    return pattern(value, msg) and true or false
  end
  if kind == "string" then
    if string.find(pattern, MAGIC) then
      -- both sides are lower-cased, so "%D" behaves like "%d" exactly as on aos
      local subject = lower_value(value, 105)
      local ok, found = pcall(string.match, subject, string.lower(pattern))
      if not ok then fail(105, found) end -- e.g. malformed pattern, reported at aos's line
      if found then return true end
    elseif lower_value(value, 115) == string.lower(pattern) then
      return true
    end
  end
  if kind == "table" then
    for _, sub in pairs(pattern) do
      if utils.matchesPattern(sub, value, msg) then return true end
    end
  end
  return false
end

function utils.matchesSpec(msg, spec)
  local kind = type(spec)
  if kind == "function" then
    return spec(msg)
  end
  if kind == "table" then
    for key, pattern in pairs(spec) do
      local top = msg[key]
      local tag = msg.Tags and msg.Tags[key]
      if not top and not tag then return false end
      -- both candidates are always tested (a function pattern runs twice), as in aos
      local topOk = utils.matchesPattern(pattern, top, msg)
      local tagOk = utils.matchesPattern(pattern, tag, msg)
      if not topOk and not tagOk then return false end
    end
    return true
  end
  if kind == "string" and msg.Action and msg.Action == spec then
    return true
  end
  return false
end

-- Tag-name normalisation aos applies to every incoming key: my_tag / MY-TAG -> My-Tag.
function utils.normalize(str)
  if type(str) ~= "string" then return str end
  local out = str:gsub("_", "-")
  out = out:lower()
  out = out:gsub("^%l", string.upper)
  out = out:gsub("%-(%l)", function(c) return "-" .. c:upper() end)
  return out
end

function utils.capitalize(str)
  if type(str) ~= "string" or str == "" then return str end
  return str:sub(1, 1):upper() .. str:sub(2):lower()
end

-- aos's notion of an array: only positive integral number keys, and the largest equals #t.
local function isArray(t)
  if type(t) ~= "table" then return false end
  local top = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or math.floor(k) ~= k then return false end
    top = math.max(top, k)
  end
  return top == #t
end

-- Curry to `arity` (default: the declared parameter count). Like aos, when fewer arguments than needed
-- arrive, only the FIRST of them is carried forward: reduce(f, 0)(t) loses the 0.
function utils.curry(fn, arity)
  check(type(fn) == "function", 345, "function is required as first argument")
  arity = arity or debug.getinfo(fn, "u").nparams
  if arity < 2 then return fn end
  return function(...)
    local args = { ... }
    local got = #args
    if got >= arity then
      return fn(table.unpack(args))
    end
    local first = args[1]
    return utils.curry(function(...) return fn(first, ...) end, arity - got)
  end
end

utils.concat = utils.curry(function(a, b)
  check(type(a) == "table", 395, "first argument should be a table that is an array")
  check(type(b) == "table", 397, "second argument should be a table that is an array")
  check(isArray(a), 399, "first argument should be a table")
  check(isArray(b), 401, "second argument should be a table")
  local out = {}
  for i = 1, #a do out[#out + 1] = a[i] end
  for i = 1, #b do out[#out + 1] = b[i] end
  return out
end, 2)

utils.reduce = utils.curry(function(fn, initial, t)
  check(type(fn) == "function", 443, "first argument should be a function that accepts (result, value, key)")
  check(type(t) == "table" and isArray(t), 445, "third argument should be a table that is an array")
  local acc = initial
  for k, v in pairs(t) do
    if acc == nil then
      acc = v
    else
      acc = fn(acc, v, k)
    end
  end
  return acc
end, 3)

utils.map = utils.curry(function(fn, data)
  check(type(fn) == "function", 485, "first argument should be a unary function")
  check(type(data) == "table" and isArray(data), 487, "second argument should be an Array")
  return utils.reduce(function(out, v, k)
    out[k] = fn(v, k)
    return out
  end, {}, data)
end, 2)

utils.filter = utils.curry(function(fn, data)
  check(type(fn) == "function", 523, "first argument should be a unary function")
  check(type(data) == "table" and isArray(data), 525, "second argument should be an Array")
  return utils.reduce(function(out, v)
    if fn(v) then table.insert(out, v) end
    return out
  end, {}, data)
end, 2)

utils.find = utils.curry(function(fn, t)
  check(type(fn) == "function", 565, "first argument should be a unary function")
  check(type(t) == "table", 567, "second argument should be a table that is an array")
  for _, v in pairs(t) do
    if fn(v) then return v end
  end
end, 2)

utils.propEq = utils.curry(function(propName, value, object)
  check(type(propName) == "string", 601, "first argument should be a string")
  check(type(value) == "string", 603, "second argument should be a string")
  check(type(object) == "table", 605, "third argument should be a table<object>")
  return object[propName] == value
end, 3)

function utils.reverse(data)
  check(type(data) == "table", 629, "argument needs to be a table that is an array")
  return utils.reduce(function(out, v, i)
    out[#data - i + 1] = v
    return out
  end, {}, data)
end

-- Right to left: compose(f, g)(x) == f(g(x)).
utils.compose = utils.curry(function(...)
  local steps = utils.reverse({ ... })
  return function(v)
    local result = v
    for _, fn in pairs(steps) do
      check(type(fn) == "function", 675, "each argument needs to be a function")
      result = fn(result)
    end
    return result
  end
end, 2)

utils.prop = utils.curry(function(propName, object)
  return object[propName]
end, 2)

utils.includes = utils.curry(function(val, t)
  check(type(t) == "table", 727, "argument needs to be a table")
  check(isArray(t), 729, "argument should be a table that is an array")
  return utils.find(function(v) return v == val end, t) ~= nil
end, 2)

function utils.keys(t)
  check(type(t) == "table", 749, "argument needs to be a table")
  local out = {}
  for k in pairs(t) do table.insert(out, k) end
  return out
end

function utils.values(t)
  check(type(t) == "table", 777, "argument needs to be a table")
  local out = {}
  for _, v in pairs(t) do table.insert(out, v) end
  return out
end

return utils
