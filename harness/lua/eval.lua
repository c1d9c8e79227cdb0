-- The _eval handler: the owner's `Action = Eval` runs msg.Data as Lua in the process's globals (spec §3).
local stringify = require('.stringify')

return function(ao)
  -- `--@aos N`: aos's line for this code, and `func` its name, as tracebacks show them.
  return function(msg) --@aos 27
    local code = msg.Data
    -- Try as an expression first so `1 + 1` prints 2, then as a block.
    local func, err = load("return " .. code, 'aos', 't', _G)
    if err then func, err = load(code, 'aos', 't', _G) end
    if not func then
      ao.outbox.Error = err
      return
    end
    local output, failure = func() --@aos 47
    if failure then
      ao.outbox.Error = failure
      return
    end
    if HANDLER_PRINT_LOGS and output then
      table.insert(HANDLER_PRINT_LOGS, type(output) == "table" and stringify.format(output) or tostring(output))
    end
  end
end
