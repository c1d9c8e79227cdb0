-- Dump (global in aos, require('.dump')): serialises a value as readable Lua source, like the lua-dump
-- module aos ships. `Dump(val[, indent = 4[, padding = 0[, filter[, udata]]]])`. Table fields are sorted:
-- number keys first (ascending), then the other keys as written (identifier or ["quoted"] / [true]).
-- With indent 0 everything goes on one line: { [1] = 1, a = "x" }.

local RESERVED = {}
for word in ([[nil true false local function and or not if elseif else for in while until repeat
  break goto return then do end]]):gmatch("%a+") do
  RESERVED[word] = true
end

local IDENTIFIER = "^[a-zA-Z_][a-zA-Z0-9_]*$"

local function keep(v)
  return v
end

-- Field order. Keys of different kinds only order numbers first; false sorts before true.
local function before(a, b)
  if a.kind ~= b.kind then return a.kind == "number" end
  if a.kind == "boolean" then return b.key end
  return a.key < b.key
end

-- `quoted` is how a value is written when not dumped as a table: %q of its text.
local function quoted(v)
  return string.format("%q", tostring(v))
end

local dump_table

-- Text for a value met again while it is still being dumped; the filter may replace it.
local function circular_text(tbl, ref, depth, indent, nest, ctx)
  local val, nodump = ctx.filter(tbl, depth, type(tbl), "circular", tbl, ctx.udata)
  if val ~= nil and val ~= tbl then
    local t = type(val)
    if t == "table" then
      if not nodump then return dump_table(val, depth + 1, indent, nest, ctx) end
      return tostring(val)
    elseif t == "string" then
      return string.format("%q", val)
    elseif t == "number" or t == "boolean" then
      return tostring(val)
    end
    return quoted(val)
  end
  return '"<Circular ' .. ref .. '>"'
end

dump_table = function(tbl, depth, indent, nest, ctx)
  -- tables are tracked by tostring(), so a __tostring metamethod decides what counts as "the same"
  local ref = tostring(tbl)
  if ctx.circular[ref] then return circular_text(tbl, ref, depth, indent, nest, ctx) end

  local fields, n = {}, 0
  local fieldIndent = indent .. nest
  ctx.circular[ref] = true

  for k, v in pairs(tbl) do
    local key, nokdump = ctx.filter(k, depth, type(k), "key", nil, ctx.udata)
    if key ~= nil then
      local val, novdump = ctx.filter(v, depth, type(v), "val", key, ctx.udata)
      if val ~= nil then
        local kind = type(key)
        local sortkey = k -- identifiers sort by the original key
        if kind == "number" or kind == "boolean" then
          sortkey = key
          key = "[" .. tostring(key) .. "]"
        elseif kind == "table" and not nokdump then
          key = "[" .. dump_table(key, depth + 1, fieldIndent, nest, ctx) .. "]"
          sortkey, kind = key, "string"
        elseif kind ~= "string" or RESERVED[key] or not key:match(IDENTIFIER) then
          key = string.format("[%q]", tostring(key))
          sortkey, kind = key, "string"
        end

        local vt = type(val)
        local text
        if vt == "number" or vt == "boolean" then
          text = tostring(val)
        elseif vt == "string" then
          text = novdump and val or string.format("%q", val)
        elseif vt == "table" and not novdump then
          text = dump_table(val, depth + 1, fieldIndent, nest, ctx)
        else
          text = quoted(val)
        end

        n = n + 1
        fields[n] = { kind = kind, key = sortkey, line = fieldIndent .. key .. " = " .. text }
      end
    end
  end

  ctx.circular[ref] = nil
  if n == 0 then return "{}" end
  table.sort(fields, before)
  local lines = {}
  for i = 1, n do lines[i] = fields[i].line end
  return "{" .. ctx.LF .. table.concat(lines, "," .. ctx.LF) .. ctx.LF .. indent .. "}"
end

local function is_uint(v)
  return type(v) == "number" and v < math.huge and v >= 0 and math.floor(v) == v
end

-- `n` spaces the way lua-dump builds them (string.format width, so widths over 99 fail the same way).
local function spaces(n)
  if n > 0 then return string.format("%" .. tostring(n) .. "s", "") end
  return ""
end

local function dump(val, indent, padding, filter, udata)
  if indent == nil then
    indent = 4
  elseif not is_uint(indent) then
    error("indent must be unsigned integer", 2)
  end
  if padding == nil then
    padding = 0
  elseif not is_uint(padding) then
    error("padding must be unsigned integer", 2)
  end
  if filter == nil then
    filter = keep
  elseif type(filter) ~= "function" then
    error("filter must be function", 2)
  end

  local t = type(val)
  if t == "table" then
    local nest = spaces(indent)
    return dump_table(val, 1, spaces(padding), nest, {
      LF = nest == "" and " " or "\n",
      circular = {},
      filter = filter,
      udata = udata,
    })
  end

  local v, nodump = filter(val, 0, t, "val", nil, udata)
  if nodump == true then return tostring(v) end
  return quoted(v)
end

return dump
