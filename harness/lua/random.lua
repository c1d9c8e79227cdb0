-- random.lua: aos's randomness (spec §5). A 32-bit Mersenne Twister (MT19937) in 5.3 integer
-- arithmetic, seeded once from the first message; aos replaces math.random with `random` below.
-- Returns { seed, random, real, integer, seedFromMessage, state, restore }; `.chance` exposes it as aos does.
local type, tonumber, assert, error, byte, floor = type, tonumber, assert, error, string.byte, math.floor
local pcall, tostring, mathtype, gsub = pcall, tostring, math.type, string.gsub

local N, M = 624, 397
local MATRIX_A, UPPER_MASK, LOWER_MASK = 0x9908b0df, 0x80000000, 0x7fffffff
local MAG01 = { [0] = 0, MATRIX_A }

local mt, mti = {}, N + 1 -- mti == N + 1: never seeded

-- On AO these errors are raised in aos's bundled chance module (aos 2.0.6), so their location names that chunk
-- and line whatever loaded this file: seeding fails at line 29, integer's checks at line 201.
local function raiseAt(line, err)
  if type(err) == 'string' then err = (gsub(err, '^%[string "[^"]*"%]:%d+: ', '', 1)) end
  error('[string ".chance"]:' .. line .. ': ' .. tostring(err), 0)
end

local function low32(s) return s & 0xffffffff end

-- init_genrand. `s & 0xffffffff` raises for a float seed with no integer value, as on AO.
local function seed(s)
  if mathtype(s) ~= 'integer' then
    local ok, err = pcall(low32, s)
    if not ok then raiseAt(29, err) end
  end
  mt[0] = s & 0xffffffff
  for i = 1, N - 1 do
    local prev = mt[i - 1]
    mt[i] = (1812433253 * (prev ~ (prev >> 30)) + i) & 0xffffffff
  end
  mti = N
end

local function twist()
  if mti == N + 1 then seed(5489) end -- the reference default seed
  for kk = 0, N - M - 1 do
    local y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
    mt[kk] = mt[kk + M] ~ (y >> 1) ~ MAG01[y & 1]
  end
  for kk = N - M, N - 2 do
    local y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
    mt[kk] = mt[kk + (M - N)] ~ (y >> 1) ~ MAG01[y & 1]
  end
  local y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK)
  mt[N - 1] = mt[M - 1] ~ (y >> 1) ~ MAG01[y & 1]
  mti = 0
end

local function next32()
  if mti >= N then twist() end
  local y = mt[mti]
  mti = mti + 1
  y = y ~ (y >> 11) -- tempering
  y = y ~ ((y << 7) & 0x9d2c5680)
  y = y ~ ((y << 15) & 0xefc60000)
  return y ~ (y >> 18)
end

-- A float in [0, 1): the next uint32 times 2^-32.
local function real()
  return next32() * (1.0 / 4294967296.0)
end

local function atLeast(max, min) return max >= min end

-- aos chance.integer: both ends included.
local function integer(min, max)
  local ok, ordered = true, nil
  if type(min) == 'number' and type(max) == 'number' then ordered = max >= min else ok, ordered = pcall(atLeast, max, min) end
  if not ok then raiseAt(201, ordered) end
  if not ordered then raiseAt(201, 'max must bigger than min') end
  return floor(real() * (max - min + 1) + min)
end

-- The math.random aos installs: the argument count is `#{...}` (so trailing nils do not count),
-- one argument n gives integer(1, n), two give integer(a, b), anything else a float.
local function random(...)
  local args = { ... }
  local n = #args
  if n == 1 then return integer(1, args[1]) end
  if n == 2 then return integer(args[1], args[2]) end
  return real()
end

-- aos process.lua stringToSeed: the plain sum of the bytes.
local function bytesum(s)
  local sum = 0
  for i = 1, #s do sum = sum + byte(s, i) end
  return sum
end

-- The seed aos computes on the first message: the decimal digits of Block-Height followed by
-- the byte sum of Owner .. Module .. Id, read back by tonumber (a float once it passes 2^63).
local function seedFromMessage(msg)
  return tonumber(msg["Block-Height"] .. bytesum(msg.Owner .. msg.Module .. msg.Id))
end

-- The generator's state, for the runtime's rollback of a failed message (spec §3).
local function state()
  local copy = {}
  for i = 0, N - 1 do copy[i] = mt[i] end
  return { mt = copy, mti = mti }
end

local function restore(s)
  assert(type(s) == "table" and type(s.mt) == "table", "restore: expected a table from state()")
  mt = {}
  for i = 0, N - 1 do mt[i] = s.mt[i] end
  mti = s.mti
end

return {
  seed = seed,
  random = random,
  real = real,
  integer = integer,
  seedFromMessage = seedFromMessage,
  state = state,
  restore = restore,
}
