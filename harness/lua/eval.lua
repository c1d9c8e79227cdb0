-- The _eval handler: the owner's `Action = Eval` runs msg.Data as Lua in the process's globals (spec §3).
local stringify = require('.stringify')

return function(ao)
  return function(msg)
    local code = msg.Data
    -- Try as an expression first so `1 + 1` prints 2, then as a block.
    local fn, err = load("return " .. code, 'aos', 't', _G)
    if err then fn, err = load(code, 'aos', 't', _G) end
    if not fn then
      ao.outbox.Error = err
      return
    end
    local output, failure = fn()
    if failure then
      ao.outbox.Error = failure
      return
    end
    if HANDLER_PRINT_LOGS and output then
      table.insert(HANDLER_PRINT_LOGS, type(output) == "table" and stringify.format(output) or tostring(output))
    end
  end
end
