-- A token contract written for the fidelity corpus, behaving like the aos token blueprint (aos-runtime.md §8):
-- string balances handled with bint, notices that copy the request's X-* fields, assertion failures as errors.
local bint = require('.bint')(256)
local json = require('json')

Name = Name or 'Fidelity Coin'
Ticker = Ticker or 'FID'
Logo = Logo or 'logo-tx-id'
Denomination = Denomination or 12
TotalSupply = TotalSupply or '10000000000000000'
Balances = Balances or { [ao.id] = TotalSupply }

local function add(a, b) return tostring(bint(a) + bint(b)) end
local function sub(a, b) return tostring(bint(a) - bint(b)) end

-- Every X-* field of the request, for the notices.
local function forwardedTags(msg, into)
  for name, value in pairs(msg) do
    if type(name) == 'string' and string.sub(name, 1, 2) == 'X-' then into[name] = value end
  end
  return into
end

Handlers.add('info', 'Info', function(msg)
  msg.reply({ Name = Name, Ticker = Ticker, Logo = Logo, Denomination = tostring(Denomination) })
end)

Handlers.add('balance', 'Balance', function(msg)
  local account = msg.Tags.Recipient or msg.Tags.Target or msg.From
  local balance = Balances[account] or '0'
  msg.reply({ Balance = balance, Ticker = Ticker, Account = account, Data = balance })
end)

Handlers.add('balances', 'Balances', function(msg)
  msg.reply({ Data = json.encode(Balances) })
end)

Handlers.add('transfer', 'Transfer', function(msg)
  assert(type(msg.Recipient) == 'string', 'Recipient is required!')
  assert(type(msg.Quantity) == 'string', 'Quantity is required!')
  assert(bint(0) < bint(msg.Quantity), 'Quantity must be greater than 0')
  Balances[msg.From] = Balances[msg.From] or '0'
  Balances[msg.Recipient] = Balances[msg.Recipient] or '0'
  if bint(msg.Quantity) <= bint(Balances[msg.From]) then
    Balances[msg.From] = sub(Balances[msg.From], msg.Quantity)
    Balances[msg.Recipient] = add(Balances[msg.Recipient], msg.Quantity)
    if not msg.Cast then
      local debit = forwardedTags(msg, {
        Action = 'Debit-Notice', Recipient = msg.Recipient, Quantity = msg.Quantity,
        Data = 'You transferred ' .. msg.Quantity .. ' to ' .. msg.Recipient,
      })
      local credit = forwardedTags(msg, {
        Target = msg.Recipient, Action = 'Credit-Notice', Sender = msg.From, Quantity = msg.Quantity,
        Data = 'You received ' .. msg.Quantity .. ' from ' .. msg.From,
      })
      msg.reply(debit)
      Send(credit)
    end
  else
    msg.reply({ Action = 'Transfer-Error', ['Message-Id'] = msg.Id, Error = 'Insufficient Balance!' })
  end
end)

Handlers.add('mint', 'Mint', function(msg)
  assert(type(msg.Quantity) == 'string', 'Quantity is required!')
  assert(bint(0) < bint(msg.Quantity), 'Quantity must be greater than zero!')
  if msg.From == ao.id then
    Balances[msg.From] = add(Balances[msg.From] or '0', msg.Quantity)
    TotalSupply = add(TotalSupply, msg.Quantity)
    msg.reply({ Data = 'Successfully minted ' .. msg.Quantity })
  else
    msg.reply({ Action = 'Mint-Error', ['Message-Id'] = msg.Id, Error = 'Only the Process Id can mint new ' .. Ticker .. ' tokens!' })
  end
end)

Handlers.add('totalSupply', 'Total-Supply', function(msg)
  assert(msg.From ~= ao.id, 'Cannot call Total-Supply from the same process!')
  msg.reply({ Action = 'Total-Supply', Data = TotalSupply, Ticker = Ticker })
end)

Handlers.add('burn', 'Burn', function(msg)
  assert(type(msg.Quantity) == 'string', 'Quantity is required!')
  assert(bint(msg.Quantity) <= bint(Balances[msg.From] or '0'), 'Quantity must be less than or equal to the current balance!')
  Balances[msg.From] = sub(Balances[msg.From], msg.Quantity)
  TotalSupply = sub(TotalSupply, msg.Quantity)
  msg.reply({ Data = 'Successfully burned ' .. msg.Quantity })
end)

return 'token loaded'
