-- Base64 for the aos runtime (require('.base64')): behaves like lbase64 1.5.3 as aos ships it, including
-- custom alphabets (makeencoder/makedecoder) and its lenient decoding: characters outside the alphabet are
-- dropped and '=' inside the data decodes as the value 64.
local base64 = {}

-- Errors raised by aos's copy carry its line numbers ([string ".base64"]:281: ...); we raise the same text.
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or ".base64"
local function fail(line, msg)
  error(SRC .. ":" .. line .. ": " .. msg, 0)
end
local NIL_ARITH = "attempt to perform arithmetic on a nil value (field '?')"

local ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
local char, byte, concat = string.char, string.byte, table.concat

-- code (0..63, 64 = padding) -> character byte
function base64.makeencoder(s62, s63, spad)
  local symbols = {}
  for i = 1, 62 do symbols[i - 1] = ALPHABET:sub(i, i) end
  symbols[62], symbols[63], symbols[64] = s62 or "+", s63 or "/", spad or "="
  -- insertion order 1..64 then 0, as aos builds it (it decides which code wins a duplicated symbol)
  local encoder = {}
  for code = 1, 64 do encoder[code] = symbols[code]:byte() end
  encoder[0] = symbols[0]:byte()
  return encoder
end

-- character byte -> code
function base64.makedecoder(s62, s63, spad)
  local encoder = base64.makeencoder(s62, s63, spad)
  local decoder = {}
  for code = 1, 64 do decoder[encoder[code]] = code end
  decoder[encoder[0]] = 0
  return decoder
end

local DEFAULT_ENCODER = base64.makeencoder()
local DEFAULT_DECODER = base64.makedecoder()

-- `usecaching` only memoised groups in aos; the output is the same without it.
function base64.encode(str, encoder)
  encoder = encoder or DEFAULT_ENCODER
  local out, k, n = {}, 0, #str
  local tail = n % 3
  for i = 1, n - tail, 3 do
    local a, b, c = byte(str, i, i + 2)
    local v = (a << 16) | (b << 8) | c
    k = k + 1
    out[k] = char(encoder[v >> 18], encoder[(v >> 12) & 63], encoder[(v >> 6) & 63], encoder[v & 63])
  end
  if tail == 2 then
    local a, b = byte(str, n - 1, n)
    local v = (a << 16) | (b << 8)
    out[k + 1] = char(encoder[v >> 18], encoder[(v >> 12) & 63], encoder[(v >> 6) & 63], encoder[64])
  elseif tail == 1 then
    local v = byte(str, n) << 16
    out[k + 1] = char(encoder[v >> 18], encoder[(v >> 12) & 63], encoder[64], encoder[64])
  end
  return concat(out)
end

-- Like aos: the input is not validated; a length that is not a multiple of four fails on the missing
-- bytes, with the error aos reports.
function base64.decode(b64, decoder, usecaching)
  decoder = decoder or DEFAULT_DECODER
  local s62, s63
  for charcode, code in pairs(decoder) do
    if code == 62 then
      s62 = charcode
    elseif code == 63 then
      s63 = charcode
    end
  end
  b64 = b64:gsub(("[^%%w%%%s%%%s%%=]"):format(char(s62), char(s63)), "")
  local out, k = {}, 0
  local n = #b64
  local padding = b64:sub(-2) == "==" and 2 or b64:sub(-1) == "=" and 1 or 0
  local whole = padding > 0 and n - 4 or n
  for i = 1, whole, 4 do
    local a, b, c, d = byte(b64, i, i + 3)
    if usecaching and not (a and b and c and d) then
      -- aos's caching path first does arithmetic on the raw bytes
      local missing = (not a and "a") or (not b and "b") or (not c and "c") or "d"
      fail(265, "attempt to perform arithmetic on a nil value (local '" .. missing .. "')")
    end
    local da, db, dc, dd = decoder[a], decoder[b], decoder[c], decoder[d]
    if not (da and db and dc and dd) then fail(usecaching and 271 or 281, NIL_ARITH) end
    local v = da * 0x40000 + db * 0x1000 + dc * 0x40 + dd
    k = k + 1
    out[k] = char((v >> 16) & 255, (v >> 8) & 255, v & 255)
  end
  if padding == 1 then
    local a, b, c = byte(b64, n - 3, n - 1)
    local da, db, dc = decoder[a], decoder[b], decoder[c]
    if not (da and db and dc) then fail(297, NIL_ARITH) end
    local v = da * 0x40000 + db * 0x1000 + dc * 0x40
    out[k + 1] = char((v >> 16) & 255, (v >> 8) & 255)
  elseif padding == 2 then
    local a, b = byte(b64, n - 3, n - 2)
    local da, db = decoder[a], decoder[b]
    if not (da and db) then fail(305, NIL_ARITH) end
    local v = da * 0x40000 + db * 0x1000
    out[k + 1] = char((v >> 16) & 255)
  end
  return concat(out)
end

return base64
