-- aokit's side channel: what the harness learns from one message beyond aos's result (the Lua stack where a
-- handler failed, reads of tag names aos renamed). process.lua hands it to the host under `__aokit`; the host
-- strips that key before anyone sees the result, so results stay exactly aos's.
local traceback, getinfo, insert = debug.traceback, debug.getinfo, table.insert
local next, ipairs = next, ipairs

local diagnostics = {}
local current = {}
local MAX_READS = 32
-- Frames looked at to find the contract code behind a read (a read in a library called by a handler).
local MAX_DEPTH = 12

function diagnostics.reset()
  current = {}
end

-- What this message recorded, or nil; resets for the next one.
function diagnostics.take()
  local taken = current
  current = {}
  if next(taken) == nil then return nil end
  return taken
end

-- The message handler of the xpcall around each handler: keeps the stack where the error was raised and returns
-- the error value unchanged (the first one recorded wins: a resumed coroutine's stack is better than its resumer's).
function diagnostics.onError(err)
  if current.traceback == nil then current.traceback = traceback("", 2) end
  return err
end

-- A coroutine that died with an error still holds its stack: keep it before the error is raised again outside.
function diagnostics.coroutineFailed(co)
  if current.traceback == nil then current.traceback = traceback(co, "", 0) end
end

-- A read of `key` that is nil only because aos renamed it to `name`; `line` is that of the first frame up the
-- stack in the Eval chunk "aos" (contract code), nil when none is (a Handlers pattern read it).
function diagnostics.renamedRead(field, key, name)
  local reads = current.reads
  if reads == nil then
    reads = {}
    current.reads = reads
  end
  if #reads >= MAX_READS then return end
  local line
  for level = 3, MAX_DEPTH do
    local info = getinfo(level, "Sl")
    if info == nil then break end
    if info.source == "aos" then
      line = info.currentline
      break
    end
  end
  for _, read in ipairs(reads) do
    if read.key == key and read.field == field and read.line == line then return end
  end
  insert(reads, { field = field, key = key, name = name, line = line })
end

return diagnostics
