-- A value as plain data, for a host read: walked with raw access only, since reading must never run contract code
-- (metamethods, or globals the contract replaced), so everything it uses is captured when this chunk runs. aokit's
-- runtime runs it at boot; the aos engine sends the same text inside the Eval of each read.
local next, rawget, rawlen, type, tostring, mathtype, huge = next, rawget, rawlen, type, tostring, math.type, math.huge

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

return function(value) return plain(value, {}) end
