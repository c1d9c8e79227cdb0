-- A chat service on the aos-sqlite module (spawn it with SQLITE_MODULE): rooms, their members and posts live in
-- SQLite tables. History pages through a room's posts by id, so a client resumes where it stopped even while
-- new posts arrive. Every bad request is an error: the message fails and the process, database included, is
-- left as it was.
local sqlite3 = require('lsqlite3')
local json = require('json')

ChatDb = ChatDb or sqlite3.open_memory()
local db = ChatDb

db:exec([[
  CREATE TABLE IF NOT EXISTS rooms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    creator TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS members (
    room_id INTEGER NOT NULL REFERENCES rooms(id),
    address TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, address)
  );
  CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms(id),
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    posted_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS posts_by_room ON posts (room_id, id);
]])

local PAGE_DEFAULT, PAGE_MAX = 20, 100
local MAX_BODY = 4096

-- Runs one statement with its values bound; returns the rows as named tables. Raises SQLite's message on failure.
local function query(sql, ...)
  local stmt = db:prepare(sql)
  if not stmt then error(db:errmsg()) end
  if select('#', ...) > 0 then stmt:bind_values(...) end
  local rows = {}
  for row in stmt:nrows() do rows[#rows + 1] = row end
  stmt:finalize()
  return rows
end

local function run(sql, ...)
  local stmt = db:prepare(sql)
  if not stmt then error(db:errmsg()) end
  stmt:bind_values(...)
  local rc = stmt:step()
  stmt:finalize()
  if rc ~= sqlite3.DONE then error(db:errmsg()) end
  return db:last_insert_rowid()
end

local function roomOf(msg)
  local id = math.tointeger(tonumber(msg.Tags['Room-Id']))
  assert(id, 'Room-Id is required')
  local room = query('SELECT id, name FROM rooms WHERE id = ?', id)[1]
  assert(room, 'No room ' .. id)
  return room
end

local function isMember(roomId, address)
  return #query('SELECT 1 FROM members WHERE room_id = ? AND address = ?', roomId, address) > 0
end

Handlers.add('Create-Room', 'Create-Room', function(msg)
  local name = msg.Tags.Name
  assert(type(name) == 'string' and name:match('^[%w%-_]+$') and #name <= 64, 'Name must be 1-64 letters, digits, - or _')
  assert(#query('SELECT 1 FROM rooms WHERE name = ?', name) == 0, 'Room ' .. name .. ' exists')
  local id = run('INSERT INTO rooms (name, creator, created_at) VALUES (?, ?, ?)', name, msg.From, msg.Timestamp)
  run('INSERT INTO members (room_id, address, joined_at) VALUES (?, ?, ?)', id, msg.From, msg.Timestamp)
  msg.reply({ Action = 'Room-Created', ['Room-Id'] = tostring(id), Name = name })
end)

Handlers.add('Join', 'Join', function(msg)
  local room = roomOf(msg)
  if not isMember(room.id, msg.From) then
    run('INSERT INTO members (room_id, address, joined_at) VALUES (?, ?, ?)', room.id, msg.From, msg.Timestamp)
  end
  msg.reply({ Action = 'Joined', ['Room-Id'] = tostring(room.id) })
end)

Handlers.add('Leave', 'Leave', function(msg)
  local room = roomOf(msg)
  run('DELETE FROM members WHERE room_id = ? AND address = ?', room.id, msg.From)
  msg.reply({ Action = 'Left', ['Room-Id'] = tostring(room.id) })
end)

Handlers.add('Post', 'Post', function(msg)
  local room = roomOf(msg)
  assert(isMember(room.id, msg.From), 'Only members of ' .. room.name .. ' may post')
  local body = msg.Data
  assert(type(body) == 'string' and #body > 0 and #body <= MAX_BODY, 'Data must be 1-' .. MAX_BODY .. ' bytes')
  local id = run('INSERT INTO posts (room_id, author, body, posted_at) VALUES (?, ?, ?, ?)', room.id, msg.From, body, msg.Timestamp)
  msg.reply({ Action = 'Posted', ['Post-Id'] = tostring(id) })
end)

-- Posts after the After cursor (a post id; default 0), oldest first, at most Limit; Next-Cursor when there are more.
Handlers.add('History', 'History', function(msg)
  local room = roomOf(msg)
  local after = math.tointeger(tonumber(msg.Tags.After or '0'))
  local limit = math.tointeger(tonumber(msg.Tags.Limit or tostring(PAGE_DEFAULT)))
  assert(after and after >= 0, 'After must be a post id')
  assert(limit and limit >= 1 and limit <= PAGE_MAX, 'Limit must be 1-' .. PAGE_MAX)
  local rows = query('SELECT id, author, body, posted_at FROM posts WHERE room_id = ? AND id > ? ORDER BY id LIMIT ?', room.id, after, limit + 1)
  local more = #rows > limit
  if more then rows[#rows] = nil end
  local reply = { Action = 'History', ['Room-Id'] = tostring(room.id), Data = json.encode(rows) }
  if more then reply['Next-Cursor'] = tostring(rows[#rows].id) end
  msg.reply(reply)
end)

Handlers.add('Members', 'Members', function(msg)
  local room = roomOf(msg)
  local members = {}
  for _, row in ipairs(query('SELECT address FROM members WHERE room_id = ? ORDER BY joined_at, rowid', room.id)) do
    members[#members + 1] = row.address
  end
  msg.reply({ Action = 'Members', ['Room-Id'] = tostring(room.id), Data = json.encode(members) })
end)

Handlers.add('Rooms', 'Rooms', function(msg)
  local rooms = query([[SELECT r.id, r.name, count(m.address) AS members FROM rooms r
    LEFT JOIN members m ON m.room_id = r.id GROUP BY r.id ORDER BY r.id]])
  msg.reply({ Action = 'Rooms', Data = json.encode(rooms) })
end)
