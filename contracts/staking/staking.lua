-- The staking coordinator: configures the shards (shard.lua), holds the reward budget and, once per epoch
-- (its cron, e.g. every hour), asks each shard for its staked total and pays each shard its pro-rata part of
-- the epoch's reward. It never sees a stake, unstake or claim: those go to the stakers' shards. See README.md.
local amount = require('lib.amount')
local route = require('lib.route')
local schedule = require('lib.schedule')

-- Set by Configure.
StakeToken = StakeToken or nil
RewardToken = RewardToken or nil
RewardPerEpoch = RewardPerEpoch or '0'
Shards = Shards or {}
-- Reward tokens held and not yet paid to a shard; the epoch counter; the sum paid so far.
Budget = Budget or '0'
Epoch = Epoch or 0
Distributed = Distributed or '0'
-- The staked total the shards reported for the last completed epoch.
LastTotalStaked = LastTotalStaked or '0'
-- Epochs waiting for shard reports (lib/schedule.lua).
OpenEpochs = OpenEpochs or {}

local function isShard(id)
  for _, shard in ipairs(Shards) do
    if shard == id then return true end
  end
  return false
end

Handlers.add('configure', 'Configure', function(msg)
  assert(msg.From == Owner, 'Only the Owner may configure')
  -- The shard list fixes where every staker's stake lives (lib/route.lua): it can be set only once.
  assert(#Shards == 0, 'Already configured')
  assert(type(msg.Tags['Stake-Token']) == 'string', 'Stake-Token is required!')
  assert(type(msg.Tags['Reward-Token']) == 'string', 'Reward-Token is required!')
  assert(msg.Tags['Stake-Token'] ~= msg.Tags['Reward-Token'], 'Stake-Token and Reward-Token must differ')
  StakeToken = msg.Tags['Stake-Token']
  RewardToken = msg.Tags['Reward-Token']
  RewardPerEpoch = amount.parse(msg.Tags['Reward-Per-Epoch'], 'Reward-Per-Epoch')
  assert(type(msg.Tags.Shards) == 'string', 'Shards is required!')
  for id in msg.Tags.Shards:gmatch('[^,]+') do table.insert(Shards, id) end
  assert(#Shards > 0, 'Shards is required!')
  for index, shard in ipairs(Shards) do
    Send({ Target = shard, Action = 'Join', ['Stake-Token'] = StakeToken, ['Reward-Token'] = RewardToken,
      ['Shard-Index'] = tostring(index), Shards = msg.Tags.Shards })
  end
end)

-- Read-only routing answer for clients (the same function the shards use, so it cannot disagree).
Handlers.add('shardOf', 'Shard-Of', function(msg)
  assert(#Shards > 0, 'Not configured')
  local account = msg.Tags.Account or msg.From
  local index = route.shardIndex(account, #Shards)
  msg.reply({ Action = 'Shard', Account = account, Shard = Shards[index], ['Shard-Index'] = tostring(index) })
end)

-- Funding: reward tokens sent here become budget; anything else goes back to its sender.
Handlers.add('credit', 'Credit-Notice', function(msg)
  local quantity = amount.parse(msg.Quantity, 'Quantity')
  if RewardToken ~= nil and msg.From == RewardToken then
    Budget = amount.add(Budget, quantity)
    return
  end
  local reason = msg.From == StakeToken and 'Stake-At-Your-Shard' or 'Unsupported-Token'
  Send({ Target = msg.From, Action = 'Transfer', Recipient = msg.Sender, Quantity = quantity, ['X-Refund'] = reason })
end)

Handlers.add('debit', 'Debit-Notice', function(msg)
  assert(msg.From == RewardToken or msg.From == StakeToken, 'Debit-Notice from an unknown token')
end)

-- The epoch tick: the cron (whose messages come From the Owner) or the Owner by hand.
Handlers.add('distribute', 'Distribute', function(msg)
  assert(msg.From == Owner, 'Only the Owner or its cron may start an epoch')
  -- Nothing to pay: skip the round of messages to every shard.
  if #Shards == 0 or amount.isZero(Budget) then return end
  Epoch = Epoch + 1
  schedule.open(OpenEpochs, Epoch, Shards)
  for _, shard in ipairs(Shards) do
    Send({ Target = shard, Action = 'Snapshot', Epoch = tostring(Epoch) })
  end
end)

-- The last report of an epoch pays it: each shard gets reward × its total / all totals, rounded down.
local function payEpoch(number, epoch)
  local reward = amount.min(RewardPerEpoch, Budget)
  local shares, total = schedule.split(reward, Shards, epoch.Totals)
  LastTotalStaked = total
  for i, shard in ipairs(Shards) do
    if not amount.isZero(shares[i]) then
      Budget = amount.sub(Budget, shares[i])
      Distributed = amount.add(Distributed, shares[i])
      Send({ Target = RewardToken, Action = 'Transfer', Recipient = shard, Quantity = shares[i], ['X-Epoch'] = number })
    elseif not amount.isZero(epoch.Totals[shard]) then
      -- The shard froze its stakes for this epoch; tell it no reward is coming so it can drop them.
      Send({ Target = shard, Action = 'Epoch-Closed', Epoch = number })
    end
  end
end

Handlers.add('snapshotTotal', 'Snapshot-Total', function(msg)
  assert(isShard(msg.From), 'Only a shard may report a total')
  local number = msg.Tags.Epoch
  local total = msg.Tags.Total == '0' and '0' or amount.parse(msg.Tags.Total, 'Total')
  local epoch = schedule.record(OpenEpochs, number, msg.From, total)
  if epoch then payEpoch(number, epoch) end
end)

Handlers.add('info', 'Info', function(msg)
  msg.reply({
    Action = 'Staking-Info', Epoch = tostring(Epoch), Budget = Budget, Distributed = Distributed,
    ['Reward-Per-Epoch'] = RewardPerEpoch, ['Total-Staked'] = LastTotalStaked, Shards = table.concat(Shards, ','),
    ['Stake-Token'] = StakeToken, ['Reward-Token'] = RewardToken,
  })
end)
