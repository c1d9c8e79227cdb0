-- lsqlite3, the SQLite binding of the aos-sqlite module, over one host function (harness/vm/sqlite/): the
-- databases live on the host and are part of the process state. Same API and results as lsqlite3's C code:
-- integers come back as integers, REAL as floats, NULL as nil, TEXT and BLOB as strings; column indexes of
-- get_value/get_name are 0-based, bind indexes 1-based. Called once at boot with the host function; main.lua
-- makes require('lsqlite3') find it only in processes of the aos-sqlite module.
local host = ...
local pack, unpack, byte = string.pack, string.unpack, string.byte
local mathtype, type, tostring, tonumber, error, select = math.type, type, tostring, tonumber, error, select
local setmetatable, getmetatable, pairs, ipairs, tunpack = setmetatable, getmetatable, pairs, ipairs, table.unpack

local sqlite3 = {
  OK = 0, ERROR = 1, INTERNAL = 2, PERM = 3, ABORT = 4, BUSY = 5, LOCKED = 6, NOMEM = 7, READONLY = 8,
  INTERRUPT = 9, IOERR = 10, CORRUPT = 11, NOTFOUND = 12, FULL = 13, CANTOPEN = 14, PROTOCOL = 15, EMPTY = 16,
  SCHEMA = 17, TOOBIG = 18, CONSTRAINT = 19, MISMATCH = 20, MISUSE = 21, NOLFS = 22, AUTH = 23, FORMAT = 24,
  RANGE = 25, NOTADB = 26, ROW = 100, DONE = 101,
  INTEGER = 1, FLOAT = 2, TEXT = 3, BLOB = 4, NULL = 5,
  OPEN_READONLY = 0x1, OPEN_READWRITE = 0x2, OPEN_CREATE = 0x4, OPEN_URI = 0x40, OPEN_MEMORY = 0x80,
  OPEN_NOMUTEX = 0x8000, OPEN_FULLMUTEX = 0x10000, OPEN_SHAREDCACHE = 0x20000, OPEN_PRIVATECACHE = 0x40000,
}
local OK, ROW, DONE, ABORT, MISUSE = 0, 100, 101, 4, 21
local STALE, BAD_COUNT = -1, -2

-- Handles and statement ids are counted here, in the process state, so a restored state names the same ones.
local nextHandle, nextStmt = 0, 0
local enabled = false
-- Each open database's bytes as of the last checkpoint (base64, kept for the process image; never read here).
local saved = {}

local function code(answer) return (unpack("<i8", answer)) end

local function readValue(s, pos)
  local tag = byte(s, pos)
  if tag == 110 then return nil, pos + 1 end            -- n
  if tag == 105 then return unpack("<i8", s, pos + 1) end -- i
  if tag == 102 then return unpack("<d", s, pos + 1) end  -- f
  return unpack("<s4", s, pos + 1)                       -- s, b
end

local function packValue(v, i, fname)
  local kind = type(v)
  if v == nil then return "n" end
  if kind == "number" then
    if mathtype(v) == "integer" then return "i" .. pack("<i8", v) end
    return "f" .. pack("<d", v)
  end
  if kind == "string" then return "s" .. v end
  if kind == "boolean" then return v and "T" or "F" end
  error("bad argument #" .. i .. " to '" .. fname .. "' (incompatible types)", 3)
end

-- Row values: count then values, from `pos`; returns the values and the position after them.
local function readRow(answer, pos)
  local n
  n, pos = unpack("<i8", answer, pos)
  local values = {}
  for i = 1, n do values[i], pos = readValue(answer, pos) end
  return values, pos
end

local Db, Stmt = {}, {}
Db.__index, Stmt.__index = Db, Stmt
Db.__tostring = function(db) return "sqlite database (" .. (db.isopen_ and tostring(db.handle) or "closed") .. ")" end
Stmt.__tostring = function(s) return "sqlite vm (" .. (s.sql and tostring(s.id) or "finalized") .. ")" end

local function checkdb(db)
  if getmetatable(db) ~= Db then error("bad argument #1 (sqlite database expected)", 3) end
  if not db.isopen_ then error("attempt to use closed sqlite database", 3) end
end

local function checkvm(stmt)
  if getmetatable(stmt) ~= Stmt then error("bad argument #1 (sqlite vm expected)", 3) end
  if not stmt.sql then error("attempt to use closed sqlite vm", 3) end
end

-- Prepares the first statement of `sql` under a fresh id. Returns id, OK, tail or nil, code, message.
local function prepare(db, sql, temp)
  nextStmt = nextStmt + 1
  local id = nextStmt
  local answer = host("prepare", tostring(db.handle), tostring(id), sql, temp and "1" or "0")
  local rc = code(answer)
  local text = unpack("<s4", answer, 9)
  if rc ~= OK then return nil, rc, text end
  return id, OK, text
end

-- A statement op; statements do not outlive a rollback or a hibernation on the host: prepare again, same id.
local function stmtCall(stmt, op, ...)
  local answer = host(op, tostring(stmt.id), ...)
  if code(answer) == STALE then
    if stmt.temp then error("lsqlite3: this row iterator was closed (it outlived its message, or 1,000 newer ones were opened)", 0) end
    local a = host("prepare", tostring(stmt.db.handle), tostring(stmt.id), stmt.sql, stmt.temp and "1" or "0")
    if code(a) ~= OK then error(unpack("<s4", a, 9), 0) end
    stmt.names = nil
    answer = host(op, tostring(stmt.id), ...)
  end
  return answer
end

local function names(stmt)
  if stmt.names then return stmt.names end
  local answer = stmtCall(stmt, "names")
  local n, pos = unpack("<i8", answer, 9)
  local list = {}
  for i = 1, n do list[i], pos = unpack("<s4", answer, pos) end
  stmt.names = list
  return list
end

local function newStmt(db, id, sql, temp)
  return setmetatable({ db = db, id = id, sql = sql, temp = temp }, Stmt)
end

-- Steps once: ROW and its values, DONE, or an error code and message.
local function step(stmt)
  local answer = stmtCall(stmt, "step")
  local rc = code(answer)
  if rc == ROW then
    stmt.row = readRow(answer, 9)
    return ROW
  end
  stmt.row = nil
  if rc == DONE then return DONE end
  return rc, unpack("<s4", answer, 9)
end

-- The row iterators and exec read rows in batches: one host call per BATCH rows, not per row.
local BATCH = 256

local function fetch(stmt)
  local answer = stmtCall(stmt, "steps", tostring(BATCH))
  local n, pos = unpack("<i8", answer)
  local batch = {}
  for i = 1, n do batch[i], pos = readRow(answer, pos) end
  local rc
  rc, pos = unpack("<i8", answer, pos)
  stmt.batch, stmt.at, stmt.after, stmt.message = batch, 0, rc, nil
  if rc ~= ROW and rc ~= DONE then stmt.message = unpack("<s4", answer, pos) end
end

-- Next row of a temporary statement (db:nrows, db:exec): ROW with stmt.row set, DONE, or an error code and message.
local function nextRow(stmt)
  if not stmt.batch or (stmt.at >= #stmt.batch and stmt.after == ROW) then fetch(stmt) end
  if stmt.at < #stmt.batch then
    stmt.at = stmt.at + 1
    stmt.row = stmt.batch[stmt.at]
    return ROW
  end
  stmt.row = nil
  return stmt.after, stmt.message
end

local function finalize(stmt)
  if not stmt.sql then return OK end
  local rc = code(host("finalize", tostring(stmt.id)))
  stmt.sql, stmt.row = nil, nil
  return rc
end

-- The three row shapes of rows/nrows/urows.
local function shaped(stmt, shape)
  local row = stmt.row
  if shape == "packed" then
    local out = {}
    for i = 1, #names(stmt) do out[i] = row[i] end
    return out
  end
  if shape == "named" then
    local out = {}
    for i, name in ipairs(names(stmt)) do out[name] = row[i] end
    return out
  end
  return tunpack(row, 1, #names(stmt))
end

local function iterator(stmt, shape)
  return function()
    if not stmt.sql then return nil end
    local rc, message
    if stmt.temp then rc, message = nextRow(stmt) else rc, message = step(stmt) end
    if rc == ROW then return shaped(stmt, shape) end
    if stmt.temp then
      finalize(stmt)
    else
      stmtCall(stmt, "reset")
    end
    if rc ~= DONE then error(message, 0) end
    return nil
  end
end

local function rows(db, sql, shape)
  checkdb(db)
  local id, rc, text = prepare(db, sql, true)
  if not id then error(text, 0) end
  return iterator(newStmt(db, id, sql, true), shape)
end

function Db:isopen() return self.isopen_ == true end

function Db:close()
  checkdb(self)
  host("close", tostring(self.handle))
  self.isopen_ = false
  saved[tostring(self.handle)] = nil
  return OK
end

function Db:close_vm() checkdb(self) end

function Db:exec(sql, callback, udata)
  checkdb(self)
  local rest = sql
  while rest and rest:find("%S") do
    local id, rc, tail = prepare(self, rest, true)
    if not id then return rc end
    local stmt = newStmt(self, id, rest, true)
    -- A tail no shorter than the text would loop forever; SQLite always consumes something, but be sure.
    if #tail >= #rest then tail = "" end
    rest = tail
    while true do
      local src = nextRow(stmt)
      if src == DONE then break end
      if src ~= ROW then
        finalize(stmt)
        return src
      end
      if callback then
        local values, list = {}, names(stmt)
        for i = 1, #list do
          local v = stmt.row[i]
          if v ~= nil then values[i] = tostring(v) end
        end
        if (tonumber(callback(udata, #list, values, list)) or 0) ~= 0 then
          finalize(stmt)
          return ABORT
        end
      end
    end
    finalize(stmt)
  end
  return OK
end
Db.execute = Db.exec

function Db:prepare(sql)
  checkdb(self)
  if type(sql) ~= "string" then error("bad argument #1 to 'prepare' (string expected, got " .. type(sql) .. ")", 2) end
  local id, rc, text = prepare(self, sql, false)
  if not id then return nil, rc end
  return newStmt(self, id, sql, false), text
end

function Db:rows(sql) return rows(self, sql, "packed") end
function Db:nrows(sql) return rows(self, sql, "named") end
function Db:urows(sql) return rows(self, sql, "unpacked") end

local function info(db, what)
  checkdb(db)
  return host("info", tostring(db.handle), what)
end

function Db:last_insert_rowid() return (readValue(info(self, "last_insert_rowid"), 1)) end
function Db:changes() return code(info(self, "changes")) end
function Db:total_changes() return (readValue(info(self, "total_changes"), 1)) end
function Db:errcode() return code(info(self, "errcode")) end
Db.error_code = Db.errcode
function Db:errmsg() return (unpack("<s4", info(self, "errmsg"))) end
Db.error_message = Db.errmsg

function Stmt:step()
  checkvm(self)
  return (step(self))
end

function Stmt:finalize()
  checkvm(self)
  return finalize(self)
end

function Stmt:reset()
  checkvm(self)
  self.row = nil
  return code(stmtCall(self, "reset"))
end

function Stmt:isopen() return self.sql ~= nil end

function Stmt:bind(i, value)
  checkvm(self)
  return code(stmtCall(self, "bind", tostring(i), packValue(value, 2, "bind")))
end

function Stmt:bind_blob(i, value)
  checkvm(self)
  return code(stmtCall(self, "bind", tostring(i), "b" .. tostring(value)))
end

function Stmt:bind_values(...)
  checkvm(self)
  local packed = {}
  for i = 1, select("#", ...) do packed[i] = packValue((select(i, ...)), i, "bind_values") end
  local answer = stmtCall(self, "bind_values", tunpack(packed))
  local rc = code(answer)
  if rc == BAD_COUNT then error(unpack("<s4", answer, 9), 2) end
  return rc
end

function Stmt:bind_names(values)
  checkvm(self)
  local packed = {}
  for k, v in pairs(values) do
    if type(k) == "string" or mathtype(k) == "integer" then
      packed[#packed + 1] = packValue(k, 1, "bind_names")
      packed[#packed + 1] = packValue(v, 2, "bind_names")
    end
  end
  return code(stmtCall(self, "bind_names", tunpack(packed)))
end

function Stmt:get_value(i)
  checkvm(self)
  return self.row and self.row[i + 1]
end

function Stmt:get_values()
  checkvm(self)
  local out = {}
  for i = 1, #names(self) do out[i] = self.row and self.row[i] end
  return out
end

function Stmt:get_named_values()
  checkvm(self)
  local out = {}
  for i, name in ipairs(names(self)) do out[name] = self.row and self.row[i] end
  return out
end

function Stmt:get_uvalues()
  checkvm(self)
  return tunpack(self.row or {}, 1, #names(self))
end

function Stmt:get_names()
  checkvm(self)
  local out = {}
  for i, name in ipairs(names(self)) do out[i] = name end
  return out
end

function Stmt:get_name(i)
  checkvm(self)
  return names(self)[i + 1]
end

function Stmt:columns()
  checkvm(self)
  return #names(self)
end

function Stmt:rows() checkvm(self); return iterator(self, "packed") end
function Stmt:nrows() checkvm(self); return iterator(self, "named") end
function Stmt:urows() checkvm(self); return iterator(self, "unpacked") end

-- Every database is in memory (as aos-sqlite's are: its files live in the process's wasm memory).
function sqlite3.open_memory()
  nextHandle = nextHandle + 1
  local db = setmetatable({ handle = nextHandle, isopen_ = true }, Db)
  host("open", tostring(nextHandle))
  return db
end

function sqlite3.open(name)
  if type(name) ~= "string" then error("bad argument #1 to 'open' (string expected, got " .. type(name) .. ")", 2) end
  return sqlite3.open_memory()
end

function sqlite3.version() return "3.54.1" end -- sql.js 1.17's SQLite
function sqlite3.lversion() return "0.9.5" end
function sqlite3.complete(sql) return type(sql) == "string" and sql:find(";%s*$") ~= nil end

local module = {}

-- require('lsqlite3'): found only in processes of the aos-sqlite module (see SQLITE_MODULES), as on AO.
function module.loader(name)
  if not enabled then
    error(string.format("module '%s' not found: only built-in modules and modules in package.loaded can be required", name), 3)
  end
  return sqlite3
end

function module.enable(flag) enabled = flag == true end

-- The host's copy of each changed database (base64; false for a closed one), kept for the process image.
function module.save(changes)
  for key, value in pairs(changes) do
    if value == false then saved[key] = nil else saved[key] = value end
  end
  return true
end

function module.load()
  local out = {}
  for key, value in pairs(saved) do out[key] = value end
  return out
end

return module
