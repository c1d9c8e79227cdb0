-- Which shard holds an account: a 32-bit hash of the address, modulo the shard count, 1-based.
-- Every process computes it the same way, so no lookup table and no message is needed to route.
local route = {}

local MASK = 0xffffffff

-- FNV-1a over the bytes, then murmur3's finaliser: FNV's low bits alone split addresses unevenly.
-- Products wrap around in 64-bit integers; the mask keeps the low 32 bits, which are exact.
function route.hash(address)
  local h = 2166136261
  for i = 1, #address do
    h = ((h ~ address:byte(i)) * 16777619) & MASK
  end
  h = h ~ (h >> 16)
  h = (h * 0x85ebca6b) & MASK
  h = h ~ (h >> 13)
  h = (h * 0xc2b2ae35) & MASK
  return h ~ (h >> 16)
end

function route.shardIndex(address, count)
  return route.hash(address) % count + 1
end

return route
