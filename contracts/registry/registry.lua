-- A name registry on the aos-sqlite module (spawn it with SQLITE_MODULE): each name is UNIQUE in SQLite, owned
-- by the address that registered it and pointing at a target (tags Name-Owner and Points-To: Owner and Target
-- are message fields). Names by owner are looked up through an index. A duplicate registration fails on the
-- UNIQUE constraint: the error fails the message, and the process rolls back whole, the counter and the history
-- row written before the failing insert included.
local sqlite3 = require('lsqlite3')
local json = require('json')

RegistryDb = RegistryDb or sqlite3.open_memory()
local db = RegistryDb
-- Counted in Lua, beside the database, so a test can see both roll back together.
Registrations = Registrations or 0

db:exec([[
  CREATE TABLE IF NOT EXISTS names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    target TEXT NOT NULL,
    registered_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS names_by_owner ON names (owner);
  CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
  );
]])

-- Prepared once per load; lsqlite3 statements survive between messages.
local insertName = db:prepare('INSERT INTO names (name, owner, target, registered_at) VALUES (:name, :owner, :target, :at)')
local insertHistory = db:prepare('INSERT INTO history (name, action, actor, at) VALUES (?, ?, ?, ?)')

local function step(stmt)
  local rc = stmt:step()
  stmt:reset()
  if rc ~= sqlite3.DONE then error(db:errmsg()) end
end

local function record(name, action, msg)
  insertHistory:bind_values(name, action, msg.From, msg.Timestamp)
  step(insertHistory)
end

local selectName = db:prepare('SELECT name, owner, target, registered_at FROM names WHERE name = ?')

local function lookup(name)
  selectName:bind_values(name)
  local row
  if selectName:step() == sqlite3.ROW then row = selectName:get_named_values() end
  selectName:reset()
  return row
end

local function nameOf(msg)
  local name = msg.Tags.Name
  assert(type(name) == 'string' and name:match('^[a-z0-9][a-z0-9%-]*$') and #name <= 51, 'Name must be 1-51 lowercase letters, digits or -')
  return name
end

Handlers.add('Register', 'Register', function(msg)
  local name = nameOf(msg)
  local target = msg.Tags['Points-To'] or msg.From
  Registrations = Registrations + 1
  record(name, 'register', msg)
  insertName:bind_names({ name = name, owner = msg.From, target = target, at = msg.Timestamp })
  local rc = insertName:step()
  insertName:reset()
  if rc == sqlite3.CONSTRAINT then error('Name ' .. name .. ' is taken (' .. db:errmsg() .. ')') end
  if rc ~= sqlite3.DONE then error(db:errmsg()) end
  msg.reply({ Action = 'Registered', Name = name, ['Points-To'] = target })
end)

Handlers.add('Lookup', 'Lookup', function(msg)
  local row = lookup(nameOf(msg))
  assert(row, 'Name ' .. msg.Tags.Name .. ' is not registered')
  msg.reply({ Action = 'Record', Name = row.name, ['Name-Owner'] = row.owner, ['Points-To'] = row.target, ['Registered-At'] = tostring(row.registered_at) })
end)

Handlers.add('Names-Of', 'Names-Of', function(msg)
  local owner = msg.Tags['Name-Owner'] or msg.From
  local stmt = db:prepare('SELECT name FROM names WHERE owner = ? ORDER BY name')
  stmt:bind_values(owner)
  local names = {}
  for name in stmt:urows() do names[#names + 1] = name end
  stmt:finalize()
  msg.reply({ Action = 'Names', ['Name-Owner'] = owner, Data = json.encode(names) })
end)

Handlers.add('Transfer', 'Transfer', function(msg)
  local name = nameOf(msg)
  local row = lookup(name)
  assert(row, 'Name ' .. name .. ' is not registered')
  assert(row.owner == msg.From, 'Only the owner may transfer ' .. name)
  assert(type(msg.Tags.Recipient) == 'string', 'Recipient is required')
  local stmt = db:prepare('UPDATE names SET owner = ? WHERE name = ?')
  stmt:bind_values(msg.Tags.Recipient, name)
  local rc = stmt:step()
  stmt:finalize()
  if rc ~= sqlite3.DONE then error(db:errmsg()) end
  record(name, 'transfer', msg)
  msg.reply({ Action = 'Transferred', Name = name, ['Name-Owner'] = msg.Tags.Recipient })
end)

Handlers.add('History', 'History', function(msg)
  local name = nameOf(msg)
  local stmt = db:prepare('SELECT action, actor FROM history WHERE name = ? ORDER BY id')
  stmt:bind_values(name)
  local rows = {}
  for row in stmt:nrows() do rows[#rows + 1] = row end
  stmt:finalize()
  msg.reply({ Action = 'History', Name = name, Data = json.encode(rows) })
end)
