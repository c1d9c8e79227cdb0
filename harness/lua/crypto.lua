-- crypto.lua: `require('.crypto')` as aos 2.0.6 ships it (spec §4), with the digests computed on
-- the host. Called as `load(src)(hostDigest)` where hostDigest(alg, hexInput[, opts]) returns the
-- lower-case hex digest (harness/vm/hostCrypto.ts, which reproduces aos's padding quirks).
-- Returns the module table: digest, utils (bit, queue, stream, hex, array), mac.createHmac;
-- cipher, kdf and random are placeholders that raise "not available in aokit".
local hostDigest = ...
assert(type(hostDigest) == "function", "crypto.lua: expected the host digest function")

local assert, type, error, tostring, tonumber, pairs, ipairs, setmetatable = assert, type, error, tostring, tonumber, pairs, ipairs, setmetatable
local sbyte, schar, sformat, sgsub, srep, ssub, spack, sfind = string.byte, string.char, string.format,
  string.gsub, string.rep, string.sub, string.pack, string.find
local concat, insert, tointeger = table.concat, table.insert, math.tointeger
local getmetatable = (debug and debug.getmetatable) or getmetatable
local bit32 = bit32 or (package and package.loaded and package.loaded.bit32)

-- Errors the bundled modules raise on bad input carry their own chunk and line (aos 2.0.6), so we
-- spell them out in full.
local function located(chunk, line, msg)
  error(sformat('[string "%s"]:%d: %s', chunk, line, msg), 0)
end

local function typename(v) -- luaT_objtypename
  local mt = getmetatable(v)
  local n = type(mt) == "table" and mt.__name
  return type(n) == "string" and n or type(v)
end

local function tohex(s)
  local parts = {}
  for i = 1, #s, 4096 do
    local j = i + 4095 < #s and i + 4095 or #s
    parts[#parts + 1] = sformat(srep("%02x", j - i + 1), sbyte(s, i, j))
  end
  return concat(parts)
end

local function fromhex(h)
  return (sgsub(h, "%x%x", function(c) return schar(tonumber(c, 16)) end))
end

local function bytesof(s)
  local t = {}
  for i = 1, #s do t[i] = sbyte(s, i) end
  return t
end

---------------------------------------------------------------------------------------------
-- utils: queue, stream, array, hex, bit (same behaviour as aos's crypto/util/*).
---------------------------------------------------------------------------------------------
local function Queue()
  local items, head, tail = {}, 0, 0
  local q = {}
  q.push = function(obj) items[head] = obj head = head + 1 end
  q.pop = function()
    if tail < head then
      local obj = items[tail]
      items[tail] = nil
      tail = tail + 1
      return obj
    end
    return nil
  end
  q.size = function() return head - tail end
  q.getHead = function() return head end
  q.getTail = function() return tail end
  q.reset = function() items, head, tail = {}, 0, 0 end
  return q
end

local HEX_IN = {}
for i = 0, 255 do
  HEX_IN[sformat("%02X", i)] = i
  HEX_IN[sformat("%02x", i)] = i
end
local HEX_OUT = {}
for i = 0, 255 do HEX_OUT[i] = sformat("%02X", i) end

local function drainTo(stream, f) -- calls f(byte) until the stream returns nil
  local b = stream()
  while b ~= nil do
    f(b)
    b = stream()
  end
end

local Stream = {}
Stream.fromString = function(s)
  local i = 0
  return function()
    i = i + 1
    return sbyte(s, i)
  end
end
Stream.toString = function(stream)
  local out = {}
  drainTo(stream, function(b) out[#out + 1] = schar(b) end)
  return concat(out)
end
Stream.fromArray = function(array) -- stops at the first nil, like aos
  local q, i = Queue(), 1
  while array[i] ~= nil do
    q.push(array[i])
    i = i + 1
  end
  return q.pop
end
Stream.toArray = function(stream)
  local out = {}
  drainTo(stream, function(b) out[#out + 1] = b end)
  return out
end
Stream.fromHex = function(hex)
  local q = Queue()
  for i = 1, #hex / 2 do q.push(HEX_IN[ssub(hex, i * 2 - 1, i * 2)]) end
  return q.pop
end
Stream.toHex = function(stream)
  local out = {}
  drainTo(stream, function(b) out[#out + 1] = HEX_OUT[b] end)
  return concat(out)
end

local Array = {}
Array.size = function(array) return #array end
Array.fromString = function(s) return bytesof(s) end
Array.toString = function(bytes)
  local out, i = {}, 1
  while bytes[i] ~= nil do
    out[i] = schar(bytes[i])
    i = i + 1
  end
  return concat(out)
end
Array.fromStream = function(stream) return Stream.toArray(stream) end
Array.readFromQueue = function(queue, size)
  local out = {}
  for i = 1, size do out[i] = queue.pop() end
  return out
end
Array.writeToQueue = function(queue, array)
  for i = 1, #array do queue.push(array[i]) end
end
Array.toStream = function(array) return Stream.fromArray(array) end
Array.fromHex = function(hex)
  local out = {}
  for i = 1, #hex / 2 do out[i] = HEX_IN[ssub(hex, i * 2 - 1, i * 2)] end
  return out
end
Array.toHex = function(array)
  local out, i = {}, 1
  while array[i] ~= nil do
    out[i] = HEX_OUT[array[i]]
    i = i + 1
  end
  return concat(out)
end
Array.concat = function(a, b)
  local out, n = {}, 0
  for _, src in ipairs({ a, b }) do
    local i = 1
    while src[i] ~= nil do
      n = n + 1
      out[n] = src[i]
      i = i + 1
    end
  end
  return out
end
Array.truncate = function(a, size)
  local out = {}
  for i = 1, size do out[i] = a[i] end
  return out
end
Array.XOR = function(a, b)
  local out = {}
  for k, v in pairs(a) do out[k] = bit32.bxor(v, b[k]) end
  return out
end
Array.substitute = function(input, sbox)
  local out = {}
  for k, v in pairs(input) do out[k] = sbox[v] end
  return out
end
Array.permute = function(input, pbox)
  local out = {}
  for k, v in pairs(pbox) do out[k] = input[v] end
  return out
end
Array.copy = function(input)
  local out = {}
  for k, v in pairs(input) do out[k] = v end
  return out
end
Array.slice = function(input, start, stop)
  local out = {}
  if start == nil then start = 1 elseif start < 0 then start = #input + start + 1 end
  if stop == nil then stop = #input elseif stop < 0 then stop = #input + stop + 1 end
  for i = start, stop do insert(out, input[i]) end
  return out
end

local Hex = {}
Hex.stringToHex = function(s, ln, sep)
  if #s == 0 then return "" end
  if not ln then return tohex(s) end
  sep = sep or ""
  local out = {}
  for i = 1, #s - 1 do out[i] = sformat("%02x%s", sbyte(s, i), (i % ln == 0) and "\n" or sep) end
  out[#s] = sformat("%02x", sbyte(s, #s))
  return concat(out)
end
Hex.hexToString = function(hs, unsafe)
  if not unsafe then
    hs = sgsub(hs, "%s+", "")
    -- aos checks [^0-9A-Za-z] (so "6g" passes and stays as is)
    if sfind(hs, "[^0-9A-Za-z]") or #hs % 2 ~= 0 then located(".crypto.util.hex", 71, "invalid hex string") end
  end
  return (sgsub(hs, "(%x%x)", function(c) return schar(tonumber(c, 16)) end))
end

---------------------------------------------------------------------------------------------
-- digest
---------------------------------------------------------------------------------------------
local function callable(v)
  if type(v) == "function" then return true end
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__call ~= nil
end

-- The bytes a stream yields. aos feeds them to 32-bit word arithmetic; aokit hashes bytes only.
local function readStream(stream, chunk, line)
  if not callable(stream) then located(chunk, line, "attempt to call a " .. typename(stream) .. " value") end
  local out, n = {}, 0
  for b in stream do
    local byte = tointeger(b)
    if type(b) ~= "number" or byte == nil or byte < 0 or byte > 255 then
      error("aokit crypto: digest streams must yield bytes (integers 0-255), got " .. tostring(b), 2)
    end
    n = n + 1
    out[n] = schar(byte)
  end
  return concat(out)
end

local function result(hex, bytesFn)
  local r = {}
  r.asHex = function() return hex end
  r.asString = function() return fromhex(hex) end
  r.asBytes = bytesFn or function() return bytesof(fromhex(hex)) end
  return r
end

-- md2, md4, md5: a stream in, {asBytes, asHex, asString} out.
local function streamDigest(alg, chunk, line)
  return function(stream)
    return result(hostDigest(alg, tohex(readStream(stream, chunk, line))))
  end
end

-- SHA1() / SHA2_256(): the objects aos's sha1/sha2_256 (and HMAC) build. finish() pads what was
-- pushed, so update() after finish() continues from the padded message, as in aos.
local function mdObject(alg, chunk, line, iv)
  return function()
    local pushed, hex = "", iv
    local o = {}
    o.init = function()
      pushed, hex = "", iv
      return o
    end
    o.update = function(stream)
      pushed = pushed .. readStream(stream, chunk, line)
      return o
    end
    o.finish = function()
      hex = hostDigest(alg, tohex(pushed))
      local n = #pushed
      pushed = pushed .. "\128" .. srep("\0", (55 - n) % 64) .. spack(">I8", n * 8)
      return o
    end
    o.asHex = function() return hex end
    o.asString = function() return fromhex(hex) end
    o.asBytes = function() return bytesof(fromhex(hex)) end
    return o
  end
end

local SHA1 = mdObject("sha1", ".crypto.digest.sha1", 221, "67452301efcdab8998badcfe10325476c3d2e1f0")
local SHA2_256 = mdObject("sha2_256", ".crypto.digest.sha2_256", 263,
  "6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19")

-- sha2_512 and the sha3 family take a string (aos takes its length first).
local function checkString(v, chunk, line, tableline, name)
  if type(v) == "string" then return end
  if type(v) == "table" then
    located(chunk, tableline, sformat("attempt to concatenate a table value (local '%s')", name))
  end
  located(chunk, line, sformat("attempt to get length of a %s value (local '%s')", typename(v), name))
end

local function keccak(alg, tableline)
  return function(data)
    checkString(data, ".crypto.digest.sha3", 269, tableline, "buffer")
    local hex = hostDigest(alg, tohex(data))
    local r = result(hex)
    r.asBytes = nil -- aos's sha3 results have asString and asHex only
    return r
  end
end

local function sha2_512(msg)
  checkString(msg, ".crypto.digest.sha2_512", 79, 57, "msg")
  local hex = hostDigest("sha2_512", tohex(msg))
  return result(hex, function() -- aos returns the eight state words as signed integers
    local words = {}
    for i = 0, 7 do words[i + 1] = ((tonumber(ssub(hex, i * 16 + 1, i * 16 + 8), 16) << 32) | tonumber(ssub(hex, i * 16 + 9, i * 16 + 16), 16)) end
    return words
  end)
end

local BLAKE = ".crypto.digest.blake2b"
local function blake2b(data, outlen, key)
  outlen = outlen or 64
  key = key or ""
  if type(key) ~= "string" and type(key) ~= "table" then
    located(BLAKE, 173, sformat("attempt to get length of a %s value (local 'key')", typename(key)))
  end
  if type(outlen) ~= "number" then
    located(BLAKE, 175, sformat("attempt to compare %s with number", typename(outlen)))
  end
  if outlen < 1 or outlen > 64 or #key > 64 then return nil, "illegal parameters" end
  if tointeger(outlen) == nil then
    located(BLAKE, 189, "number (local 'outlen') has no integer representation")
  end
  if type(key) == "table" then
    if #key > 0 then located(BLAKE, 257, "attempt to call a nil value (method 'sub')") end
    key = ""
  end
  if type(data) == "table" then located(BLAKE, 257, "attempt to call a nil value (method 'sub')") end
  if type(data) ~= "string" then
    located(BLAKE, 253, sformat("attempt to get length of a %s value (local 'data')", typename(data)))
  end
  local hex = hostDigest("blake2b", tohex(data), sformat("%d:%s", tointeger(outlen), tohex(key)))
  local chars = {}
  for i = 1, #hex / 2 do chars[i] = schar(tonumber(ssub(hex, i * 2 - 1, i * 2), 16)) end
  return result(hex, function() return chars end) -- aos: the same table of 1-char strings
end

local digest = {
  _version = "0.0.1",
  md2 = streamDigest("md2", ".crypto.digest.md2", 141),
  md4 = streamDigest("md4", ".crypto.digest.md4", 265),
  md5 = streamDigest("md5", ".crypto.digest.md5", 231),
  sha1 = function(stream) return SHA1().update(stream).finish() end,
  sha2_256 = function(stream) return SHA2_256().update(stream).finish() end,
  sha2_512 = sha2_512,
  sha3_256 = keccak("sha3_256", 287),
  sha3_512 = keccak("sha3_512", 287),
  keccak256 = keccak("keccak256", 279),
  keccak512 = keccak("keccak512", 279),
  blake2b = blake2b,
}

---------------------------------------------------------------------------------------------
-- mac.createHmac(dataStream, keyArray[, "sha1"|"sha256"]): aos's HMAC pads keys to 32 bytes
-- (not the 64 of RFC 2104), so its values differ from standard HMAC.
---------------------------------------------------------------------------------------------
local function HMAC()
  local h, blockSize, Digest, inner = {}, 64, nil, nil
  local outerPadding, innerPadding = {}, {}
  h.setBlockSize = function(bytes) blockSize = bytes return h end
  h.setDigest = function(module)
    Digest = module
    inner = Digest()
    return h
  end
  h.setKey = function(key)
    if Digest == nil then error("Digest not set") end
    local keyStream
    if #key > blockSize then
      keyStream = Stream.fromArray(Digest().update(Stream.fromArray(key)).finish().asBytes())
    else
      keyStream = Stream.fromArray(key)
    end
    outerPadding, innerPadding = {}, {}
    for i = 1, blockSize do
      local byte = keyStream() or 0
      outerPadding[i] = bit32.bxor(0x5C, byte)
      innerPadding[i] = bit32.bxor(0x36, byte)
    end
    return h
  end
  h.init = function()
    inner.init().update(Stream.fromArray(innerPadding))
    return h
  end
  h.update = function(stream)
    inner.update(stream)
    return h
  end
  h.finish = function()
    local innerBytes = inner.finish().asBytes()
    inner.init().update(Stream.fromArray(outerPadding)).update(Stream.fromArray(innerBytes)).finish()
    return h
  end
  h.asBytes = function() return inner.asBytes() end
  h.asHex = function() return inner.asHex() end
  h.asString = function() return inner.asString() end
  return h
end

local function createHmac(data, key, algorithm)
  local module
  if algorithm == "sha1" or algorithm == nil then
    module = SHA1
  elseif algorithm == "sha256" then
    module = SHA2_256
  else
    located(".crypto.mac.hmac", 217, "Unsupported algorithm: " .. algorithm)
  end
  return HMAC().setBlockSize(32).setDigest(module).setKey(key).init().update(data).finish()
end

---------------------------------------------------------------------------------------------
-- kdf.pbkdf2(password, salt, iterations, keyLen[, "sha1"|"sha256"]) as aos derives it: HMAC over a 64-byte
-- block, ceil(keyLen / 16) blocks of a whole digest each, then cut to keyLen (aos's block count, kept).
---------------------------------------------------------------------------------------------
local function bigEndianWord(i)
  return { (i >> 24) & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF }
end

local function pbkdf2(password, salt, iterations, keyLen, algorithm)
  local module
  if algorithm == nil or algorithm == "sha1" then
    module = SHA1
  elseif algorithm == "sha256" then
    module = SHA2_256
  else
    error("Unsupported algorithm: " .. algorithm)
  end
  local prf = HMAC().setBlockSize(64).setDigest(module)
  local key = {}
  for block = 1, math.ceil(keyLen / 16) do
    local s = Array.concat(salt, bigEndianWord(block))
    local out
    prf.setKey(password)
    for round = 1, iterations do
      prf.init().update(Stream.fromArray(s))
      s = prf.finish().asBytes()
      out = round > 1 and Array.XOR(out, s) or s
    end
    key = Array.concat(key, out)
  end
  if Array.size(key) > keyLen then key = Array.truncate(key, keyLen) end
  return {
    asBytes = function() return key end,
    asHex = function() return Array.toHex(key) end,
    asString = function() return Array.toString(key) end,
  }
end

---------------------------------------------------------------------------------------------
-- Not implemented in aokit: using them fails loudly instead of silently differing from AO.
---------------------------------------------------------------------------------------------
local function missing(path)
  return setmetatable({}, {
    __index = function(_, k)
      if k == "_version" then return "0.0.1" end
      error("aokit: crypto." .. path .. "." .. tostring(k) .. " is not available in aokit", 2)
    end,
  })
end

return {
  _version = "0.0.1",
  digest = digest,
  utils = { _version = "0.0.1", bit = bit32, queue = Queue, stream = Stream, hex = Hex, array = Array },
  mac = { _version = "0.0.1", createHmac = createHmac },
  cipher = missing("cipher"),
  kdf = { _version = "0.0.1", pbkdf2 = pbkdf2 },
  random = function() error("aokit: crypto.random (ISAAC) is not available in aokit", 2) end,
}
