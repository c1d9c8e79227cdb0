-- The ao module: process identity, authorities, the outbox and message construction (spec §2).
local ao = {
  _version = "0.0.6",
  id = "",
  _module = "",
  authorities = {},
  reference = 0,
  outbox = { Output = {}, Messages = {}, Spawns = {}, Assignments = {} },
  nonExtractableTags = {
    'Data-Protocol', 'Variant', 'From-Process', 'From-Module', 'Type',
    'From', 'Owner', 'Anchor', 'Target', 'Data', 'Tags', 'Read-Only',
  },
  nonForwardableTags = {
    'Data-Protocol', 'Variant', 'From-Process', 'From-Module', 'Type',
    'From', 'Owner', 'Anchor', 'Target', 'Tags', 'TagArray', 'Hash-Chain',
    'Timestamp', 'Nonce', 'Epoch', 'Signature', 'Forwarded-By',
    'Pushed-For', 'Read-Only', 'Cron', 'Block-Height', 'Reference', 'Id',
    'Reply-To',
  },
}

local function contains(list, key)
  for _, v in ipairs(list) do
    if v == key then return true end
  end
  return false
end

-- Keys of an outgoing message that are fields, not tags.
local MESSAGE_FIELDS = { "Target", "Data", "Anchor", "Tags", "From" }

-- A table whose keys are exactly 1..n (what ao accepts as a tag list rather than a name → value map).
local function isArray(t)
  local max = 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k < 1 or math.floor(k) ~= k then return false end
    if k > max then max = k end
  end
  return max == #t
end

local function appendTags(tags, msg)
  for k, v in pairs(msg) do
    if not contains(MESSAGE_FIELDS, k) then table.insert(tags, { name = k, value = v }) end
  end
  if msg.Tags then
    if isArray(msg.Tags) then
      for _, tag in ipairs(msg.Tags) do table.insert(tags, tag) end
    else
      for k, v in pairs(msg.Tags) do table.insert(tags, { name = k, value = v }) end
    end
  end
end

local function shallowCopy(t)
  local copy = {}
  for k, v in pairs(t) do copy[k] = v end
  return copy
end

function ao.clone(obj, seen)
  if type(obj) ~= 'table' then return obj end
  if seen and seen[obj] then return seen[obj] end
  local s = seen or {}
  local res = {}
  s[obj] = res
  for k, v in pairs(obj) do res[ao.clone(k, s)] = ao.clone(v, s) end
  return setmetatable(res, getmetatable(obj))
end

function ao.normalize(msg)
  for _, tag in ipairs(msg.Tags) do
    if not contains(ao.nonExtractableTags, tag.name) then msg[tag.name] = tag.value end
  end
  return msg
end

function ao.sanitize(msg)
  local copy = ao.clone(msg)
  for k in pairs(copy) do
    if contains(ao.nonForwardableTags, k) then copy[k] = nil end
  end
  return copy
end

function ao.init(env)
  if ao.id == "" then ao.id = env.Process.Id end
  if ao._module == "" then
    for _, tag in ipairs(env.Process.Tags) do
      if tag.name == "Module" then ao._module = tag.value end
    end
  end
  -- Every comma-separated Authority value is trusted, once; authorities are never removed.
  for _, tag in ipairs(env.Process.Tags) do
    if tag.name == "Authority" then
      for authority in string.gmatch(tag.value, "[^,]+") do
        authority = authority:match("^%s*(.-)%s*$")
        if not contains(ao.authorities, authority) then table.insert(ao.authorities, authority) end
      end
    end
  end
  ao.outbox = { Output = {}, Messages = {}, Spawns = {}, Assignments = {} }
  ao.env = env
end

function ao.log(txt)
  if type(ao.outbox.Output) == 'string' then ao.outbox.Output = { ao.outbox.Output } end
  table.insert(ao.outbox.Output, txt)
end

function ao.clearOutbox()
  ao.outbox = { Output = {}, Messages = {}, Spawns = {}, Assignments = {} }
end

local function nextReference()
  ao.reference = ao.reference + 1
  return tostring(ao.reference), string.format("%032d", ao.reference)
end

function ao.send(msg)
  assert(type(msg) == 'table', 'msg should be a table')
  local ref, anchor = nextReference()
  local message = {
    Target = msg.Target,
    Data = msg.Data,
    Anchor = anchor,
    Tags = {
      { name = "Data-Protocol", value = "ao" },
      { name = "Variant", value = "ao.TN.1" },
      { name = "Type", value = "Message" },
      { name = "Reference", value = ref },
    },
  }
  appendTags(message.Tags, msg)
  table.insert(ao.outbox.Messages, shallowCopy(message))

  -- (from, resolver) or (resolver): a one-shot handler for the reply to this message.
  message.onReply = function(...)
    local from, resolver = message.Target, ...
    if select('#', ...) == 2 then from, resolver = ... end
    Handlers.once({ From = from, ["X-Reference"] = ref }, resolver)
  end
  message.receive = function(...)
    local from = message.Target
    if select('#', ...) == 1 then from = ... end
    return Handlers.receive({ From = from, ["X-Reference"] = ref })
  end
  return message
end

function ao.spawn(module, msg)
  assert(type(module) == "string", "Module source id is required!") --@aos 523
  assert(type(msg) == 'table', 'Message must be a table')
  local ref, anchor = nextReference()
  local spawn = {
    Data = msg.Data or "NODATA",
    Anchor = anchor,
    Tags = {
      { name = "Data-Protocol", value = "ao" },
      { name = "Variant", value = "ao.TN.1" },
      { name = "Type", value = "Process" },
      { name = "From-Process", value = ao.id },
      { name = "From-Module", value = ao._module },
      { name = "Module", value = module },
      { name = "Reference", value = ref },
    },
  }
  appendTags(spawn.Tags, msg)
  table.insert(ao.outbox.Spawns, shallowCopy(spawn))

  local spawned = { Action = "Spawned", From = ao.id, Reference = ref }
  spawn.onReply = function(callback) Handlers.once(spawned, callback) end
  spawn.receive = function() return Handlers.receive(spawned) end
  return spawn
end

function ao.assign(assignment)
  assert(type(assignment) == 'table', 'assignment should be a table')
  assert(type(assignment.Processes) == 'table', 'Processes should be a table')
  assert(type(assignment.Message) == "string", "Message should be a string")
  table.insert(ao.outbox.Assignments, assignment)
end

function ao.isTrusted(msg)
  for _, authority in ipairs(ao.authorities) do
    if msg.From == authority or msg.Owner == authority then return true end
  end
  return false
end

-- Assignables: match specs naming which assigned messages (Target is another process) this process accepts.
ao.assignables = {}

local function assignableIndex(name)
  for i, a in ipairs(ao.assignables) do
    if a.name == name then return i end
  end
end

function ao.addAssignable(...)
  local name, spec = nil, ...
  if select('#', ...) ~= 1 then
    name, spec = ...
    assert(type(name) == 'string', 'MatchSpec name MUST be a string')
  end
  local i = name and assignableIndex(name)
  if i then
    ao.assignables[i].pattern = spec
  else
    table.insert(ao.assignables, { pattern = spec, name = name })
  end
end

function ao.removeAssignable(name)
  local i
  if type(name) == 'string' then
    i = assignableIndex(name)
  else
    assert(type(name) == 'number', 'index MUST be a number')
    i = name
  end
  if i == nil or i <= 0 or i > #ao.assignables then return end
  table.remove(ao.assignables, i)
end

function ao.isAssignment(msg) return msg.Target ~= ao.id end

function ao.isAssignable(msg)
  for _, a in pairs(ao.assignables) do
    if Utils.matchesSpec(msg, a.pattern) then return true end
  end
  return false
end

function ao.result(result)
  if ao.outbox.Error or result.Error then return { Error = result.Error or ao.outbox.Error } end
  return {
    Output = result.Output or ao.outbox.Output,
    Messages = ao.outbox.Messages,
    Spawns = ao.outbox.Spawns,
    Assignments = ao.outbox.Assignments,
  }
end

return ao
