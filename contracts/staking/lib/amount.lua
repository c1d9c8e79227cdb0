-- Token amounts as decimal strings (the token's own format), with bint arithmetic so nothing rounds.
-- 512 bits: a reward share is floor(reward * stake / total), and that product of two 64-digit amounts
-- must not wrap around.
local bint = require('.bint')(512)

local amount = {}

-- The token accepts at most 64 digits, so no real balance is longer.
local MAX_DIGITS = 64

-- A positive integer string without sign, point or leading zero; anything else fails the message.
function amount.parse(value, what)
  assert(type(value) == 'string', what .. ' is required!')
  assert(value:match('^[1-9]%d*$') and #value <= MAX_DIGITS, what .. ' must be a positive integer string!')
  return value
end

function amount.add(a, b) return tostring(bint(a) + bint(b)) end

function amount.sub(a, b)
  local difference = bint(a) - bint(b)
  assert(not bint.isneg(difference), 'amount would go negative')
  return tostring(difference)
end

function amount.lt(a, b) return bint(a) < bint(b) end

function amount.isZero(a) return bint.iszero(bint(a)) end

function amount.min(a, b) return amount.lt(a, b) and a or b end

-- floor(a * b / c): pro-rata shares round down, so the parts never add up to more than the whole.
function amount.mulDiv(a, b, c) return tostring((bint(a) * bint(b)) // bint(c)) end

return amount
