-- Fixed-width big integers for the aos runtime: `require('.bint')(256)` returns a class that behaves like
-- lua-bint 0.5.1 (the version aos 2.0.x ships). Values wrap around at the chosen width using two's
-- complement; mixing with a Lua float falls back to float arithmetic; `/` and `^` always give floats.
--
-- Representation (kept identical to lua-bint, because print() and json.encode() of a bint expose it):
-- an array of `bits / wordbits` unsigned words, least significant first, with the class as metatable.
-- Words are half a Lua integer (32 bits), so word products fit in 64 bits read as unsigned.

local math_type, math_floor, math_abs, math_max, math_min = math.type, math.floor, math.abs, math.max, math.min
local math_mininteger, math_maxinteger = math.mininteger, math.maxinteger
local setmetatable, getmetatable, tonumber, tostring, type = setmetatable, getmetatable, tonumber, tostring, type

-- aos raises this library's errors (asserts included) with its own line numbers, e.g.
-- [string ".bint"]:2383: attempt to divide by zero. We raise the same text under the chunk name ".bint".
local aosErrors = ... -- aoserrors.lua, handed over by main.lua
local SRC = (debug and debug.getinfo and debug.getinfo(1, "S").short_src) or ".bint"
local fail, check = aosErrors.at(SRC)

-- Width of a Lua integer in bits (64 on aos).
local INT_BITS = 1
while (math_maxinteger >> INT_BITS) ~= 0 do INT_BITS = INT_BITS + 1 end
INT_BITS = INT_BITS + 1

-- Numbers (or numeric strings) with an exact integer value, as a Lua integer; nil otherwise.
local function exact_integer(x)
  x = tonumber(x)
  if math_type(x) == "float" then
    local f = math_floor(x)
    if f == x then x = f end
  end
  if math_type(x) == "integer" then return x end
end

-- Number of characters below which frombase lets tonumber() parse the string (lua-bint's threshold).
local short_lengths = {}
local function short_length(base)
  local len = short_lengths[base]
  if not len then
    local limit, p = math_maxinteger // base, 1
    len = 0
    repeat
      len = len + 1
      p = p * base
    until p >= limit
    short_lengths[base] = len
  end
  return len
end

local DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

local modules = {}

local function newmodule(bits, wordbits)
  bits = bits or 256
  wordbits = wordbits or (INT_BITS // 2)
  local memokey = bits * 64 + wordbits
  if modules[memokey] then return modules[memokey] end

  check(bits % wordbits == 0, 285, "bitsize is not multiple of word bitsize")
  check(2 * wordbits <= INT_BITS, 287, "word bitsize must be half of the lua integer bitsize")
  check(bits >= 64, 289, "bitsize must be >= 64")
  check(wordbits >= 8, 291, "wordbits must be at least 8")
  check(bits % 8 == 0, 293, "bitsize must be multiple of 8")

  local bint = {}
  bint.__index = bint
  bint.bits = bits

  local N = bits // wordbits         -- words per value
  local W = wordbits                 -- bits per word
  local MASK = (1 << W) - 1
  local MSB = 1 << (W - 1)
  local RADIX = 1 << W
  local BYTES = bits // 8
  local PACKFMT = "<" .. ("I" .. (W // 8)):rep(N)
  local SMALL_DIV = MSB - 1          -- largest divisor handled by single-word division

  -------------------------------------------------------------------------
  -- Word-level helpers (no argument conversion)
  -------------------------------------------------------------------------

  local blank
  if N == 8 then
    blank = function() return setmetatable({ 0, 0, 0, 0, 0, 0, 0, 0 }, bint) end
  else
    blank = function()
      local z = {}
      for i = 1, N do z[i] = 0 end
      return setmetatable(z, bint)
    end
  end

  local function clone(x)
    local z = {}
    for i = 1, N do z[i] = x[i] end
    return setmetatable(z, bint)
  end

  -- Sign-extends a Lua integer into a fresh value (floor division by the radix is an arithmetic shift).
  local function from_int(v)
    local z = {}
    for i = 1, N do
      z[i] = v & MASK
      v = v // RADIX
    end
    return setmetatable(z, bint)
  end

  local function negative(x)
    return x[N] & MSB ~= 0
  end

  -- Unsigned comparison: -1, 0 or 1.
  local function ucmp(a, b)
    for i = N, 1, -1 do
      local p, q = a[i], b[i]
      if p ~= q then return p < q and -1 or 1 end
    end
    return 0
  end

  -- Signed comparison: -1, 0 or 1.
  local function scmp(a, b)
    local an, bn = negative(a), negative(b)
    if an ~= bn then return an and -1 or 1 end
    return ucmp(a, b)
  end

  local function negate_inplace(x)
    local carry = 1
    for i = 1, N do
      local v = ((~x[i]) & MASK) + carry
      x[i] = v & MASK
      carry = v >> W
    end
    return x
  end

  -- Low Lua-integer-width bits of x, read as a signed Lua integer.
  local function low_int(x)
    local n = 0
    for i = 1, N do n = n | (x[i] << (W * (i - 1))) end
    return n
  end

  -- True when x is the sign extension of its low 64 bits, i.e. fits in a Lua integer.
  local function fits_int(x)
    local v = low_int(x)
    for i = 1, N do
      if x[i] ~= v & MASK then return false end
      v = v // RADIX
    end
    return true
  end

  -- x = x * m + a in place (mod 2^bits); m and a below MSB, so no step leaves 63 bits.
  local function muladd_inplace(x, m, a)
    local carry = a
    for i = 1, N do
      local t = x[i] * m + carry
      x[i] = t & MASK
      carry = t >> W
    end
  end

  -- x = x // d in place for 0 < d <= SMALL_DIV; returns the remainder.
  local function divsmall_inplace(x, d)
    local r = 0
    for i = N, 1, -1 do
      local cur = (r << W) | x[i]
      x[i] = cur // d
      r = cur % d
    end
    return r
  end

  local function shl_inplace(x, s) -- 0 <= s < bits
    local ws, bs = s // W, s % W
    if ws > 0 then
      for i = N, 1, -1 do x[i] = i > ws and x[i - ws] or 0 end
    end
    if bs > 0 then
      local back = W - bs
      for i = N, 2, -1 do x[i] = ((x[i] << bs) | (x[i - 1] >> back)) & MASK end
      x[1] = (x[1] << bs) & MASK
    end
    return x
  end

  local function shr_inplace(x, s) -- logical, 0 <= s < bits
    local ws, bs = s // W, s % W
    if ws > 0 then
      for i = 1, N do x[i] = i + ws <= N and x[i + ws] or 0 end
    end
    if bs > 0 then
      local back = W - bs
      for i = 1, N - 1 do x[i] = ((x[i] >> bs) | (x[i + 1] << back)) & MASK end
      x[N] = x[N] >> bs
    end
    return x
  end

  -------------------------------------------------------------------------
  -- Long division: Knuth's algorithm D over 16-bit digits, so that two digits and digit products
  -- stay far inside a Lua integer whatever the word size.
  -------------------------------------------------------------------------

  local DB, DBASE, DMASK = 16, 1 << 16, (1 << 16) - 1

  local function to_digits(x)
    local d, n, acc, have = {}, 0, 0, 0
    for i = 1, N do
      acc = acc | (x[i] << have)
      have = have + W
      while have >= DB do
        n = n + 1
        d[n] = acc & DMASK
        acc = acc >> DB
        have = have - DB
      end
    end
    if have > 0 then
      n = n + 1
      d[n] = acc
    end
    while n > 0 and d[n] == 0 do
      d[n] = nil
      n = n - 1
    end
    return d, n
  end

  local function from_digits(d, n)
    local z = blank()
    local acc, have, w = 0, 0, 1
    for i = 1, n do
      acc = acc | (d[i] << have)
      have = have + DB
      while have >= W and w <= N do
        z[w] = acc & MASK
        acc = acc >> W
        have = have - W
        w = w + 1
      end
    end
    if have > 0 and w <= N then z[w] = acc & MASK end
    return z
  end

  -- u (ulen digits) // v (vlen digits), with u >= v > 0; returns quotient and remainder digit arrays.
  local function digits_divmod(u, ulen, v, vlen)
    if vlen == 1 then
      local d, q, r = v[1], {}, 0
      for i = ulen, 1, -1 do
        local cur = r * DBASE + u[i]
        q[i] = cur // d
        r = cur % d
      end
      return q, ulen, { r }, 1
    end
    -- normalise: shift both so the divisor's top digit has its high bit set
    local s, top = 0, v[vlen]
    while top < (DBASE >> 1) do
      top = top << 1
      s = s + 1
    end
    local vn, un = {}, {}
    for i = vlen, 2, -1 do vn[i] = ((v[i] << s) | (v[i - 1] >> (DB - s))) & DMASK end
    vn[1] = (v[1] << s) & DMASK
    un[ulen + 1] = u[ulen] >> (DB - s)
    for i = ulen, 2, -1 do un[i] = ((u[i] << s) | (u[i - 1] >> (DB - s))) & DMASK end
    un[1] = (u[1] << s) & DMASK

    local q = {}
    local vtop, vnext = vn[vlen], vn[vlen - 1]
    for j = ulen - vlen, 0, -1 do
      -- estimate the quotient digit from the top of the current window, then refine it
      local num = un[j + vlen + 1] * DBASE + un[j + vlen]
      local qhat, rhat = num // vtop, num % vtop
      while qhat >= DBASE or qhat * vnext > rhat * DBASE + un[j + vlen - 1] do
        qhat = qhat - 1
        rhat = rhat + vtop
        if rhat >= DBASE then break end
      end
      -- window -= qhat * v
      local carry, borrow = 0, 0
      for i = 1, vlen do
        local p = qhat * vn[i] + carry
        carry = p >> DB
        local t = un[i + j] - (p & DMASK) - borrow
        if t < 0 then
          un[i + j] = t + DBASE
          borrow = 1
        else
          un[i + j] = t
          borrow = 0
        end
      end
      local t = un[j + vlen + 1] - carry - borrow
      if t < 0 then
        -- estimate was one too large: add the divisor back
        qhat = qhat - 1
        local c = 0
        for i = 1, vlen do
          local sum = un[i + j] + vn[i] + c
          un[i + j] = sum & DMASK
          c = sum >> DB
        end
        t = (t + c) & DMASK
      end
      un[j + vlen + 1] = t
      q[j + 1] = qhat
    end
    local r = {}
    for i = 1, vlen do
      r[i] = ((un[i] >> s) | (un[i + 1] << (DB - s))) & DMASK
    end
    return q, ulen - vlen + 1, r, vlen
  end

  -------------------------------------------------------------------------
  -- Construction and conversion
  -------------------------------------------------------------------------

  function bint.zero()
    return blank()
  end

  function bint.one()
    local z = blank()
    z[1] = 1
    return z
  end

  function bint.fromuinteger(x)
    x = exact_integer(x)
    if x then
      local z = blank()
      for i = 1, N do
        z[i] = x & MASK
        x = x >> W
      end
      return z
    end
  end

  function bint.frominteger(x)
    x = exact_integer(x)
    if x then return from_int(x) end
  end

  function bint.frombase(s, base)
    if type(s) ~= "string" then return end
    base = base or 10
    if not (base >= 2 and base <= 36) then return end
    base = math.tointeger(base) or base -- 10.0 works like 10 (integer chunk arithmetic below)
    if #s < short_length(base) then
      -- short strings: tonumber parses them (and a nil from it errors inside frominteger, as in lua-bint)
      return bint.frominteger(tonumber(s, base))
    end
    local sign, digits = s:lower():match("^([+-]?)(%w+)$")
    if not sign then return end
    -- consume as many digits at a time as keep base^k below a half word
    local k, chunkmul = 0, 1
    while chunkmul * base <= SMALL_DIV do
      chunkmul = chunkmul * base
      k = k + 1
    end
    local z = blank()
    for i = 1, #digits, k do
      local part = digits:sub(i, i + k - 1)
      local d = tonumber(part, base)
      if not d then return end
      local mul = #part == k and chunkmul or math_floor(base ^ #part)
      muladd_inplace(z, mul, d)
    end
    if sign == "-" then negate_inplace(z) end
    return z
  end

  function bint.fromstring(s)
    if type(s) ~= "string" then return end
    if s:find("^[+-]?[0-9]+$") then
      return bint.frombase(s, 10)
    elseif s:find("^[+-]?0[xX][0-9a-fA-F]+$") then
      return bint.frombase((s:gsub("0[xX]", "", 1)), 16)
    elseif s:find("^[+-]?0[bB][01]+$") then
      return bint.frombase((s:gsub("0[bB]", "", 1)), 2)
    end
  end

  -- Note: like lua-bint 0.5.1, the value keeps string.unpack's trailing position as element N+1.
  function bint.fromle(buffer)
    check(type(buffer) == "string", 713, "buffer is not a string")
    if #buffer > BYTES then
      buffer = buffer:sub(1, BYTES)
    elseif #buffer < BYTES then
      buffer = buffer .. ("\0"):rep(BYTES - #buffer)
    end
    return setmetatable({ PACKFMT:unpack(buffer) }, bint)
  end

  function bint.frombe(buffer)
    check(type(buffer) == "string", 741, "buffer is not a string")
    if #buffer > BYTES then
      buffer = buffer:sub(-BYTES, #buffer)
    elseif #buffer < BYTES then
      buffer = ("\0"):rep(BYTES - #buffer) .. buffer
    end
    return setmetatable({ PACKFMT:unpack(buffer:reverse()) }, bint)
  end

  -- Any other value (a table, true...) is returned as is, exactly like lua-bint's assert-based check.
  function bint.new(x)
    if getmetatable(x) == bint then return clone(x) end
    local t = type(x)
    if t == "number" then
      x = bint.frominteger(x)
    elseif t == "string" then
      x = bint.fromstring(x)
    end
    check(x, 787, "value cannot be represented by a bint")
    return x
  end

  local function tobint(x, copy)
    if getmetatable(x) == bint then
      if copy then return clone(x) end
      return x
    end
    local t = type(x)
    if t == "number" then
      return bint.frominteger(x)
    elseif t == "string" then
      return bint.fromstring(x)
    end
  end
  bint.tobint = tobint

  function bint.parse(x, copy)
    local v = tobint(x, copy)
    if v then return v end
    return tonumber(x)
  end

  local function convert(x)
    local v = tobint(x)
    if not v then fail(1223, "value has not integer representation") end
    return v
  end

  function bint.touinteger(x)
    if getmetatable(x) == bint then return low_int(x) end
    return exact_integer(x)
  end

  -- For a bint this is its low 64 bits as a signed integer (lua-bint's abs/negate dance gives the same).
  function bint.tointeger(x)
    if getmetatable(x) == bint then return low_int(x) end
    return exact_integer(x)
  end

  local function to_lua_int(x)
    local v = bint.tointeger(x)
    if not v then fail(995, "value has no integer representation") end
    return v
  end

  local function to_number(x)
    if getmetatable(x) == bint then
      if fits_int(x) then return low_int(x) end
      return tonumber(bint.tobase(x, 10)) -- large values: the float nearest to the decimal value
    end
    return tonumber(x)
  end
  bint.tonumber = to_number

  -- Digits of a non-negative chunk value, most significant first, optionally zero-padded to `width`.
  local function chunk_digits(v, base, width)
    if base == 10 then
      return width and string.format("%0" .. width .. "d", v) or string.format("%d", v)
    end
    local out = {}
    repeat
      local d = v % base
      out[#out + 1] = DIGITS:sub(d + 1, d + 1)
      v = v // base
    until v == 0
    if width then
      for _ = #out + 1, width do out[#out + 1] = "0" end
    end
    return string.reverse(table.concat(out))
  end

  function bint.tobase(x, base, unsigned)
    x = tobint(x)
    if not x then return end
    base = base or 10
    if not (base >= 2 and base <= 36) then return end
    if unsigned == nil then unsigned = base ~= 10 end
    local xneg = negative(x)
    if (base == 10 and not unsigned) or (base == 16 and unsigned and not xneg) then
      if fits_int(x) then
        local n = low_int(x)
        if base == 10 then return tostring(n) end
        return string.format("%x", n)
      end
    end
    base = math.tointeger(base) or base
    local neg = not unsigned and xneg
    local mag = clone(x)
    if neg then negate_inplace(mag) end
    -- peel off chunks of k digits with single-word divisions
    local k, chunkdiv = 0, 1
    while chunkdiv * base <= SMALL_DIV do
      chunkdiv = chunkdiv * base
      k = k + 1
    end
    local chunks, n = {}, 0
    local zero = true
    for i = 1, N do
      if mag[i] ~= 0 then zero = false break end
    end
    if zero then return "0" end
    while not zero do
      n = n + 1
      chunks[n] = divsmall_inplace(mag, chunkdiv)
      zero = true
      for i = 1, N do
        if mag[i] ~= 0 then zero = false break end
      end
    end
    local parts = { neg and "-" or "" }
    parts[2] = chunk_digits(chunks[n], base)
    for i = n - 1, 1, -1 do parts[#parts + 1] = chunk_digits(chunks[i], base, k) end
    return table.concat(parts)
  end

  function bint.tole(x, trim)
    x = convert(x)
    local s = PACKFMT:pack(table.unpack(x, 1, N))
    if trim then
      s = s:gsub("\0+$", "")
      if s == "" then s = "\0" end
    end
    return s
  end

  function bint.tobe(x, trim)
    x = convert(x)
    local s = PACKFMT:pack(table.unpack(x, 1, N)):reverse()
    if trim then
      s = s:gsub("^\0+", "")
      if s == "" then s = "\0" end
    end
    return s
  end

  -------------------------------------------------------------------------
  -- Predicates (numbers are accepted too)
  -------------------------------------------------------------------------

  function bint.iszero(x)
    if getmetatable(x) == bint then
      for i = 1, N do
        if x[i] ~= 0 then return false end
      end
      return true
    end
    return x == 0
  end

  function bint.isone(x)
    if getmetatable(x) == bint then
      if x[1] ~= 1 then return false end
      for i = 2, N do
        if x[i] ~= 0 then return false end
      end
      return true
    end
    return x == 1
  end

  function bint.isminusone(x)
    if getmetatable(x) == bint then
      for i = 1, N do
        if x[i] ~= MASK then return false end
      end
      return true
    end
    return x == -1
  end

  function bint.isbint(x)
    return getmetatable(x) == bint
  end

  function bint.isintegral(x)
    return getmetatable(x) == bint or math_type(x) == "integer"
  end

  function bint.isnumeric(x)
    return getmetatable(x) == bint or type(x) == "number"
  end

  function bint.type(x)
    if getmetatable(x) == bint then return "bint" end
    return math_type(x)
  end

  function bint.isneg(x)
    if getmetatable(x) == bint then return negative(x) end
    return x < 0
  end

  function bint.ispos(x)
    if getmetatable(x) == bint then
      return not negative(x) and not bint.iszero(x)
    end
    return x > 0
  end

  function bint.iseven(x)
    if getmetatable(x) == bint then return x[1] & 1 == 0 end
    return math_abs(x) % 2 == 0
  end

  function bint.isodd(x)
    if getmetatable(x) == bint then return x[1] & 1 == 1 end
    return math_abs(x) % 2 == 1
  end

  function bint.maxinteger()
    local z = from_int(-1)
    z[N] = MASK ~ MSB
    return z
  end

  function bint.mininteger()
    local z = blank()
    z[N] = MSB
    return z
  end

  -------------------------------------------------------------------------
  -- In-place operations (methods with a leading underscore mutate self and return it)
  -------------------------------------------------------------------------

  function bint:_shlone()
    return shl_inplace(self, 1)
  end

  function bint:_shrone()
    return shr_inplace(self, 1)
  end

  function bint:_shlwords(n)
    for i = N, n + 1, -1 do self[i] = self[i - n] end
    for i = 1, n do self[i] = 0 end
    return self
  end

  function bint:_shrwords(n)
    if n < N then
      for i = 1, N - n do self[i] = self[i + n] end
      for i = N - n + 1, N do self[i] = 0 end
    else
      for i = 1, N do self[i] = 0 end
    end
    return self
  end

  function bint:_inc()
    for i = 1, N do
      local v = (self[i] + 1) & MASK
      self[i] = v
      if v ~= 0 then break end
    end
    return self
  end

  function bint:_dec()
    for i = 1, N do
      local old = self[i]
      self[i] = (old - 1) & MASK
      if old ~= 0 then break end
    end
    return self
  end

  function bint:_assign(y)
    y = convert(y)
    for i = 1, N do self[i] = y[i] end
    return self
  end

  function bint:_abs()
    if negative(self) then negate_inplace(self) end
    return self
  end

  function bint:_add(y)
    y = convert(y)
    local carry = 0
    for i = 1, N do
      local t = self[i] + y[i] + carry
      self[i] = t & MASK
      carry = t >> W
    end
    return self
  end

  function bint:_sub(y)
    y = convert(y)
    local borrow = 0
    for i = 1, N do
      local t = self[i] - y[i] - borrow
      self[i] = t & MASK
      borrow = t < 0 and 1 or 0
    end
    return self
  end

  function bint:_band(y)
    y = convert(y)
    for i = 1, N do self[i] = self[i] & y[i] end
    return self
  end

  function bint:_bor(y)
    y = convert(y)
    for i = 1, N do self[i] = self[i] | y[i] end
    return self
  end

  function bint:_bxor(y)
    y = convert(y)
    for i = 1, N do self[i] = self[i] ~ y[i] end
    return self
  end

  function bint:_bnot()
    for i = 1, N do self[i] = (~self[i]) & MASK end
    return self
  end

  function bint:_unm()
    return negate_inplace(self)
  end

  -------------------------------------------------------------------------
  -- Functions that accept bints or Lua numbers
  -------------------------------------------------------------------------

  function bint.inc(x)
    local v = tobint(x, true)
    if v then return v:_inc() end
    return x + 1
  end

  function bint.dec(x)
    local v = tobint(x, true)
    if v then return v:_dec() end
    return x - 1
  end

  function bint.abs(x)
    local v = tobint(x, true)
    if v then return v:_abs() end
    return math_abs(x)
  end

  function bint.floor(x)
    if getmetatable(x) == bint then return clone(x) end
    return bint.new(math_floor(tonumber(x)))
  end

  function bint.ceil(x)
    if getmetatable(x) == bint then return clone(x) end
    return bint.new(math.ceil(tonumber(x)))
  end

  -- Keeps the low y bits.
  function bint.bwrap(x, y)
    x = convert(x)
    if y <= 0 then
      return blank()
    elseif y < bits then
      return x & (bint.one() << y):_dec()
    end
    return clone(x)
  end

  function bint.brol(x, y)
    x, y = convert(x), to_lua_int(y)
    if y > 0 then
      return (x << y) | (x >> (bits - y))
    elseif y < 0 then
      if y ~= math_mininteger then return bint.bror(x, -y) end
      -- lua-bint computes these two rotations and then returns x unchanged; kept as is
      bint.bror(x, -(y + 1))
      bint.bror(x, 1)
    end
    return x
  end

  function bint.bror(x, y)
    x, y = convert(x), to_lua_int(y)
    if y > 0 then
      return (x >> y) | (x << (bits - y))
    elseif y < 0 then
      if y ~= math_mininteger then return bint.brol(x, -y) end
      bint.brol(x, -(y + 1))
      bint.brol(x, 1)
    end
    return x
  end

  function bint.trunc(x)
    if getmetatable(x) == bint then return clone(x) end
    x = tonumber(x)
    if x then
      if math_type(x) == "float" then x = math.modf(x) end
      return bint.frominteger(x)
    end
  end

  function bint.max(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return clone(scmp(a, b) > 0 and a or b) end
    return bint.parse(math_max(x, y))
  end

  function bint.min(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return clone(scmp(a, b) < 0 and a or b) end
    return bint.parse(math_min(x, y))
  end

  -------------------------------------------------------------------------
  -- Arithmetic metamethods
  -------------------------------------------------------------------------

  function bint.__add(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then
      local z, carry = {}, 0
      for i = 1, N do
        local t = a[i] + b[i] + carry
        z[i] = t & MASK
        carry = t >> W
      end
      return setmetatable(z, bint)
    end
    return to_number(x) + to_number(y)
  end

  function bint.__sub(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then
      local z, borrow = {}, 0
      for i = 1, N do
        local t = a[i] - b[i] - borrow
        z[i] = t & MASK
        borrow = t < 0 and 1 or 0
      end
      return setmetatable(z, bint)
    end
    return to_number(x) - to_number(y)
  end

  function bint.__mul(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then
      local z = blank()
      -- skip leading zero words of both factors
      local na, nb = N, N
      while na > 0 and a[na] == 0 do na = na - 1 end
      while nb > 0 and b[nb] == 0 do nb = nb - 1 end
      for i = 1, na do
        local ai = a[i]
        if ai ~= 0 then
          local carry = 0
          local last = math_min(nb, N - i + 1)
          for j = 1, last do
            local k = i + j - 1
            local p = ai * b[j] -- up to 64 bits, read as unsigned via & and >>
            local t = z[k] + (p & MASK) + carry
            z[k] = t & MASK
            carry = (t >> W) + (p >> W)
          end
          -- propagate the carry into the words above this row
          local k = i + last
          while carry ~= 0 and k <= N do
            local t = z[k] + carry
            z[k] = t & MASK
            carry = t >> W
            k = k + 1
          end
        end
      end
      return z
    end
    return to_number(x) * to_number(y)
  end

  -- Unsigned division of bints (or values convertible to them).
  local function udivmod(x, y)
    local num = bint.new(x)
    local den = convert(y)
    local high_zero = true
    for i = 2, N do
      if den[i] ~= 0 then
        high_zero = false
        break
      end
    end
    if high_zero then
      local low = den[1]
      check(low ~= 0, 2383, "attempt to divide by zero")
      if low == 1 then return num, blank() end
      if low <= SMALL_DIV then
        local r = divsmall_inplace(num, low)
        local rem = blank()
        rem[1] = r
        return num, rem
      end
    end
    if ucmp(num, den) < 0 then return blank(), num end
    local u, ulen = to_digits(num)
    local v, vlen = to_digits(den)
    local q, qlen, r, rlen = digits_divmod(u, ulen, v, vlen)
    return from_digits(q, qlen), from_digits(r, rlen)
  end
  bint.udivmod = udivmod

  function bint.udiv(x, y)
    return (udivmod(x, y))
  end

  function bint.umod(x, y)
    local _, r = udivmod(x, y)
    return r
  end

  local MININT -- set below, once mininteger exists

  -- Division truncating towards zero; the remainder takes the sign of the numerator.
  function bint.tdivmod(x, y)
    local ax, ay = bint.abs(x), bint.abs(y)
    local a, b = tobint(ax), tobint(ay)
    local q, r
    if a and b then
      check(not (bint.eq(x, MININT) and bint.isminusone(y)), 2593, "division overflow")
      q, r = udivmod(a, b)
    else
      q, r = ax // ay, ax % ay
    end
    local xneg, yneg = bint.isneg(x), bint.isneg(y)
    if xneg ~= yneg then q = -q end
    if xneg then r = -r end
    return q, r
  end

  function bint.tdiv(x, y)
    return (bint.tdivmod(x, y))
  end

  function bint.tmod(x, y)
    local _, r = bint.tdivmod(x, y)
    return r
  end

  -- Floor division on magnitudes, then fixed up for signs (quotient rounds towards minus infinity,
  -- remainder takes the sign of the divisor).
  local function floor_divmod(x, y, a, b, want_rem)
    local xneg, yneg = negative(a), negative(b)
    if xneg then a = -a end
    if yneg then b = -b end
    local q, r = udivmod(a, b)
    if xneg ~= yneg then
      negate_inplace(q)
      if not bint.iszero(r) then
        q:_dec()
        if want_rem then
          if xneg then negate_inplace(r):_add(y) else r:_add(y) end
        end
      end
    elseif xneg and want_rem then
      negate_inplace(r)
    end
    return q, r
  end

  function bint.idivmod(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return floor_divmod(x, y, a, b, true) end
    local nx, ny = to_number(x), to_number(y)
    return nx // ny, nx % ny
  end

  function bint.__idiv(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return (floor_divmod(x, y, a, b, false)) end
    return to_number(x) // to_number(y)
  end

  function bint.__mod(x, y)
    local _, r = bint.idivmod(x, y)
    return r
  end

  function bint.__div(x, y)
    return to_number(x) / to_number(y)
  end

  function bint.__pow(x, y)
    return to_number(x) ^ to_number(y)
  end

  -- Integer power modulo 2^bits; a negative exponent counts as its (huge) unsigned value.
  function bint.ipow(x, y)
    y = convert(y)
    if bint.iszero(y) then return bint.one() end
    if bint.isone(y) then return bint.new(x) end
    local base, e = bint.new(x), clone(y)
    local acc = bint.one()
    while true do
      if e[1] & 1 == 1 then acc = acc * base end
      shr_inplace(e, 1)
      if bint.iszero(e) then break end
      base = base * base
    end
    return acc
  end

  -- Products wrap at the bint width before each reduction, exactly as lua-bint computes them.
  function bint.upowmod(x, y, m)
    m = convert(m)
    if bint.isone(m) then return blank() end
    x, y = bint.new(x), bint.new(y)
    local z = bint.one()
    x = bint.umod(x, m)
    while not bint.iszero(y) do
      if y[1] & 1 == 1 then z = bint.umod(z * x, m) end
      shr_inplace(y, 1)
      x = bint.umod(x * x, m)
    end
    return z
  end

  -------------------------------------------------------------------------
  -- Bitwise metamethods
  -------------------------------------------------------------------------

  function bint.__shl(x, y)
    x, y = bint.new(x), to_lua_int(y)
    if y == math_mininteger or math_abs(y) >= bits then return blank() end
    if y < 0 then return x >> -y end
    return shl_inplace(x, y)
  end

  function bint.__shr(x, y)
    x, y = bint.new(x), to_lua_int(y)
    if y == math_mininteger or math_abs(y) >= bits then return blank() end
    if y < 0 then return x << -y end
    return shr_inplace(x, y)
  end

  function bint.__band(x, y)
    return bint.new(x):_band(y)
  end

  function bint.__bor(x, y)
    return bint.new(x):_bor(y)
  end

  function bint.__bxor(x, y)
    return bint.new(x):_bxor(y)
  end

  function bint.__bnot(x)
    local z = {}
    for i = 1, N do z[i] = (~x[i]) & MASK end
    return setmetatable(z, bint)
  end

  function bint.__unm(x)
    return negate_inplace(clone(x))
  end

  -------------------------------------------------------------------------
  -- Comparison
  -------------------------------------------------------------------------

  function bint.__eq(x, y)
    for i = 1, N do
      if x[i] ~= y[i] then return false end
    end
    return true
  end

  function bint.eq(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return a == b end
    return x == y
  end

  function bint.ult(x, y)
    x, y = convert(x), convert(y)
    return ucmp(x, y) < 0
  end

  function bint.ule(x, y)
    x, y = convert(x), convert(y)
    return ucmp(x, y) <= 0
  end

  function bint.__lt(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return scmp(a, b) < 0 end
    return to_number(x) < to_number(y)
  end

  function bint.__le(x, y)
    local a, b = tobint(x), tobint(y)
    if a and b then return scmp(a, b) <= 0 end
    return to_number(x) <= to_number(y)
  end

  function bint:__tostring()
    return bint.tobase(self, 10)
  end

  -- bint(x) is bint.new(x)
  setmetatable(bint, {
    __call = function(_, x) return bint.new(x) end,
  })

  MININT = bint.mininteger()
  modules[memokey] = bint
  return bint
end

return newmodule
