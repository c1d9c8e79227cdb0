-- A staking shard: the vault for the stakers whose address routes to it (lib/route.lua). It holds their
-- staked tokens and their unclaimed rewards, so staking, unstaking and claiming involve this shard and the
-- token only: shards run side by side and none of them waits on another. See README.md.
local amount = require('lib.amount')
local ledger = require('lib.ledger')
local route = require('lib.route')

-- Set once, by the spawn tag: the only process this shard takes Join, Snapshot and rewards from.
Coordinator = Coordinator or ao.env.Process.Tags.Coordinator
-- Set by Join.
StakeToken = StakeToken or nil
RewardToken = RewardToken or nil
ShardIndex = ShardIndex or nil
Shards = Shards or {}
-- Staked amounts and unclaimed rewards per staker; TotalStaked is the sum of Stakes.
Stakes = Stakes or {}
TotalStaked = TotalStaked or '0'
Rewards = Rewards or {}
-- Reward received but not yet credited to anyone (rounding left-overs, gifts); paid out with the next epoch.
Unallocated = Unallocated or '0'
-- Stakes frozen at each epoch's snapshot, until that epoch's reward arrives.
Frozen = Frozen or {}

local function fromCoordinator(msg)
  assert(Coordinator and msg.From == Coordinator, 'Only the coordinator may send ' .. tostring(msg.Action))
end

-- Tokens that must not stay here go back to whoever sent them, saying why.
local function refund(msg, reason)
  Send({ Target = msg.From, Action = 'Transfer', Recipient = msg.Sender, Quantity = msg.Quantity, ['X-Refund'] = reason })
end

Handlers.add('join', 'Join', function(msg)
  fromCoordinator(msg)
  -- Routing depends on the shard count: changing it later would strand every stake.
  assert(ShardIndex == nil, 'Already joined')
  StakeToken = msg.Tags['Stake-Token']
  RewardToken = msg.Tags['Reward-Token']
  ShardIndex = tonumber(msg.Tags['Shard-Index'])
  Shards = {}
  for id in msg.Tags.Shards:gmatch('[^,]+') do table.insert(Shards, id) end
  assert(StakeToken and RewardToken and Shards[ShardIndex] == ao.id, 'Join does not name this shard')
end)

local function stake(msg)
  local staker = msg.Sender
  local home = Shards[route.shardIndex(staker, #Shards)]
  if home ~= ao.id then return refund(msg, 'Wrong-Shard: stake at ' .. home) end
  ledger.credit(Stakes, staker, msg.Quantity)
  TotalStaked = amount.add(TotalStaked, msg.Quantity)
  Send({ Target = staker, Action = 'Staked', Quantity = msg.Quantity, Stake = Stakes[staker] })
end

-- A reward for a frozen epoch is split over that snapshot's stakes; anything else waits in Unallocated.
local function receiveReward(msg)
  local epoch = msg.Tags['X-Epoch']
  local frozen = epoch and Frozen[epoch]
  Unallocated = amount.add(Unallocated, msg.Quantity)
  if msg.Sender ~= Coordinator or not frozen then return end
  Frozen[epoch] = nil
  Unallocated = ledger.distribute(frozen.Stakes, frozen.Total, Unallocated, Rewards)
end

-- Staking is a plain transfer of the stake token to this shard: its Credit-Notice is the deposit.
Handlers.add('credit', 'Credit-Notice', function(msg)
  amount.parse(msg.Quantity, 'Quantity')
  if ShardIndex ~= nil and msg.From == StakeToken then return stake(msg) end
  if ShardIndex ~= nil and msg.From == RewardToken then return receiveReward(msg) end
  refund(msg, ShardIndex == nil and 'Not-Joined' or 'Unsupported-Token')
end)

-- Our own transfers' receipts: nothing to do, but they should not pile up in the Inbox.
Handlers.add('debit', 'Debit-Notice', function(msg)
  assert(msg.From == StakeToken or msg.From == RewardToken, 'Debit-Notice from an unknown token')
end)

Handlers.add('snapshot', 'Snapshot', function(msg)
  fromCoordinator(msg)
  local epoch = msg.Tags.Epoch
  if not amount.isZero(TotalStaked) then
    Frozen[epoch] = { Total = TotalStaked, Stakes = ledger.copy(Stakes) }
  end
  msg.reply({ Action = 'Snapshot-Total', Epoch = epoch, Total = TotalStaked })
end)

-- The coordinator had no reward for this shard this epoch (its share rounded to zero).
Handlers.add('epochClosed', 'Epoch-Closed', function(msg)
  fromCoordinator(msg)
  Frozen[msg.Tags.Epoch] = nil
end)

Handlers.add('unstake', 'Unstake', function(msg)
  local quantity = amount.parse(msg.Quantity, 'Quantity')
  if not ledger.debit(Stakes, msg.From, quantity) then
    msg.reply({ Action = 'Unstake-Error', ['Message-Id'] = msg.Id, Error = 'Insufficient Stake!' })
    return
  end
  TotalStaked = amount.sub(TotalStaked, quantity)
  Send({ Target = StakeToken, Action = 'Transfer', Recipient = msg.From, Quantity = quantity, ['X-Reason'] = 'Unstake' })
  msg.reply({ Action = 'Unstaked', Quantity = quantity, Stake = ledger.get(Stakes, msg.From) })
end)

Handlers.add('claim', 'Claim', function(msg)
  local reward = ledger.get(Rewards, msg.From)
  if amount.isZero(reward) then
    msg.reply({ Action = 'Claim-Error', ['Message-Id'] = msg.Id, Error = 'No Rewards!' })
    return
  end
  Rewards[msg.From] = nil
  Send({ Target = RewardToken, Action = 'Transfer', Recipient = msg.From, Quantity = reward, ['X-Reason'] = 'Claim' })
  msg.reply({ Action = 'Claimed', Quantity = reward })
end)

Handlers.add('position', 'Position', function(msg)
  local account = msg.Tags.Account or msg.From
  msg.reply({ Action = 'Position', Account = account, Stake = ledger.get(Stakes, account), Reward = ledger.get(Rewards, account) })
end)
