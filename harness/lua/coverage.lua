-- Line coverage of contract code, for aokit's coverage report (never part of a result). While the host observes a
-- message, a line hook counts the lines run by functions loaded with Eval (chunk name "aos"); the host then tells
-- which file each function came from by its dumped bytecode, which it compares with the bytecode of the files
-- it loaded (every Eval shares the chunk name, so the name alone cannot tell a contract from a test's Eval).
-- Built at boot, before the sandbox, with the real debug library and string.dump: contract code never sees them.
return function(debug, dump, load)
  local sethook, gethook, getinfo, getupvalue = debug.sethook, debug.gethook, debug.getinfo, debug.getupvalue
  local G = _G
  local library = coroutine
  local create, wrap = library.create, library.wrap
  local gsub, char, format = string.gsub, string.char, string.format
  local next, setmetatable, rawget, rawset = next, setmetatable, rawget, rawset

  local HEX = {}
  for i = 0, 255 do HEX[char(i)] = format('%02x', i) end
  local function hex(bytes) return (gsub(bytes, '.', HEX)) end

  -- A closure's dump as hex, kept while the closure lives (handlers run for many messages).
  local keys = setmetatable({}, { __mode = 'k' })
  -- function → { [line] = count }, or false for a function that is not contract code; nil between messages.
  local counts

  local function onLine(_, line)
    if not counts then return end -- a coroutine keeps the hook it was created with, even between messages
    local f = getinfo(2, 'f').func
    local lines = counts[f]
    if lines == nil then
      lines = getinfo(f, 'S').source == 'aos' and {} or false
      counts[f] = lines
    end
    if lines then lines[line] = (lines[line] or 0) + 1 end
  end

  -- Only coroutines are hooked: every handler runs in one (process.handle creates one per message), while the main
  -- thread runs the runtime around them, whose lines would cost gas for nothing (a hook call per line run). So
  -- while a message is counted, coroutine.create and wrap hook theirs; nothing else about them changes.
  local function hookedCreate(f)
    local co = create(f)
    sethook(co, onLine, 'l')
    return co
  end
  local function hookedWrap(f)
    local resume = wrap(f)
    local _, co = getupvalue(resume, 1) -- the C closure's upvalue is its coroutine
    sethook(co, onLine, 'l')
    return resume
  end

  -- Compiling is the runtime's work (compat53's load checks the source in Lua, a hook call per line of it): the
  -- Eval of a contract file would cost a hundred times its gas. So `load` runs unhooked while lines are counted.
  local function quietLoad(...)
    local hook, mask = gethook()
    if hook ~= onLine then return load(...) end
    sethook()
    local fn, err = load(...)
    sethook(onLine, mask)
    return fn, err
  end

  local coverage = {}

  -- Counts in coroutines created from now on, and in those created by earlier counted messages (a parked
  -- Receive), which keep their hook.
  function coverage.start()
    counts = {}
    library.create, library.wrap = hookedCreate, hookedWrap
    if rawget(G, 'load') == load then rawset(G, 'load', quietLoad) end
  end

  -- Stops counting; returns { {key = hex dump, hits = {line, count, line, count, ...}}, ... }, or nil.
  function coverage.stop()
    -- Unless the contract replaced them meanwhile: then its functions stay.
    if library.create == hookedCreate then library.create = create end
    if library.wrap == hookedWrap then library.wrap = wrap end
    if rawget(G, 'load') == quietLoad then rawset(G, 'load', load) end
    local seen = counts
    counts = nil
    if not seen then return nil end
    local out = {}
    for f, lines in next, seen do
      if lines and next(lines) then
        local key = keys[f]
        if not key then
          key = hex(dump(f))
          keys[f] = key
        end
        local hits = {}
        for line, n in next, lines do
          hits[#hits + 1] = line
          hits[#hits + 1] = n
        end
        out[#out + 1] = { key = key, hits = hits }
      end
    end
    return out
  end

  -- The hex dump of `code` compiled exactly as the Eval handler compiles it (.eval: as an expression first).
  function coverage.chunk(code)
    local fn = load("return " .. code, 'aos', 't')
    if not fn then fn = load(code, 'aos', 't') end
    if not fn then return nil end
    return hex(dump(fn))
  end

  return coverage
end
