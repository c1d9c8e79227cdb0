-- The coordinator's epochs: each tick opens one, every shard reports its staked total, and once all have
-- reported the epoch's reward is split over the shards in proportion to those totals.
local amount = require('lib.amount')

local schedule = {}

-- Epochs are keyed by their number as a string so the table stays a JSON object.
function schedule.open(epochs, number, shards)
  local waiting = {}
  for _, shard in ipairs(shards) do waiting[shard] = true end
  epochs[tostring(number)] = { Waiting = waiting, Totals = {} }
end

-- Records one shard's total; returns the epoch when it was the last report, nil otherwise.
-- A report for an unknown epoch, or a second one from the same shard, fails the message.
function schedule.record(epochs, number, shard, total)
  local epoch = epochs[number]
  assert(epoch, 'Epoch ' .. tostring(number) .. ' is not open')
  assert(epoch.Waiting[shard], 'Shard already reported for epoch ' .. number)
  epoch.Waiting[shard] = nil
  epoch.Totals[shard] = total
  if next(epoch.Waiting) ~= nil then return nil end
  epochs[number] = nil
  return epoch
end

-- Shares of `reward` per shard (in `shards` order), floor-rounded; the sum of totals is returned too.
function schedule.split(reward, shards, totals)
  local sum = '0'
  for _, shard in ipairs(shards) do sum = amount.add(sum, totals[shard]) end
  local shares = {}
  for i, shard in ipairs(shards) do
    shares[i] = amount.isZero(sum) and '0' or amount.mulDiv(reward, totals[shard], sum)
  end
  return shares, sum
end

return schedule
