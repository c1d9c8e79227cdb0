-- The _boot handler: the Process message seeds the Inbox and may carry code to run (On-Boot = Data).
return function(ao)
  local eval = require('.eval')(ao)
  return function(msg)
    if #Inbox == 0 then table.insert(Inbox, msg) end
    local onBoot = msg.Tags['On-Boot']
    if onBoot == nil then return end
    if onBoot == 'Data' then
      eval(msg)
    else
      -- Loading code from another transaction needs a gateway, which a replay does not have.
      ao.outbox.Error = "On-Boot = " .. onBoot .. ": loading boot code from a transaction is not supported here; use On-Boot = Data"
    end
  end
end
