---------------------------------------------------------------------------------------------
-- load: text chunks only, and no 5.4-only syntax (spec §5).
---------------------------------------------------------------------------------------------
local BINARY_REFUSED = "binary chunks are not allowed: aokit refuses precompiled bytecode " ..
  "(a sandbox escape); load the source text instead"

-- luaO_chunkid: how Lua prints a chunk name in messages.
local function chunkid(source)
  local z = sfind(source, "\0", 1, true)
  if z then source = ssub(source, 1, z - 1) end
  local first, l = sbyte(source, 1), #source
  if first == 61 then return ssub(source, 2, 60) end -- '='
  if first == 64 then                                 -- '@'
    if l <= 60 then return ssub(source, 2) end
    return "..." .. ssub(source, l - 55)
  end
  local nl = sfind(source, "\n", 1, true)
  if l < 45 and not nl then return '[string "' .. source .. '"]' end
  if nl then l = nl - 1 end
  if l > 45 then l = 45 end
  return '[string "' .. ssub(source, 1, l) .. '..."]'
end

-- Line of byte position pos, counting \n, \r, \r\n and \n\r as one break each (llex.c).
local function lineat(s, pos)
  local line, i = 1, 1
  while true do
    local a = sfind(s, "[\n\r]", i)
    if not a or a >= pos then return line end
    local b = sbyte(s, a + 1)
    if (b == 10 or b == 13) and b ~= sbyte(s, a) and a + 1 < pos then a = a + 1 end
    line = line + 1
    i = a + 1
  end
end

local function longbracket(s, i) -- position after a long bracket opened at i, or nil
  local _, e, eq = sfind(s, "^%[(=*)%[", i)
  if not e then return nil end
  local _, close = sfind(s, "]" .. eq .. "]", e + 1, true)
  return (close or #s) + 1
end

-- Finds the first construct that 5.3's lexer/parser would reject but 5.4 accepts:
-- local attribs (`local x <const>`) and \u{...} escapes above 0x10FFFF.
-- Returns position, message (without the chunk:line: prefix), or nil.
local function scan54(s)
  local i, n = 1, #s
  local state, ltpos, attrib = 0, nil, nil -- 1: after `local`; 2: after a local's name;
  while true do                            -- 3: after `<`; 4: after the attrib name
    i = sfind(s, "[^ \t\n\r\f\v]", i)
    if not i then return nil end
    local c = sbyte(s, i)
    local nextstate = 0
    if c == 45 and sbyte(s, i + 1) == 45 then -- comment
      i = longbracket(s, i + 2) or ((sfind(s, "[\n\r]", i) or n) + 1)
      nextstate = state
    elseif c == 91 and longbracket(s, i) then -- long string
      i = longbracket(s, i)
    elseif c == 34 or c == 39 then -- short string
      local set = c == 34 and '[\\"\n\r]' or "[\\'\n\r]"
      local j = i + 1
      while true do
        local k = sfind(s, set, j)
        if not k then return nil end
        local ck = sbyte(s, k)
        if ck == c then i = k + 1 break end
        if ck ~= 92 then return nil end -- unfinished string: leave it to the parser
        local e = sbyte(s, k + 1)
        if e == 117 and sbyte(s, k + 2) == 123 then -- \u{XXX}
          local r, p = 0, k + 3
          while true do
            local d = sbyte(s, p)
            if not d or not sfind(s, "^%x", p) then break end
            r = r * 16 + tonumber(ssub(s, p, p), 16)
            if r > 0x10FFFF and p > k + 3 then
              return p, "UTF-8 value too large near '" .. ssub(s, i, p) .. "'"
            end
            if r > 0x7FFFFFFF then break end
            p = p + 1
          end
          j = p
        elseif e == 10 or e == 13 then -- escaped line break
          local f = sbyte(s, k + 2)
          j = ((f == 10 or f == 13) and f ~= e) and k + 3 or k + 2
        else
          j = k + 2
        end
      end
    elseif c == 95 or (c >= 65 and c <= 90) or (c >= 97 and c <= 122) then -- name
      local _, e = sfind(s, "^[%w_]*", i + 1)
      local word = ssub(s, i, e)
      if word == "local" then
        nextstate = 1
      elseif state == 1 and word ~= "function" then
        nextstate = 2
      elseif state == 3 then
        nextstate, attrib = 4, word
      end
      i = e + 1
    elseif (c >= 48 and c <= 57) or (c == 46 and sfind(s, "^%d", i + 1)) then -- numeral
      local _, e = sfind(s, "^[%w_%.]*", i)
      while sfind(s, "^[eEpP][%+%-]", e) do _, e = sfind(s, "^[%w_%.]*", e + 2) end
      i = e + 1
    else
      local c2 = sbyte(s, i + 1)
      if c == 60 and state == 2 and c2 ~= 61 and c2 ~= 60 then -- '<' (not '<=' / '<<')
        nextstate, ltpos = 3, i
      elseif c == 62 and state == 4 then -- '>' closes an attrib
        return ltpos, "unexpected symbol near '<' ('<" .. attrib .. ">' is Lua 5.4 syntax; AO runs Lua 5.3)"
      elseif c == 44 and state == 2 then -- ',' continues the list of names
        nextstate = 1
      end
      i = i + 1
    end
    state = nextstate
  end
end

-- Line number in a load error message for this chunkname, or nil.
local function errorline(err, id)
  if type(err) ~= "string" or ssub(err, 1, #id + 1) ~= id .. ":" then return nil end
  return tonumber(err:match("^(%d+):", #id + 2))
end

local function checkSource(src, chunkname)
  if type(src) ~= "string" then return false, "checkSource: source must be a string" end
  local pos, msg = scan54(src)
  if not pos then return true end
  local id = chunkid(chunkname ~= nil and tostring(chunkname) or src)
  return false, sformat("%s:%d: %s", id, lineat(src, pos), msg)
end

local function optstring(arg, v, nargs)
  if v == nil then return nil end
  return checkstring(arg, v, nargs)
end

rawset(env, "load", publish(function(...)
  local nargs, chunk, chunkname, mode, chunkenv = select("#", ...), ...
  mode = optstring(3, mode, nargs)
  local src
  if type(chunk) == "string" or type(chunk) == "number" then
    src = tostring(chunk)
    chunkname = optstring(2, chunkname, nargs) or src
  else
    chunkname = optstring(2, chunkname, nargs) or "=(load)"
    if type(chunk) ~= "function" then typeerror(1, "function", chunk, nargs >= 1) end
    -- a reader function: gather the pieces first, then check the whole text
    local parts = {}
    local ok, err = pcall(function()
      while true do
        local piece = chunk()
        if piece == nil or piece == "" then return end
        if type(piece) ~= "string" and type(piece) ~= "number" then
          error("reader function must return a string", 0)
        end
        parts[#parts + 1] = tostring(piece)
      end
    end)
    if not ok then return nil, err end
    src = concat(parts)
  end
  -- Raised, not returned: `load(string.dump(f))()` must say why it failed, not "attempt to call a nil value".
  if sbyte(src, 1) == 27 then error(BINARY_REFUSED, 2) end
  -- text only (the binary case is refused above); keep a mode without 't' for 5.3's message
  if mode == nil or sfind(mode, "t", 1, true) then mode = "t" end
  local fn, err
  if nargs >= 4 then
    fn, err = load54(src, chunkname, mode, chunkenv)
  else
    fn, err = load54(src, chunkname, mode)
  end
  local pos, msg = scan54(src)
  if not pos then return fn, err end
  local id, line = chunkid(chunkname), lineat(src, pos)
  local errline = fn == nil and errorline(err, id)
  if errline and errline < line then return nil, err end -- an earlier syntax error wins
  return nil, sformat("%s:%d: %s", id, line, msg)
end, "load", "load"))

return { checkSource = checkSource }
