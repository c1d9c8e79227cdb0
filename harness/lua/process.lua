-- process.handle: one message in, one result out, exactly as the aos module evaluates it (spec §3).
local json = require('json')
local stringify = require('.stringify')
local random = require('.random')
local diagnostics = require('.diagnostics')

Colors = { red = "\27[31m", green = "\27[32m", blue = "\27[34m", reset = "\27[0m", gray = "\27[90m" }
Bell = "\x07"
Dump = require('.dump')
Utils = require('.utils')
Handlers = require('.handlers')
ao = require('.ao')

local process = { _version = "2.0.4" }
local MAX_INBOX = 10000

-- Table Data is sent as JSON (the aos "magic table").
local function encodeTableData(msg)
  if msg.Data and type(msg.Data) == 'table' then
    msg['Content-Type'] = 'application/json'
    msg.Data = json.encode(msg.Data)
  end
end
local rawSend, rawSpawn = ao.send, ao.spawn
ao.send = function(msg)
  encodeTableData(msg)
  return rawSend(msg)
end
ao.spawn = function(module, msg)
  encodeTableData(msg)
  return rawSpawn(module, msg)
end

-- `my_tag` → `My-Tag`, `SDK` → `Sdk` (aos 2.0.6 title-cases every incoming key and tag name).
-- The same few dozen names come with every message: each is worked out once (a bounded memo).
local normalized, normalizedCount = {}, 0
local function normalizeName(name)
  if type(name) ~= 'string' then return name end
  local known = normalized[name]
  if known then return known end
  local lowered = name:gsub("_", "-"):lower()
  local result = (lowered:gsub("^%l", string.upper):gsub("%-%l", string.upper))
  if #name <= 64 then
    if normalizedCount >= 512 then normalized, normalizedCount = {}, 0 end
    normalized[name] = result
    normalizedCount = normalizedCount + 1
  end
  return result
end

-- Also returns the names it changed (original → aos's), top-level keys and tag names apart, for aokit's lint.
local function normalizeMessage(msg)
  local renamed, renamedTags = {}, {}
  for key, value in pairs(msg) do
    local name = normalizeName(key)
    if name ~= key then renamed[key] = name end
  end
  for old, new in pairs(renamed) do
    msg[new], msg[old] = msg[old], nil
  end
  if type(msg.Tags) == 'table' then
    for _, tag in ipairs(msg.Tags) do
      if type(tag.name) == 'string' then
        local name = normalizeName(tag.name)
        if name ~= tag.name then
          renamedTags[tag.name] = name
          renamed[tag.name] = renamed[tag.name] or name
        end
        tag.name = name
      end
    end
  end
  ao.normalize(msg)
  return msg, renamed, renamedTags
end

-- aokit's tag-name lint: a message that carried a name aos renamed (`VoteID` → `Voteid`) gets an __index that
-- records a read of the old name (the value stays nil). Only such messages get a metatable: aos's have none.
local rawNext, rawGetmetatable, rawSetmetatable = next, getmetatable, setmetatable
local function watchRenamed(t, renames, field)
  if rawNext(renames) == nil or type(t) ~= 'table' or rawGetmetatable(t) ~= nil then return end
  rawSetmetatable(t, {
    __index = function(_, key)
      local name = renames[key]
      if name ~= nil then diagnostics.renamedRead(field, key, name) end
    end,
  })
end

-- The side channel goes with the result; the host strips it (harness/vm/diagnostics.ts).
local function withDiagnostics(result)
  local taken = diagnostics.take()
  if taken ~= nil and type(result) == 'table' then result.__aokit = taken end
  return result
end

local function insertInbox(msg)
  table.insert(Inbox, msg)
  while #Inbox > MAX_INBOX do table.remove(Inbox, 1) end
end

local function findTag(tags, name)
  for _, tag in ipairs(tags) do
    if tag.name == name then return tag end
  end
end

-- A tag list as a map; the first of duplicate names wins.
function Tab(msg)
  local map = {}
  for _, tag in ipairs(msg.Tags) do
    if not map[tag.name] then map[tag.name] = tag.value end
  end
  return map
end

function Prompt()
  return Colors.green .. Name .. Colors.gray .. "@" .. Colors.blue .. "aos-" .. process._version .. Colors.gray
    .. "[Inbox:" .. Colors.red .. tostring(#Inbox) .. Colors.gray .. "]" .. Colors.reset .. "> "
end

function print(a)
  if type(a) == "table" then a = stringify.format(a) end
  if type(a) == "boolean" then a = Colors.blue .. tostring(a) .. Colors.reset end
  if type(a) == "nil" then a = Colors.red .. tostring(a) .. Colors.reset end
  if type(a) == "number" then a = Colors.green .. tostring(a) .. Colors.reset end
  local data = a
  if ao.outbox.Output.data then data = ao.outbox.Output.data .. "\n" .. a end
  ao.outbox.Output = { data = data, prompt = Prompt(), print = true }
  if HANDLER_PRINT_LOGS then
    table.insert(HANDLER_PRINT_LOGS, a)
    return nil
  end
  return tostring(a)
end

function Send(msg)
  if not msg.Target then
    print("WARN: No target specified for message. Data will be stored, but no process will receive it.")
  end
  local result = ao.send(msg)
  return { output = "Message added to outbox", receive = result.receive, onReply = result.onReply }
end

function Spawn(...)
  local module, spawnMsg
  if select("#", ...) == 1 then
    module, spawnMsg = ao._module, ...
  else
    module, spawnMsg = ...
  end
  local result = ao.spawn(module, spawnMsg or {})
  return { output = "Spawn process request added to outbox", after = result.after, receive = result.receive }
end

function Receive(match)
  return Handlers.receive(match)
end

function Assign(assignment)
  ao.assign(assignment)
  print("Assignment added to outbox.")
  return 'Assignment added to outbox.'
end

function Version()
  print("version: " .. process._version)
end

Seeded = Seeded or false

-- First message: seed randomness from the message (spec §5), create Errors/Inbox, settle Owner and Name.
local function initializeState(msg, env)
  if not Seeded then
    random.seed(random.seedFromMessage(msg))
    math.random = random.random
    Seeded = true
  end
  Errors = Errors or {}
  Inbox = Inbox or {}
  if env.Process.Id == msg.Id and not Owner then
    local from = findTag(env.Process.Tags, "From-Process")
    Owner = from and from.value or msg.From
  end
  if not Name then
    local name = findTag(env.Process.Tags, "Name")
    Name = name and name.value or 'aos'
  end
end

-- aos prints the traceback of process.handle minus the frames of its host entry: the header and one frame.
local function handleTraceback(traceback)
  local header, frame = traceback:match("^([^\n]*)\n([^\n]*)")
  return header .. "\n" .. frame
end

-- AO runs Lua 5.3, where warn and coroutine.close are nil as here; a message that fails by calling one says why.
local LUA54_ONLY = {
  ["global 'warn'"] = "warn is Lua 5.4 only; AO runs Lua 5.3",
  ["field 'close'"] = "if this is coroutine.close: it is Lua 5.4 only; AO runs Lua 5.3",
}
local function explainLua54(err)
  if type(err) ~= 'string' then return err end
  local what = err:match("attempt to call a nil value %((.-)%)")
  local note = what and LUA54_ONLY[what]
  if note then return err .. " (" .. note .. ")" end
  return err
end

local function replyTo(msg)
  return function(reply)
    reply.Target = msg["Reply-To"] or (reply.Target or msg.From)
    reply["X-Reference"] = msg["X-Reference"] or msg.Reference
    reply["X-Origin"] = msg["X-Origin"] or nil
    return ao.send(reply)
  end
end

local function forwardFrom(msg)
  return function(target, extra)
    local forwarded = ao.sanitize(msg)
    for k, v in pairs(extra or {}) do forwarded[k] = v end
    forwarded.Target = target
    forwarded["Reply-To"] = msg["Reply-To"] or msg.From
    forwarded["X-Reference"] = msg["X-Reference"] or msg.Reference
    forwarded["X-Origin"] = msg["X-Origin"] or msg.From
    forwarded.reply, forwarded.forward = nil, nil
    ao.send(forwarded)
  end
end

local function logs()
  return table.concat(HANDLER_PRINT_LOGS, "\n")
end

function process.handle(msg, env)
  ao.init(env)
  diagnostics.reset()
  local renamed, renamedTags
  msg, renamed, renamedTags = normalizeMessage(msg)
  ao.id = ao.env.Process.Id
  initializeState(msg, ao.env)
  HANDLER_PRINT_LOGS = {}
  os.time = function() return msg.Timestamp end

  msg.TagArray = msg.Tags
  msg.Tags = Tab(msg)
  watchRenamed(msg, renamed, "msg")
  watchRenamed(msg.Tags, renamedTags, "msg.Tags")
  ao.env.Process.TagArray = ao.env.Process.Tags
  ao.env.Process.Tags = Tab(ao.env.Process)
  -- Deliberately outside any pcall: invalid JSON fails the whole evaluation, as on AO.
  if msg.Tags['Content-Type'] == 'application/json' then msg.Data = json.decode(msg.Data or "{}") end
  ao.clearOutbox()

  if msg.From ~= msg.Owner and not ao.isTrusted(msg) then
    print('Message is not trusted! From: ' .. msg.From .. ' - Owner: ' .. msg.Owner)
    return ao.result({})
  end
  if ao.isAssignment(msg) and not ao.isAssignable(msg) then
    if msg.From ~= ao.id then Send({ Target = msg.From, Data = "Assignment is not trusted by this process!" }) end
    print('Assignment is not trusted! From: ' .. msg.From .. ' - Owner: ' .. msg.Owner)
    return ao.result({})
  end

  Handlers.add("_eval", function(m) return m.Action == "Eval" and Owner == m.From end, require('.eval')(ao))
  if env.Process.Id == msg.Id then
    Handlers.once("_boot", function(m) return m.Tags.Type == "Process" and Owner == m.From end, require('.boot')(ao))
  end
  Handlers.append("_default", function() return true end, require('.default')(insertInbox))

  msg.reply = replyTo(msg)
  msg.forward = forwardFrom(msg)

  -- Each message runs in its own coroutine, so Receive can park it until a matching message arrives.
  -- `--@aos N`: aos's line for this code, shown in tracebacks and error locations (harness/vm/runtimeImage.ts).
  local co = coroutine.create(function() --@aos 907
    -- Not `return pcall(…)`: pcall is a Lua function here (compat/errors.lua), and a tail call would drop this frame.
    local ok, result = pcall(Handlers.evaluate, msg, env) --@aos 909
    return ok, result
  end)
  local _, ok, result = coroutine.resume(co)
  if not ok then result = explainLua54(result) end
  table.insert(Handlers.coroutines, co)
  for i, c in ipairs(Handlers.coroutines) do
    if coroutine.status(c) == "dead" then table.remove(Handlers.coroutines, i) end
  end

  if not ok then
    if msg.Action == "Eval" then
      table.insert(Errors, result)
      return withDiagnostics({ Error = logs() .. '\n\n' .. Colors.red .. 'error:\n' .. Colors.reset .. result }) --@aos 947
    end
    if msg.Action then
      print(Colors.red .. "Error" .. Colors.gray .. " handling message with Action = " .. msg.Action .. Colors.reset)
    else
      print(Colors.red .. "Error" .. Colors.gray .. " handling message " .. Colors.reset)
    end
    print(Colors.green .. result .. Colors.reset) --@aos 965
    print("\n" .. Colors.gray .. handleTraceback(debug.traceback()) .. Colors.reset) --@aos 967
    return withDiagnostics(ao.result({ Error = logs() .. '\n\n' .. Colors.red .. 'error:\n' .. Colors.reset .. result, Messages = {}, Spawns = {}, Assignments = {} }))
  end

  local output
  if msg.Action == "Eval" then
    output = { data = logs(), prompt = Prompt(), test = Dump(HANDLER_PRINT_LOGS) }
  else
    output = { data = logs(), prompt = Prompt(), print = true }
  end
  HANDLER_PRINT_LOGS = {}
  return withDiagnostics(ao.result({ Output = output }))
end

return process
