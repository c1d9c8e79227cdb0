-- A fungible token with the aos token blueprint's behaviour (specs/aos-runtime.md §8): balances are decimal
-- strings handled with bint, so amounts never lose precision the way Lua floats would; every bad request is an
-- assertion failure, which makes the whole message an Error and the compute unit rolls its state back.
local bint = require('.bint')(256)
local json = require('json')

-- The deployer may set these globals before loading this file; `or` keeps a reload from resetting them.
-- (aos sets Name from the spawn's Name tag on the first message, so that tag is how a token gets its name.)
Name = Name or 'Points Coin'
Ticker = Ticker or 'PNTS'
Denomination = Denomination or 12
Logo = Logo or 'SBCCXwwecBlDqRLUjb8dYABExTJXLieawf7m2aBJ-KY'
TotalSupply = TotalSupply or ('10000' .. string.rep('0', Denomination))
Balances = Balances or { [ao.id] = TotalSupply }

-- 256-bit bint wraps around silently; capping inputs at 64 digits keeps every sum of balances exact.
local MAX_DIGITS = 64

-- A quantity is a positive integer in the smallest unit, written without sign, point or leading zero.
local function quantityOf(value, what)
  assert(type(value) == 'string', what .. ' is required!')
  assert(value:match('^[1-9]%d*$') and #value <= MAX_DIGITS, what .. ' must be a positive integer string!')
  return bint(value)
end

local function balanceOf(account)
  return bint(Balances[account] or '0')
end

-- Zero balances are dropped so Balances lists only holders.
local function setBalance(account, amount)
  Balances[account] = (not bint.iszero(amount)) and tostring(amount) or nil
end

-- The notices carry every X-* tag of the request, so a caller can correlate them with its own ids.
local function withForwardedTags(msg, notice)
  for name, value in pairs(msg.Tags) do
    if name:sub(1, 2) == 'X-' then notice[name] = value end
  end
  return notice
end

Handlers.add('info', 'Info', function(msg)
  msg.reply({ Name = Name, Ticker = Ticker, Logo = Logo, Denomination = tostring(Denomination) })
end)

-- The account asked about is the Recipient tag, else a Target tag, else the sender.
Handlers.add('balance', 'Balance', function(msg)
  local account = msg.Tags.Recipient or msg.Tags.Target or msg.From
  local balance = tostring(balanceOf(account))
  msg.reply({ Balance = balance, Ticker = Ticker, Account = account, Data = balance })
end)

Handlers.add('balances', 'Balances', function(msg)
  msg.reply({ Data = json.encode(Balances) })
end)

Handlers.add('transfer', 'Transfer', function(msg)
  assert(type(msg.Recipient) == 'string' and msg.Recipient ~= '', 'Recipient is required!')
  local quantity = quantityOf(msg.Quantity, 'Quantity')
  if balanceOf(msg.From) < quantity then
    -- Not an Error: the sender gets a reply it can act on, and nothing changed anyway.
    msg.reply({ Action = 'Transfer-Error', ['Message-Id'] = msg.Id, Error = 'Insufficient Balance!' })
    return
  end
  -- Debit first, then credit, each read fresh: a transfer to oneself nets out to no change.
  setBalance(msg.From, balanceOf(msg.From) - quantity)
  setBalance(msg.Recipient, balanceOf(msg.Recipient) + quantity)
  if msg.Cast then return end -- Cast asks for no notices (cheaper for batch payouts)
  msg.reply(withForwardedTags(msg, {
    Action = 'Debit-Notice', Recipient = msg.Recipient, Quantity = msg.Quantity,
    Data = 'You transferred ' .. msg.Quantity .. ' to ' .. msg.Recipient,
  }))
  Send(withForwardedTags(msg, {
    Target = msg.Recipient, Action = 'Credit-Notice', Sender = msg.From, Quantity = msg.Quantity,
    Data = 'You received ' .. msg.Quantity .. ' from ' .. msg.From,
  }))
end)

-- New tokens come only from the process itself (an Eval'd Send) or its Owner, and go to the minter.
Handlers.add('mint', 'Mint', function(msg)
  local quantity = quantityOf(msg.Quantity, 'Quantity')
  if msg.From ~= ao.id and msg.From ~= Owner then
    msg.reply({ Action = 'Mint-Error', ['Message-Id'] = msg.Id, Error = 'Only the Process Id can mint new ' .. Ticker .. ' tokens!' })
    return
  end
  setBalance(msg.From, balanceOf(msg.From) + quantity)
  TotalSupply = tostring(bint(TotalSupply) + quantity)
  msg.reply({ Data = 'Successfully minted ' .. msg.Quantity })
end)

Handlers.add('totalSupply', 'Total-Supply', function(msg)
  -- As in the blueprint: the process asking itself would answer into its own Inbox forever.
  assert(msg.From ~= ao.id, 'Cannot call Total-Supply from the same process!')
  msg.reply({ Action = 'Total-Supply', Data = TotalSupply, Ticker = Ticker })
end)

Handlers.add('burn', 'Burn', function(msg)
  local quantity = quantityOf(msg.Quantity, 'Quantity')
  assert(quantity <= balanceOf(msg.From), 'Quantity must be less than or equal to the current balance!')
  setBalance(msg.From, balanceOf(msg.From) - quantity)
  TotalSupply = tostring(bint(TotalSupply) - quantity)
  msg.reply({ Action = 'Burn-Notice', Quantity = msg.Quantity, Data = 'Successfully burned ' .. msg.Quantity })
end)
