-- Lua patterns (string.find/match/gmatch/gsub) written in Lua, with the semantics and error messages of
-- lstrlib.c as built in this Lua 5.4, and install(), which guards the C functions with it.
--
-- Why: lstrlib matches in C, where the instruction-count hook never fires, so one backtracking pattern
-- (string.find(("a"):rep(3000), ".-.-.-b") is O(n^4)) stalls the whole runner. This engine is plain Lua:
-- its every step is counted, so a hostile pattern only runs into the message's compute limit.
--
-- The matcher follows lstrlib's structure call for call (same recursion, same 200-deep 'pattern too complex'
-- limit, errors raised lazily at the same point), on byte codes and indices, without per-step strings.
-- 5.3.6 and 5.4 agree on matching (both have gmatch/gsub's 'lastmatch' rule); where they differ (gmatch's
-- init argument, some error texts) this follows the 5.4 C library it runs beside, so both paths agree.
--
-- Guard rule used by install(). Let n = #subject - init + 1 (bytes from init) and m = #pattern.
--   * Plain search (find with plain = true, or a pattern without special characters): C when m <= 1 or
--     (n - m + 1) * m <= 2^26 (the worst case of lstrlib's memchr/memcmp search), else a linear KMP in Lua.
--   * Otherwise the pattern items are walked as lstrlib walks them, counting
--       q = quantifiers '*', '+', '-' after a single-char class, plus 1 per '%b' and per back-reference
--           '%1'..'%9' (each of these may scan up to n bytes for each choice made before it), and
--       r = number of '?' (each one doubles the backtracking),
--     and C is used when (n + 1)^(q + 1) * 2^r * m <= 2^26 (about 67 million steps in the worst case), with one
--     factor (n + 1) less for a '^'-anchored find/match/gsub (gmatch has no anchor). Otherwise, and for a
--     malformed pattern, the Lua engine runs. Both give identical results; the rule only bounds one call's
--     uncounted C work.
-- Load this chunk before the sandbox replaces 'debug': argument errors name the function the way
-- luaL_argerror does, which needs the real debug.getinfo (without it they name it plainly).

local byte, sub, char = string.byte, string.sub, string.char
local cfind, cgsub = string.find, string.gsub
local concat, tmove = table.concat, table.move
local mtype, tointeger = math.type, math.tointeger
local type, select, error, pcall, tonumber, next, rawget, rawequal, setmetatable =
  type, select, error, pcall, tonumber, next, rawget, rawequal, setmetatable
local dbg = debug
local getinfo = type(dbg) == 'table' and dbg.getinfo or nil
do -- a sandbox's getinfo (an extra frame, no 'func') would name the wrong frames: then do without
  local function probe()
    local ar = getinfo(1, 'f')
    return ar and ar.func == probe
  end
  if getinfo and not probe() then getinfo = nil end
end
local rawmeta = type(dbg) == 'table' and dbg.getmetatable or getmetatable
local loaded = type(package) == 'table' and package.loaded or nil

local MAXCCALLS, MAXCAPTURES = 200, 32
local UNFINISHED, POSITION = -1, -2
local LIMIT = 2 ^ 26
-- Uncounted C work one message may spend in total: past it every call takes the counted Lua engine, so a
-- loop of calls each just under LIMIT cannot run unbounded either.
local BUDGET = 2 ^ 30
local spent = 0

-- Spends `w` estimated steps of the message's C budget if it has them.
local function afford(w)
  if not w or spent + w > BUDGET then return false end
  spent = spent + w
  return true
end
local SKIP_MAX = 32 -- longest first item handed to C to skip ahead (C re-reads it at every position)
local SPECIALS = '[%^%$%*%+%?%.%(%[%%%-]'

local ESC, LPAR, RPAR, DOLLAR, DOT = 37, 40, 41, 36, 46
local LBRACK, RBRACK, CARET = 91, 93, 94
local STAR, PLUS, MINUS, QUEST = 42, 43, 45, 63
local B_b, B_f, D0, D9 = 98, 102, 48, 57

-- CLASS[cl][c]: does byte c match '%' .. cl? Probed from the C matcher once, so locale and the
-- deprecated '%z' behave exactly as in C. Other escaped bytes match themselves.
local CLASS = {}
do
  local all = {}
  for c = 0, 255 do all[c + 1] = char(c) end
  all = concat(all)
  local letters = 'acdglpsuwxz'
  for i = 1, #letters do
    local lower = byte(letters, i)
    for _, cl in ipairs({ lower, lower - 32 }) do
      local t, pat = {}, '%' .. char(cl)
      for c = 0, 255 do t[c] = cfind(all, pat, c + 1) == c + 1 end
      CLASS[cl] = t
    end
  end
end

-- Byte tables for '.' and for each literal byte; the kinds of pattern item lstrlib's match tells apart.
local ANY, LIT = {}, {}
for c = 0, 255 do
  ANY[c] = true
  LIT[c] = { [c] = true }
end
local K_CLASS, K_OPEN, K_POSITION, K_CLOSE, K_END, K_BALANCE, K_FRONTIER, K_BACKREF = 0, 1, 2, 3, 4, 5, 6, 7

-- Errors of the matcher travel as a marked table so the public function can re-raise them with the
-- caller's position (as luaL_error does) and let a callback's own errors through untouched.
local MARK = {}
local function raise(msg) error({ [MARK] = msg }) end

-- Pattern bytes, plus the terminating '\0' that lstrlib reads at p_end.
local function toBytes(str)
  local len = #str
  local t
  if len <= 4096 then
    t = { byte(str, 1, len) }
  else
    t = {}
    for i = 1, len, 4096 do
      local j = i + 4095
      if j > len then j = len end
      tmove({ byte(str, i, j) }, 1, j - i + 1, i, t)
    end
  end
  t[len + 1] = 0
  return t, len
end

-- lstrlib's posrelatI: a 1-based start from a possibly negative init.
local function posrelat(pos, len)
  if pos > 0 then return pos end
  if pos == 0 or pos < -len then return 1 end
  return len + pos + 1
end

-- lstrlib's classEnd without raising: the index after the single-char class at p, or nil and the error.
local function itemEnd(P, p, pend)
  local c = P[p]
  p = p + 1
  if c == ESC then
    if p == pend then return nil, "malformed pattern (ends with '%')" end
    return p + 1
  elseif c == LBRACK then
    if P[p] == CARET then p = p + 1 end
    repeat -- the first byte is taken as is, so '[]]' is a set holding ']'
      if p == pend then return nil, "malformed pattern (missing ']')" end
      local k = P[p]
      p = p + 1
      if k == ESC and p < pend then p = p + 1 end
    until P[p] == RBRACK
    return p + 1
  end
  return p
end

---------------------------------------------------------------------------------------------------------
-- Argument checking, as luaL_check*/luaL_argerror do it.

-- The name luaL_argerror falls back to: a field of a loaded module holding the function (pushglobalfuncname).
local function globalName(fn)
  if fn == nil or type(loaded) ~= 'table' then return nil end
  for k, v in next, loaded do
    if type(k) == 'string' then
      local name
      if rawequal(v, fn) then
        name = k
      elseif type(v) == 'table' then
        for k2, v2 in next, v do
          if type(k2) == 'string' and rawequal(v2, fn) then name = k .. '.' .. k2 break end
        end
      end
      if name then
        if sub(name, 1, 3) == '_G.' then name = sub(name, 4) end
        return name
      end
    end
  end
  return nil
end

-- Always called as argError <- checker <- public function, so level 3 is the public function and level 4
-- its caller, whose position luaL_error would prefix. A tail call into C keeps the caller's frame, so C
-- still names that frame's line and call; a tail-called Lua function has lost both: then the message
-- names the function plainly and has no position.
local function argError(fname, arg, msg)
  local name, namewhat, fn, level = fname, nil, nil, 4
  if getinfo then
    local ar = getinfo(3, 'ntf')
    if ar and ar.istailcall then
      level = 0
    elseif ar then
      name, namewhat, fn = ar.name, ar.namewhat, ar.func
    end
  end
  if namewhat == 'method' then
    arg = arg - 1
    if arg == 0 then error("calling '" .. name .. "' on bad self (" .. msg .. ')', level) end
  end
  if name == nil then name = globalName(fn) or '?' end
  error('bad argument #' .. arg .. " to '" .. name .. "' (" .. msg .. ')', level)
end

local function typeMsg(expected, v, absent)
  local got
  if absent then
    got = 'no value'
  else
    local mt = rawmeta(v)
    local nm = type(mt) == 'table' and rawget(mt, '__name')
    got = type(nm) == 'string' and nm or type(v)
  end
  return expected .. ' expected, got ' .. got
end

-- luaL_checklstring: strings, and numbers converted as lua_tolstring does.
local function checkString(fname, arg, v, nargs)
  if type(v) == 'number' then return v .. '' end
  argError(fname, arg, typeMsg('string', v, arg > nargs))
end

-- luaL_checkinteger for a non-nil value that is not already an integer.
local function checkInteger(fname, arg, v)
  local num = v
  if type(v) == 'string' then num = tonumber(v) end
  if type(num) == 'number' then
    local iv = tointeger(num)
    if iv then return iv end
    argError(fname, arg, 'number has no integer representation')
  end
  argError(fname, arg, typeMsg('number', v, false))
end

local function checkRepl(fname, v, nargs)
  argError(fname, 3, typeMsg('string/function/table', v, 3 > nargs))
end

-- The public functions end in 'return select(1, finish(...))', so their frame is still there when finish
-- raises: level 3 (finish, public function, its caller) is where luaL_error would point, unless the public
-- function was tail-called (see argError).
local function callerLevel()
  local ar = getinfo and getinfo(3, 't') -- 1 callerLevel, 2 finish, 3 the public function
  if ar and ar.istailcall then return 0 end
  return 3
end

-- Re-raise what the engine raised: its own errors with the caller's position, anything else unchanged.
local function finish(ok, ...)
  if ok then return ... end
  local e = ...
  if type(e) == 'table' and rawget(e, MARK) then error(rawget(e, MARK), callerLevel()) end
  error(e, 0)
end

-- The errors lstrlib raises itself (argument errors never reach C: the wrappers check first).
local LIBERRORS = {
  ['invalid pattern capture'] = true, ['unfinished capture'] = true, ['pattern too complex'] = true,
  ['too many captures'] = true, ["missing '[' after '%f' in pattern"] = true,
  ["invalid use of '%' in replacement string"] = true,
}
local function isLibError(e)
  return LIBERRORS[e] or cfind(e, '^malformed pattern %(') or cfind(e, '^invalid capture index %%%d+$')
    or cfind(e, '^invalid replacement value %(a [%w ]+%)$')
end

-- C called from the wrapper would name the wrapper's line in its errors (even a tail call into C keeps the
-- Lua frame), so C runs under pcall, which leaves them unpositioned, and they get the caller's position here.
-- Callback errors come marked and, like memory or hook errors, pass unchanged.
local CALLBACK = {}
local function finishC(ok, ...)
  if ok then return ... end
  local e = ...
  if type(e) == 'table' and rawget(e, CALLBACK) then error(rawget(e, 1), 0) end
  if type(e) == 'string' and isLibError(e) then error(e, callerLevel()) end
  error(e, 0)
end

local function passCallback(ok, ...)
  if ok then return ... end
  error({ [CALLBACK] = true, (...) }, 0)
end

---------------------------------------------------------------------------------------------------------
-- The matcher: one per call (or per gmatch), so callbacks that match again never share its state.

local function newMatcher(S, pat, P, pstart, pend, anchored)
  local n = #S
  local level, depth = 0, MAXCCALLS
  local capInit, capLen = {}, {}
  -- Memo per pattern index, for what lstrlib re-parses at every step: the kind of item starting there,
  -- where its single-char class ends, and the bytes that class accepts.
  local kinds, ends, tabs = {}, {}, {}
  local domatch

  -- lstrlib's matchbracketclass: p at '[', ec at the closing ']'.
  local function inBracket(c, p, ec)
    local sig = true
    if P[p + 1] == CARET then sig = false p = p + 1 end
    p = p + 1
    while p < ec do
      local k = P[p]
      if k == ESC then
        p = p + 1
        local cl = P[p]
        local t = CLASS[cl]
        if t then
          if t[c] then return sig end
        elseif cl == c then
          return sig
        end
      elseif P[p + 1] == MINUS and p + 2 < ec then
        if k <= c and c <= P[p + 2] then return sig end
        p = p + 2
      elseif k == c then
        return sig
      end
      p = p + 1
    end
    return not sig
  end

  -- A set's byte table, each answer worked out when first needed.
  local function setTable(p, ec)
    return setmetatable({}, { __index = function(memo, c)
      local r = inBracket(c, p, ec)
      memo[c] = r
      return r
    end })
  end

  -- lstrlib's classEnd, also remembering the class's byte table.
  local function classEnd(p)
    local e, msg = itemEnd(P, p, pend)
    if not e then raise(msg) end
    local k, t = P[p], nil
    if k == DOT then
      t = ANY
    elseif k == ESC then
      t = CLASS[P[p + 1]] or LIT[P[p + 1]]
    elseif k == LBRACK then
      t = setTable(p, e - 1)
    else
      t = LIT[k]
    end
    ends[p], tabs[p] = e, t
    return e
  end

  -- How lstrlib's match dispatches on the item at p.
  local function kindOf(p)
    local k, kd = P[p], K_CLASS
    if k == LPAR then
      kd = P[p + 1] == RPAR and K_POSITION or K_OPEN
    elseif k == RPAR then
      kd = K_CLOSE
    elseif k == DOLLAR then
      if p + 1 == pend then kd = K_END end
    elseif k == ESC then
      local nx = P[p + 1]
      if nx == B_b then
        kd = K_BALANCE
      elseif nx == B_f then
        kd = K_FRONTIER
      elseif nx >= D0 and nx <= D9 then
        kd = K_BACKREF
      end
    end
    kinds[p] = kd
    return kd
  end

  local function balance(s, p)
    if p >= pend - 1 then raise("malformed pattern (missing arguments to '%b')") end
    if s > n or byte(S, s) ~= P[p] then return nil end
    local open, close, cont = P[p], P[p + 1], 1
    for i = s + 1, n do
      local c = byte(S, i)
      if c == close then
        cont = cont - 1
        if cont == 0 then return i + 1 end
      elseif c == open then
        cont = cont + 1
      end
    end
    return nil
  end

  -- t: the item's byte table; ep: its end, where the quantifier is.
  local function maxExpand(s, t, ep)
    local i
    if t == ANY then
      i = n - s + 1
    else
      local j = s
      while j <= n and t[byte(S, j)] do j = j + 1 end
      i = j - s
    end
    ep = ep + 1
    while i >= 0 do -- longest first, giving back one at a time
      local res = domatch(s + i, ep)
      if res then return res end
      i = i - 1
    end
    return nil
  end

  local function minExpand(s, t, ep)
    ep = ep + 1
    while true do
      local res = domatch(s, ep)
      if res then return res end
      if s > n or not t[byte(S, s)] then return nil end
      s = s + 1
    end
  end

  local function startCapture(s, p, what)
    if level >= MAXCAPTURES then raise('too many captures') end
    local l = level + 1
    capInit[l], capLen[l], level = s, what, l
    local res = domatch(s, p)
    if not res then level = level - 1 end
    return res
  end

  local function endCapture(s, p)
    local l = level
    while l >= 1 and capLen[l] ~= UNFINISHED do l = l - 1 end
    if l < 1 then raise('invalid pattern capture') end
    capLen[l] = s - capInit[l]
    local res = domatch(s, p)
    if not res then capLen[l] = UNFINISHED end
    return res
  end

  -- '%1'..'%9' in the pattern; d is the digit's byte.
  local function backref(s, d)
    local l = d - D0
    if l < 1 or l > level or capLen[l] == UNFINISHED then raise('invalid capture index %' .. l) end
    local len = capLen[l]
    if len == POSITION or n - s + 1 < len then return nil end -- C compares a position as a huge size_t
    local from = capInit[l] - s
    for i = s, s + len - 1 do
      if byte(S, i + from) ~= byte(S, i) then return nil end
    end
    return s + len
  end

  -- lstrlib's match: the loop stands for its 'goto init' tail calls; the rest recurses as C does.
  domatch = function(s, p)
    local d = depth
    depth = d - 1
    if d == 0 then raise('pattern too complex') end
    while p ~= pend do
      local kd = kinds[p] or kindOf(p)
      if kd == K_CLASS then -- a single-char class, with or without a quantifier
        local ep = ends[p] or classEnd(p)
        local t, sf = tabs[p], P[ep]
        if s > n or not t[byte(S, s)] then
          if sf == STAR or sf == QUEST or sf == MINUS then
            p = ep + 1 -- the empty repetition is accepted
          else
            s = nil
            break
          end
        elseif sf == QUEST then
          local res = domatch(s + 1, ep + 1)
          if res then s = res break end
          p = ep + 1
        elseif sf == PLUS then
          s = maxExpand(s + 1, t, ep)
          break
        elseif sf == STAR then
          s = maxExpand(s, t, ep)
          break
        elseif sf == MINUS then
          s = minExpand(s, t, ep)
          break
        else
          s = s + 1
          p = ep
        end
      elseif kd == K_OPEN then
        s = startCapture(s, p + 1, UNFINISHED)
        break
      elseif kd == K_POSITION then
        s = startCapture(s, p + 2, POSITION)
        break
      elseif kd == K_CLOSE then
        s = endCapture(s, p + 1)
        break
      elseif kd == K_END then
        if s ~= n + 1 then s = nil end
        break
      elseif kd == K_BALANCE then
        s = balance(s, p + 2)
        if not s then break end
        p = p + 4
      elseif kd == K_FRONTIER then
        p = p + 2
        if P[p] ~= LBRACK then raise("missing '[' after '%f' in pattern") end
        local ep = ends[p] or classEnd(p)
        local t = tabs[p]
        local prev = s == 1 and 0 or byte(S, s - 1)
        local cur = s <= n and byte(S, s) or 0 -- C reads the subject's '\0' at the end
        if t[prev] or not t[cur] then s = nil break end
        p = ep
      else -- K_BACKREF
        s = backref(s, P[p + 1])
        if not s then break end
        p = p + 2
      end
    end
    depth = depth + 1
    return s
  end

  -- get_onecapture, 1-based: capture i, or the whole match s..e-1 when there are none and i == 1.
  local function capture(i, s, e)
    if i > level then
      if i ~= 1 then raise('invalid capture index %' .. i) end
      return sub(S, s, e - 1)
    end
    local l = capLen[i]
    if l == UNFINISHED then raise('unfinished capture') end
    if l == POSITION then return capInit[i] end
    local from = capInit[i]
    return sub(S, from, from + l - 1)
  end

  local function capsFrom(i, last, s, e)
    if i == last then return capture(i, s, e) end
    return capture(i, s, e), capsFrom(i + 1, last, s, e)
  end

  -- push_captures: all captures, or the whole match when there are none and whole is set.
  local function captures(s, e, whole)
    local last = level
    if last == 0 then
      if not whole then return end
      last = 1
    end
    return capsFrom(1, last, s, e)
  end

  -- A first item that must consume one byte lets C jump to the next byte it accepts: positions where it
  -- fails are tried by lstrlib without effect, and C only ever scans forward, so this stays linear.
  local skipItem
  if not anchored and pstart < pend then
    local k, nx = P[pstart], P[pstart + 1]
    -- ('^' and '$' alone would be anchors to C, '(' ')' '.' gain nothing)
    if k ~= LPAR and k ~= RPAR and k ~= DOT and k ~= CARET and k ~= DOLLAR
      and not (k == ESC and (nx == B_b or nx == B_f or (nx >= D0 and nx <= D9))) then
      local ep = itemEnd(P, pstart, pend)
      local sf = ep and P[ep]
      if ep and ep - pstart <= SKIP_MAX and sf ~= STAR and sf ~= QUEST and sf ~= MINUS then
        skipItem = sub(pat, pstart, ep - 1)
      end
    end
  end

  -- Try positions from s on, as str_find_aux/gmatch_aux/str_gsub do, for a match not ending at 'last'.
  local function scan(s, last)
    local stop = n + 1
    while s <= stop do
      if skipItem and depth > 0 then
        local j = cfind(S, skipItem, s)
        if not j then return nil end
        s = j
      end
      level = 0
      local e = domatch(s, pstart)
      if e and e ~= last then return s, e end
      if anchored then return nil end
      s = s + 1
    end
    return nil
  end

  return { scan = scan, captures = captures, capture = capture }
end

---------------------------------------------------------------------------------------------------------
-- Searches.

-- Knuth-Morris-Pratt: the leftmost occurrence at or after i, as lmemfind finds it, in O(#S + #pat).
local function kmp(S, pat, i)
  local P, m = toBytes(pat)
  local fail, k = { [1] = 0 }, 0
  for q = 2, m do
    local c = P[q]
    while k > 0 and P[k + 1] ~= c do k = fail[k] end
    if P[k + 1] == c then k = k + 1 end
    fail[q] = k
  end
  k = 0
  for j = i, #S do
    local c = byte(S, j)
    while k > 0 and P[k + 1] ~= c do k = fail[k] end
    if P[k + 1] == c then k = k + 1 end
    if k == m then return j - m + 1, j end
  end
  return nil
end

local function plainFind(S, pat, i)
  local m = #pat
  local w = (#S - i + 2 - m) * m
  if m <= 1 or (w <= LIMIT and afford(w)) then return cfind(S, pat, i, true) end
  return kmp(S, pat, i)
end

local function matchImpl(isFind, S, pat, P, plen, i)
  local anchored = P[1] == CARET
  local m = newMatcher(S, pat, P, anchored and 2 or 1, plen + 1, anchored)
  local s, e = m.scan(i, nil)
  if not s then return nil end
  if isFind then return s, e - 1, m.captures(nil, nil, false) end
  return m.captures(s, e, true)
end

local function gmatchImpl(S, pat, P, plen, i)
  local m = newMatcher(S, pat, P, 1, plen + 1, false) -- gmatch has no '^' anchor: it matches a literal '^'
  local src, last = i, nil
  local function step()
    local s, e = m.scan(src, last)
    if not s then return end -- src stays: a later call scans again, as gmatch_aux does
    src, last = e, e
    return m.captures(s, e, true)
  end
  return function() return select(1, finish(pcall(step))) end
end

-- A replacement string as pieces: strings, capture numbers (0 = whole match), false = invalid '%'.
local function parseRepl(r)
  local toks, nt, pos = {}, 0, 1
  while true do
    local j = cfind(r, '%', pos, true)
    if not j then break end
    if j > pos then nt = nt + 1 toks[nt] = sub(r, pos, j - 1) end
    local c = byte(r, j + 1)
    nt = nt + 1
    if c == ESC then
      toks[nt] = '%'
    elseif c and c >= D0 and c <= D9 then
      toks[nt] = c - D0
    else
      toks[nt] = false -- raised only when a match gets here, as add_s does
      return toks, nt
    end
    pos = j + 2
  end
  if pos <= #r then nt = nt + 1 toks[nt] = sub(r, pos) end
  return toks, nt
end

local function gsubImpl(S, pat, P, plen, repl, tr, maxS)
  local anchored = P[1] == CARET
  local m = newMatcher(S, pat, P, anchored and 2 or 1, plen + 1, anchored)
  local scan, capture = m.scan, m.capture
  local toks, nt
  if tr == 'string' or tr == 'number' then toks, nt = parseRepl(repl .. '') end
  local out, no = {}, 0
  local src, last, copied, count, changed = 1, nil, 1, 0, false
  while count < maxS do
    local s, e = scan(src, last)
    if not s then break end
    count = count + 1
    if s > copied then no = no + 1 out[no] = sub(S, copied, s - 1) end
    if toks then
      for t = 1, nt do
        local v = toks[t]
        if type(v) == 'string' then
          no = no + 1 out[no] = v
        elseif v == 0 then
          no = no + 1 out[no] = sub(S, s, e - 1)
        elseif v then
          no = no + 1 out[no] = capture(v, s, e) .. '' -- a position capture becomes its digits
        else
          raise("invalid use of '%' in replacement string")
        end
      end
      changed = true
    else
      local v, ok
      if tr == 'function' then
        -- called through pcall so that, as from C gsub, the callback's caller is a C function
        ok, v = pcall(repl, m.captures(s, e, true))
        if not ok then error(v, 0) end
      else
        v = repl[capture(1, s, e)]
      end
      if not v then -- nil or false keeps the original text
        no = no + 1 out[no] = sub(S, s, e - 1)
      else
        local tv = type(v)
        if tv == 'string' then
          no = no + 1 out[no] = v
        elseif tv == 'number' then
          no = no + 1 out[no] = v .. ''
        else
          raise('invalid replacement value (a ' .. tv .. ')')
        end
        changed = true
      end
    end
    src, last, copied = e, e, e
    if anchored then break end
  end
  if not changed then return S, count end
  if copied <= #S then no = no + 1 out[no] = sub(S, copied) end
  return concat(out, '', 1, no), count
end

---------------------------------------------------------------------------------------------------------
-- The guard.

-- A pattern's shape for the cost rule: q counted repetitions, r optional items, whether it is anchored; false
-- when the pattern is malformed (the Lua engine then raises C's error).
local function shapeOf(P, plen, anchorable)
  local p, anchored = 1, false
  if anchorable and P[1] == CARET then p, anchored = 2, true end
  local pend = plen + 1
  local q, r = 0, 0
  while p < pend do
    local k = P[p]
    local nx = k == ESC and P[p + 1]
    if k == LPAR or k == RPAR or (k == DOLLAR and p + 1 == pend) then
      p = p + 1
    elseif nx == B_b then
      q = q + 1
      p = p + 4
    elseif nx == B_f then
      local ep = P[p + 2] == LBRACK and itemEnd(P, p + 2, pend)
      if not ep then return false end
      p = ep
    elseif nx and nx >= D0 and nx <= D9 then
      q = q + 1
      p = p + 2
    else
      local ep = itemEnd(P, p, pend)
      if not ep then return false end
      local sf = P[ep]
      if sf == STAR or sf == PLUS or sf == MINUS then
        q = q + 1
        p = ep + 1
      elseif sf == QUEST then
        r = r + 1
        p = ep + 1
      else
        p = ep
      end
    end
  end
  return { q = q, r = r, anchored = anchored }
end

-- Short patterns come back in every message (json's escape, aos's tag matching): their bytes and shape are
-- kept, so the guard costs a table lookup. Bounded, and emptied when full.
local CACHE_MAX, CACHE_PATTERN_MAX = 512, 256
local cached, cachedCount = { [true] = {}, [false] = {} }, 0

local function analyse(p, anchorable)
  local hit = cached[anchorable][p]
  if hit then return hit end
  local P, plen = toBytes(p)
  local entry = { P = P, plen = plen, shape = shapeOf(P, plen, anchorable) }
  if plen <= CACHE_PATTERN_MAX then
    if cachedCount >= CACHE_MAX then
      cached, cachedCount = { [true] = {}, [false] = {} }, 0
    end
    cached[anchorable][p] = entry
    cachedCount = cachedCount + 1
  end
  return entry
end

-- C's worst-case steps for a pattern over n subject bytes when within LIMIT (see the rule on top), else false.
local function cost(entry, n)
  local shape = entry.shape
  if not shape then return false end
  local base = n + 1
  local w = entry.plen * 2.0 ^ shape.r
  if not shape.anchored then w = w * base end
  for _ = 1, shape.q do
    if w > LIMIT then return false end
    w = w * base
  end
  return w <= LIMIT and w
end

local function cheap(entry, n)
  return afford(cost(entry, n))
end

---------------------------------------------------------------------------------------------------------
-- Public functions: the pure engine when cfn is nil, the guarded C function otherwise.

local function makeFindLike(isFind, fname, cfn)
  return function(...)
    local s, p, init, plain = ...
    if type(s) ~= 'string' then s = checkString(fname, 1, s, select('#', ...)) end
    if type(p) ~= 'string' then p = checkString(fname, 2, p, select('#', ...)) end
    if init == nil then
      init = 1
    elseif mtype(init) ~= 'integer' then
      init = checkInteger(fname, 3, init)
    end
    local ls = #s
    local i = posrelat(init, ls)
    if i > ls + 1 then return nil end
    if isFind and (plain or not cfind(p, SPECIALS)) then return plainFind(s, p, i) end
    local entry = analyse(p, true)
    if cfn and cheap(entry, ls - i + 1) then return select(1, finishC(pcall(cfn, s, p, init))) end
    return select(1, finish(pcall(matchImpl, isFind, s, p, entry.P, entry.plen, i)))
  end
end

local function makeGmatch(cfn)
  return function(...)
    local s, p, init = ...
    if type(s) ~= 'string' then s = checkString('gmatch', 1, s, select('#', ...)) end
    if type(p) ~= 'string' then p = checkString('gmatch', 2, p, select('#', ...)) end
    if init == nil then
      init = 1
    elseif mtype(init) ~= 'integer' then
      init = checkInteger('gmatch', 3, init)
    end
    local ls = #s
    local i = posrelat(init, ls)
    if i > ls + 1 then i = ls + 2 end -- past the end: the iterator finds nothing
    local entry = analyse(p, false)
    if cfn and cheap(entry, ls - i + 1) then return cfn(s, p, init) end
    return gmatchImpl(s, p, entry.P, entry.plen, i)
  end
end

local function makeGsub(cfn)
  return function(...)
    local s, p, repl, maxS = ...
    if type(s) ~= 'string' then s = checkString('gsub', 1, s, select('#', ...)) end
    if type(p) ~= 'string' then p = checkString('gsub', 2, p, select('#', ...)) end
    local tr = type(repl)
    local ls = #s
    if maxS == nil then
      maxS = ls + 1
    elseif mtype(maxS) ~= 'integer' then
      maxS = checkInteger('gsub', 4, maxS)
    end
    if tr ~= 'string' and tr ~= 'number' and tr ~= 'table' and tr ~= 'function' then
      checkRepl('gsub', repl, select('#', ...))
    end
    local entry = analyse(p, true)
    local P, plen = entry.P, entry.plen
    -- (a table with a metatable may run code on lookup, whose errors C could not tell apart: Lua engine)
    if cfn and not (tr == 'table' and rawmeta(repl) ~= nil) and cheap(entry, ls) then
      local r = repl
      if tr == 'function' then
        r = function(...) return passCallback(pcall(repl, ...)) end
      end
      return select(1, finishC(pcall(cfn, s, p, r, maxS)))
    end
    if tr == 'function' or (tr == 'table' and rawmeta(repl) ~= nil) then
      -- C's gsub calls back where no yield is allowed; so does this, by running under C's gsub
      local ok, a, b
      cgsub('', '', function() ok, a, b = pcall(gsubImpl, s, p, P, plen, repl, tr, maxS) end)
      return select(1, finish(ok, a, b))
    end
    return select(1, finish(pcall(gsubImpl, s, p, P, plen, repl, tr, maxS)))
  end
end

local wrappers = setmetatable({}, { __mode = 'k' })

-- Replaces find/match/gmatch/gsub of a string table with guarded wrappers around its current functions.
local function install(st)
  if wrappers[st.find] then return st end -- already installed
  local find = makeFindLike(true, 'find', st.find)
  st.find = find
  st.match = makeFindLike(false, 'match', st.match)
  st.gmatch = makeGmatch(st.gmatch)
  st.gsub = makeGsub(st.gsub)
  wrappers[find] = true
  return st
end

return {
  -- Called by the host before each message: the C budget is per message.
  resetBudget = function() spent = 0 end,
  find = makeFindLike(true, 'find', nil),
  match = makeFindLike(false, 'match', nil),
  gmatch = makeGmatch(nil),
  gsub = makeGsub(nil),
  install = install,
}
