-- JSON for the aos runtime: behaves like the rxi-style json.lua that aos 2.0.x ships (require "json").
-- Encode: a table is an array when it has [1] or is empty; object keys must be strings; function values
-- in objects are skipped; numbers use "%.14g". Decode: numbers go through tonumber, so "5" stays an integer.
local json = { _version = "0.2.0" }

-- aos reports errors from this file with its own line numbers ([string "json"]:91: ...). We raise the
-- same text so error results match the real module byte for byte when loaded under the chunk name "json".
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or "json"
local function fail(line, msg)
  error(SRC .. ":" .. line .. ": " .. msg, 0)
end

---------------------------------------------------------------------------
-- Encoding
---------------------------------------------------------------------------

-- Characters that get a short escape; every other control character becomes \u00XX (lower-case hex).
local SHORT_ESCAPES = {
  ["\\"] = "\\\\", ['"'] = '\\"', ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function escape(c)
  return SHORT_ESCAPES[c] or string.format("\\u%04x", c:byte())
end

local function encode_string(s)
  -- parenthesised: gsub's second result (the count) must not leak into the concatenation
  return '"' .. (s:gsub('[%z\1-\31\\"]', escape)) .. '"'
end

local function encode_number(n)
  if n ~= n or n <= -math.huge or n >= math.huge then
    fail(149, "unexpected number value '" .. tostring(n) .. "'")
  end
  return string.format("%.14g", n)
end

local encode_value -- forward declaration: tables recurse into it

local function encode_array(t, seen)
  local count = 0
  for k in pairs(t) do
    if type(k) ~= "number" then fail(83, "invalid table: mixed or invalid key types") end
    count = count + 1
  end
  local len = #t
  if count ~= len then fail(91, "invalid table: sparse array") end
  local parts = {}
  for i = 1, len do parts[i] = encode_value(t[i], seen) end
  return "[" .. table.concat(parts, ",") .. "]"
end

local function encode_object(t, seen)
  local parts, n = {}, 0
  for k, v in pairs(t) do
    if type(k) ~= "string" then fail(111, "invalid table: mixed or invalid key types") end
    if type(v) ~= "function" then
      n = n + 1
      parts[n] = encode_string(k) .. ":" .. encode_value(v, seen)
    end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local function encode_table(t, seen)
  seen = seen or {}
  if seen[t] then fail(65, "circular reference") end
  seen[t] = true
  local out
  if rawget(t, 1) ~= nil or next(t) == nil then
    out = encode_array(t, seen)
  else
    out = encode_object(t, seen)
  end
  seen[t] = nil -- a table may appear twice as long as it does not contain itself
  return out
end

local ENCODERS = {
  ["nil"] = function() return "null" end,
  ["boolean"] = tostring,
  ["number"] = encode_number,
  ["string"] = encode_string,
  ["table"] = encode_table,
}

encode_value = function(v, seen)
  local t = type(v)
  local f = ENCODERS[t]
  if not f then fail(183, "unexpected type '" .. t .. "'") end
  return f(v, seen)
end

function json.encode(value)
  return (encode_value(value))
end

---------------------------------------------------------------------------
-- Decoding
---------------------------------------------------------------------------

local WS = "[^ \t\r\n]"           -- first non-whitespace
local DELIM = "[ \t\r\n%]},]"      -- end of a number or literal

local function skip_ws(str, i)
  return str:find(WS, i) or #str + 1
end

local function token_end(str, i)
  return str:find(DELIM, i) or #str + 1
end

-- Position in rxi terms: columns count bytes, a newline starts column 1 of the next line.
local function decode_error(str, idx, msg)
  local line, last_nl = 1, 0
  local prefix = str:sub(1, idx - 1)
  for pos in prefix:gmatch("()\n") do
    line = line + 1
    last_nl = pos
  end
  fail(261, string.format("%s at line %d col %d", msg, line, idx - last_nl))
end

local function utf8_bytes(n)
  local floor = math.floor
  if n <= 0x7f then
    return string.char(n)
  elseif n <= 0x7ff then
    return string.char(floor(n / 64) + 192, n % 64 + 128)
  elseif n <= 0xffff then
    return string.char(floor(n / 4096) + 224, floor(n % 4096 / 64) + 128, n % 64 + 128)
  elseif n <= 0x10ffff then
    return string.char(floor(n / 262144) + 240, floor(n % 262144 / 4096) + 128,
      floor(n % 4096 / 64) + 128, n % 64 + 128)
  end
  fail(293, string.format("invalid unicode codepoint '%x'", n))
end

-- `hex` is "XXXX" or a surrogate pair "DXXX\uXXXX"; like rxi, the pair formula is applied to any
-- \uD8xx-\uDBxx followed by another \u escape, whatever the second one is.
local function unicode_escape(hex)
  local hi = tonumber(hex:sub(1, 4), 16)
  local lo = tonumber(hex:sub(7, 10), 16)
  if lo then
    return utf8_bytes((hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000)
  end
  return utf8_bytes(hi)
end

local SIMPLE_UNESCAPE = {
  ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t",
}

local function parse_string(str, start)
  local parts, n = {}, 0
  local chunk_from = start + 1
  local j = chunk_from
  while true do
    j = str:find('[%z\1-\31"\\]', j)
    if not j then break end
    local c = str:byte(j)
    if c < 32 then
      decode_error(str, j, "control character in string")
    elseif c == 34 then -- closing quote
      n = n + 1
      parts[n] = str:sub(chunk_from, j - 1)
      return table.concat(parts), j + 1
    else -- backslash
      n = n + 1
      parts[n] = str:sub(chunk_from, j - 1)
      j = j + 1
      local e = str:sub(j, j)
      if e == "u" then
        local hex = str:match("^[dD][89aAbB]%x%x\\u%x%x%x%x", j + 1)
          or str:match("^%x%x%x%x", j + 1)
          or decode_error(str, j - 1, "invalid unicode escape in string")
        n = n + 1
        parts[n] = unicode_escape(hex)
        j = j + #hex
      else
        local plain = SIMPLE_UNESCAPE[e]
        if not plain then decode_error(str, j - 1, "invalid escape char '" .. e .. "' in string") end
        n = n + 1
        parts[n] = plain
      end
      j = j + 1
      chunk_from = j
    end
  end
  decode_error(str, start, "expected closing quote for string")
end

local function parse_number(str, i)
  local stop = token_end(str, i)
  local text = str:sub(i, stop - 1)
  local n = tonumber(text) -- integers stay integers, as on aos's Lua 5.3
  if not n then decode_error(str, i, "invalid number '" .. text .. "'") end
  return n, stop
end

local LITERALS = { ["true"] = true, ["false"] = false, ["null"] = nil }
local IS_LITERAL = { ["true"] = true, ["false"] = true, ["null"] = true }

local function parse_literal(str, i)
  local stop = token_end(str, i)
  local word = str:sub(i, stop - 1)
  if not IS_LITERAL[word] then decode_error(str, i, "invalid literal '" .. word .. "'") end
  return LITERALS[word], stop
end

local parse_value -- forward declaration

local function parse_array(str, i)
  local res, n = {}, 0
  i = i + 1
  while true do
    i = skip_ws(str, i)
    if str:sub(i, i) == "]" then
      i = i + 1
      break
    end
    local v
    v, i = parse_value(str, i)
    n = n + 1
    res[n] = v -- null leaves a hole, as in rxi
    i = skip_ws(str, i)
    local c = str:sub(i, i)
    i = i + 1
    if c == "]" then break end
    if c ~= "," then decode_error(str, i, "expected ']' or ','") end
  end
  return res, i
end

local function parse_object(str, i)
  local res = {}
  i = i + 1
  while true do
    i = skip_ws(str, i)
    if str:sub(i, i) == "}" then
      i = i + 1
      break
    end
    if str:sub(i, i) ~= '"' then decode_error(str, i, "expected string for key") end
    local key, v
    key, i = parse_value(str, i)
    i = skip_ws(str, i)
    if str:sub(i, i) ~= ":" then decode_error(str, i, "expected ':' after key") end
    i = skip_ws(str, i + 1)
    v, i = parse_value(str, i)
    res[key] = v
    i = skip_ws(str, i)
    local c = str:sub(i, i)
    i = i + 1
    if c == "}" then break end
    if c ~= "," then decode_error(str, i, "expected '}' or ','") end
  end
  return res, i
end

local PARSERS = {
  ['"'] = parse_string, ["-"] = parse_number,
  ["t"] = parse_literal, ["f"] = parse_literal, ["n"] = parse_literal,
  ["["] = parse_array, ["{"] = parse_object,
}
for d = 0, 9 do PARSERS[tostring(d)] = parse_number end

parse_value = function(str, i)
  local c = str:sub(i, i)
  local f = PARSERS[c]
  if not f then decode_error(str, i, "unexpected character '" .. c .. "'") end
  return f(str, i)
end

function json.decode(str)
  if type(str) ~= "string" then
    fail(597, "expected argument of type string, got " .. type(str))
  end
  local res, i = parse_value(str, skip_ws(str, 1))
  i = skip_ws(str, i)
  if i <= #str then decode_error(str, i, "trailing garbage") end
  return res
end

return json
