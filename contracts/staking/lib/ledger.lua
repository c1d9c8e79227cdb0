-- Books of account → amount string. Zero entries are removed, so a book lists only holders.
local amount = require('lib.amount')

local ledger = {}

function ledger.get(book, account)
  return book[account] or '0'
end

function ledger.credit(book, account, value)
  book[account] = amount.add(ledger.get(book, account), value)
end

-- Returns false, changing nothing, when the account holds less than `value`.
function ledger.debit(book, account, value)
  local held = ledger.get(book, account)
  if amount.lt(held, value) then return false end
  local left = amount.sub(held, value)
  book[account] = (not amount.isZero(left)) and left or nil
  return true
end

-- A copy to freeze the book at one instant (the epoch snapshot), independent of later changes.
function ledger.copy(book)
  local frozen = {}
  for account, value in pairs(book) do frozen[account] = value end
  return frozen
end

-- Splits `value` over the accounts of `book` in proportion to their amounts (of `total`), crediting `into`.
-- Returns what rounding left over; accounts are visited in sorted order so results never depend on pairs().
function ledger.distribute(book, total, value, into)
  local accounts = {}
  for account in pairs(book) do table.insert(accounts, account) end
  table.sort(accounts)
  local left = value
  for _, account in ipairs(accounts) do
    local share = amount.mulDiv(value, book[account], total)
    if not amount.isZero(share) then
      ledger.credit(into, account, share)
      left = amount.sub(left, share)
    end
  end
  return left
end

return ledger
