-- `.chance`: aos's seeded random module, as contracts `require('.chance')` it (aos 2.0.6 process/chance.lua
-- exposes seed, random and integer). It shares its generator with math.random, as on AO (spec §5).
local random = require('.random')

return {
  -- Re-seeds the generator math.random uses too; returns nothing.
  seed = function(s) random.seed(s) end,
  -- A float in [0, 1); arguments are ignored.
  random = function() return random.real() end,
  -- An integer in [min, max], both ends included.
  integer = random.integer,
}
