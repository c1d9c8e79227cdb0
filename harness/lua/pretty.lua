-- require('.pretty'): aos's tprint, one "key: value" line per entry (pairs order), nested tables indented
-- by one space per level. Values other than tables, booleans, strings and numbers raise, as on aos.
local pretty = { _version = "0.0.1" }

-- aos's file raises these at its lines 37 (key) and 51 (value); we reproduce the text.
local aosErrors = ... -- aoserrors.lua, handed over by main.lua
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or ".pretty"

local concatenable = aosErrors.concatenable

local function operand(x, line, name)
  if not concatenable(x) then
    error(SRC .. ":" .. line .. ": attempt to concatenate a " .. type(x) .. " value (local '" .. name .. "')", 0)
  end
  return x
end

function pretty.tprint(tbl, indent)
  indent = indent or 0
  local output = ""
  for k, v in pairs(tbl) do
    local head = string.rep(" ", indent) .. operand(k, 37, "k") .. ": "
    if type(v) == "table" then
      output = output .. head .. "\n"
      output = output .. pretty.tprint(v, indent + 1)
    elseif type(v) == "boolean" then
      output = output .. head .. tostring(v) .. "\n"
    else
      output = output .. head .. operand(v, 51, "v") .. "\n"
    end
  end
  return output
end

return pretty
