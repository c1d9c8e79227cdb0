-- Table formatting used by aos's print() (require('.stringify')): behaves like aos 2.0.x process/stringify.lua,
-- byte for byte: same ANSI colours, spacing, unescaped strings and quirks (see format).
local stringify = { _version = "0.0.1" }

local colors = {
  red = "\27[31m",
  green = "\27[32m",
  blue = "\27[34m",
  reset = "\27[0m",
}

-- aos's file reports a bad key at its line 183: [string ".stringify"]:183: attempt to concatenate ...
local aosErrors = ... -- aoserrors.lua, handed over by main.lua
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or ".stringify"

-- Values `..` accepts: strings, numbers, and anything whose metatable provides __concat.
local concatenable = aosErrors.concatenable

local function key_text(k)
  if not concatenable(k) then
    error(SRC .. ":183: attempt to concatenate a " .. type(k) .. " value (local 'k')", 0)
  end
  return colors.red .. k .. colors.reset
end

-- Strings: green and quoted, without escaping; everything else: blue tostring().
local function scalar(v)
  if type(v) == "string" then
    return colors.green .. '"' .. v .. '"' .. colors.reset
  end
  return colors.blue .. tostring(v) .. colors.reset
end

-- True when pairs() yields exactly 1, 2, 3... in order, with only number/string values.
function stringify.isSimpleArray(tbl)
  local expected = 1
  for k, v in pairs(tbl) do
    local t = type(v)
    if k ~= expected or (t ~= "number" and t ~= "string") then return false end
    expected = expected + 1
  end
  return true
end

-- Simple arrays print on one line: { 1, "a" }. Otherwise pairs() order is followed; while keys come as
-- 1, 2, 3... items print one per line, and at the first other key aos throws away what it printed so
-- far and prints `key = value` lines (so {1, 2, a = 5} shows only a). Only tables met after that switch
-- are tracked in `visited`; meeting one again makes the whole table print as "<circular reference>".
function stringify.format(tbl, indent, visited)
  indent = indent or 0
  local pad = string.rep(" ", indent)
  local childPad = string.rep(" ", indent + 2)

  if stringify.isSimpleArray(tbl) then
    local items = {}
    for _, v in ipairs(tbl) do items[#items + 1] = scalar(v) end
    return "{ " .. table.concat(items, ", ") .. " }"
  end

  local lines = {}
  local asArray, nextIndex = true, 1
  for k, v in pairs(tbl) do
    if asArray then
      if k == nextIndex then
        nextIndex = nextIndex + 1
        local text = type(v) == "table" and stringify.format(v, indent + 2) or scalar(v)
        lines[#lines + 1] = childPad .. text
      else
        asArray = false
        lines = {}
      end
    end
    if not asArray then
      local text
      if type(v) == "table" then
        visited = visited or {}
        if visited[v] then return "<circular reference>" end
        visited[v] = true
        text = stringify.format(v, indent + 2, visited)
      else
        text = scalar(v)
      end
      lines[#lines + 1] = childPad .. key_text(k) .. " = " .. text
    end
  end

  if asArray then
    return "{\n" .. table.concat(lines, ",\n") .. "\n" .. pad .. " }"
  end
  return "{\n " .. table.concat(lines, ",\n ") .. "\n" .. pad .. "}"
end

return stringify
