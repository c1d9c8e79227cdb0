---------------------------------------------------------------------------------------------
-- LUA_COMPAT_MATHLIB: pow, ldexp, frexp, cosh, sinh, tanh, log10, atan2. The float routines
-- follow musl (the libc of both wasm builds) so results match bit for bit.
---------------------------------------------------------------------------------------------
local function bits(x) return (sunpack("<i8", spack("<d", x))) end
local function frombits(i) return (sunpack("<d", spack("<i8", i))) end
local function hiword(x) return (bits(x) >> 32) & 0x7FFFFFFF end -- high word of |x|

local function frexp(x)
  local b = bits(x)
  local e = (b >> 52) & 0x7FF
  if e == 0 then
    if x == 0 then return x, 0 end
    local m, k = frexp(x * 0x1p64) -- subnormal: normalise first
    return m, k - 64
  elseif e == 0x7FF then
    return x, 0 -- inf/nan: 5.3 leaves the exponent unset; AO shows 0
  end
  return frombits((b & ~(0x7FF << 52)) | (0x3FE << 52)), e - 0x3FE
end

local function scalbn(y, n) -- musl scalbn (= ldexp)
  if n > 1023 then
    y = y * 0x1p1023
    n = n - 1023
    if n > 1023 then
      y = y * 0x1p1023
      n = n - 1023
      if n > 1023 then n = 1023 end
    end
  elseif n < -1022 then
    y = y * 0x1p-969 -- 0x1p-1022 * 0x1p53: keeps the final step out of double rounding
    n = n + 969
    if n < -1022 then
      y = y * 0x1p-969
      n = n + 969
      if n < -1022 then n = -1022 end
    end
  end
  return y * frombits((0x3FF + n) << 52)
end

local function expm1(x) -- musl expm1
  local hx = hiword(x)
  local sign = x < 0 or (x == 0 and 1 / x < 0)
  if hx >= 0x4043687A then -- |x| >= 56*ln2
    if x ~= x then return x end
    if sign then return -1.0 end
    if x > 7.09782712893383973096e+02 then return x * 0x1p1023 end
  end
  local k, c = 0, 0.0
  if hx > 0x3fd62e42 then -- |x| > 0.5 ln2: argument reduction
    local hi, lo
    if hx < 0x3FF0A2B2 then
      if not sign then hi, lo, k = x - 6.93147180369123816490e-01, 1.90821492927058770002e-10, 1
      else hi, lo, k = x + 6.93147180369123816490e-01, -1.90821492927058770002e-10, -1 end
    else
      local kf = 1.44269504088896338700e+00 * x + (sign and -0.5 or 0.5)
      k = kf < 0 and -((-kf) // 1) or kf // 1 -- C truncation toward zero
      k = tointeger(k)
      local t = k + 0.0
      hi = x - t * 6.93147180369123816490e-01
      lo = t * 1.90821492927058770002e-10
    end
    x = hi - lo
    c = (hi - x) - lo
  elseif hx < 0x3c900000 then
    return x
  end
  local hfx = 0.5 * x
  local hxs = x * hfx
  local r1 = 1.0 + hxs * (-3.33333333333331316428e-02 + hxs * (1.58730158725481460165e-03 + hxs *
    (-7.93650757867487942473e-05 + hxs * (4.00821782732936239552e-06 + hxs * -2.01099218183624371326e-07))))
  local t = 3.0 - r1 * hfx
  local e = hxs * ((r1 - t) / (6.0 - x * t))
  if k == 0 then return x - (x * e - hxs) end
  e = x * (e - c) - c
  e = e - hxs
  if k == -1 then return 0.5 * (x - e) - 0.5 end
  if k == 1 then
    if x < -0.25 then return -2.0 * (e - (x + 0.5)) end
    return 1.0 + 2.0 * (x - e)
  end
  local twopk = frombits((0x3ff + k) << 52)
  if k < 0 or k > 56 then
    local y = x - e + 1.0
    if k == 1024 then y = y * 2.0 * 0x1p1023 else y = y * twopk end
    return y - 1.0
  end
  local u = frombits((0x3ff - k) << 52)
  if k < 20 then return (x - e + (1 - u)) * twopk end
  return (x - (e + u) + 1) * twopk
end

local function expo2(x, sign) -- musl __expo2: exp(x) for large x without overflow
  local scale = frombits((0x3ff + 2043 // 2) << 52)
  return mexp(x - 0x1.62066151add8bp+10) * (sign * scale) * scale
end

local function cosh(x)
  x = x < 0 and -x or x + 0.0
  local w = hiword(x)
  if w < 0x3fe62e42 then
    if w < 0x3ff00000 - (26 << 20) then return 1.0 end
    local t = expm1(x)
    return 1 + t * t / (2 * (1 + t))
  end
  if w < 0x40862e42 then
    local t = mexp(x)
    return 0.5 * (t + 1 / t)
  end
  return expo2(x, 1.0)
end

local function sinh(x)
  local h = (x < 0 or (x == 0 and 1 / x < 0)) and -0.5 or 0.5
  local absx = x < 0 and -x or x + 0.0
  local w = hiword(absx)
  if w < 0x40862e42 then
    local t = expm1(absx)
    if w < 0x3ff00000 then
      if w < 0x3ff00000 - (26 << 20) then return x + 0.0 end
      return h * (2 * t - t * t / (t + 1))
    end
    return h * (t + t / (t + 1))
  end
  return expo2(absx, 2 * h)
end

local function tanh(x)
  local sign = x < 0 or (x == 0 and 1 / x < 0)
  x = x < 0 and -x or x + 0.0
  local w = hiword(x)
  local t
  if w > 0x3fe193ea then
    if w > 0x40340000 then
      t = 1 - 0 / x
    else
      t = expm1(2 * x)
      t = 1 - 2 / (t + 2)
    end
  elseif w > 0x3fd058ae then
    t = expm1(2 * x)
    t = t / (t + 2)
  elseif w >= 0x00100000 then
    t = expm1(-2 * x)
    t = -t / (t + 2)
  else
    t = x
  end
  return sign and -t or t
end

local function unary(name, fn)
  return publish(function(...)
    local x = checknumber(1, (...), select("#", ...))
    local r = fn(x + 0.0)
    return r
  end, name, "math." .. name)
end

math.cosh = unary("cosh", cosh)
math.sinh = unary("sinh", sinh)
math.tanh = unary("tanh", tanh)
math.log10 = unary("log10", function(x) return mlog(x, 10) end) -- 5.4 log(x, 10) calls log10
math.pow = publish(function(...)
  local n, x, y = select("#", ...), ...
  x = checknumber(1, x, n)
  y = checknumber(2, y, n)
  return (x + 0.0) ^ (y + 0.0)
end, "pow", "math.pow")
math.frexp = publish(function(...)
  local m, e = frexp(checknumber(1, (...), select("#", ...)) + 0.0)
  return m, e
end, "frexp", "math.frexp")
math.ldexp = publish(function(...)
  local n, x, e = select("#", ...), ...
  x = checknumber(1, x, n)
  e = checkinteger(2, e, n)
  e = ((e + 0x80000000) & 0xFFFFFFFF) - 0x80000000 -- C's (int) cast
  return scalbn(x + 0.0, e)
end, "ldexp", "math.ldexp")
math.atan2 = math.atan -- 5.3 registers the same C function under both names

