-- The _default handler: a message no handler took goes to the Inbox, with a one-line notice (spec §3).
local json = require('json')

local function shortId(id)
  if not id then return "unknown" end
  return id:sub(1, 3) .. "..." .. id:sub(-3)
end

return function(insertInbox)
  return function(msg)
    insertInbox(msg)
    local text = Colors.gray .. "New Message From " .. Colors.green .. shortId(msg.From) .. Colors.gray .. ": "
    if msg.Action then
      text = text .. Colors.gray .. "Action = " .. Colors.blue .. msg.Action:sub(1, 20) .. Colors.reset
    else
      local data = msg.Data
      if type(data) == 'table' then data = json.encode(data) end
      text = text .. Colors.gray .. "Data = " .. Colors.blue .. (data and tostring(data):sub(1, 20) or "") .. Colors.reset
    end
    print(text)
  end
end
