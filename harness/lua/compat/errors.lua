-- Runtime errors in 5.3's words. The 5.4 VM words a few messages differently; contracts catch them and send
-- the text on, so every place Lua code can see an error value says it as 5.3 would: pcall, xpcall (before its
-- handler runs), coroutine.resume, and so the failed message's Error (it goes through pcall). Errors that
-- escape coroutine.wrap or a library callback end in one of these.
local sgsub = string.gsub
local relocating = (grab "next")(aoslines) ~= nil
local function words53(msg)
  if type(msg) ~= "string" then return msg end
  if relocating and sfind(msg, '[string "', 1, true) then msg = sgsub(msg, '%[string "([^"\n]*)"%]:(%d+):', relocate) end
  -- a constant integer key: 5.4 names it 'integer index', 5.3's kname gives '?'
  if sfind(msg, "(field 'integer index')", 1, true) then msg = sgsub(msg, "%(field 'integer index'%)", "(field '?')") end
  -- numeric for: 5.4 says "bad 'for' limit (number expected, got string)"
  if sfind(msg, "bad 'for' ", 1, true) then
    msg = sgsub(msg, "bad 'for' (%a[%a ]-) %(number expected, got [^)]*%)", "'for' %1 must be a number")
  end
  return msg
end
local function caught(ok, ...)
  if ok then return ok, ... end
  return false, words53((...))
end
local rawpcall, xpcall54, resume54 = pcall, grab "xpcall", coroutine.resume
-- Arguments are checked here, as 5.3's C functions do, so a bad one is reported at the caller's line.
do
  local pcall = rawpcall
  rawset(env, "pcall", publish(function(...)
    if select("#", ...) == 0 then argerror(1, "value expected") end
    return caught(pcall(...))
  end, "pcall", "pcall"))
end
-- One wrapped handler per handler function (weak), so a handler called per message allocates nothing.
local handlers53 = setmetatable54({}, { __mode = "k" })
local function handler53(h)
  if type(h) ~= "function" then return h end
  local w = handlers53[h]
  if not w then
    w = function(m) return h(words53(m)) end
    handlers53[h] = w
  end
  return w
end
do
  local xpcall = xpcall54
  rawset(env, "xpcall", publish(function(...)
    local n, f, msgh = select("#", ...), ...
    if type(msgh) ~= "function" then typeerror(2, "function", msgh, n >= 2) end
    return xpcall(f, handler53(msgh), select(3, ...))
  end, "xpcall", "xpcall"))
end
do
  local resume = resume54
  coroutine.resume = publish(function(co, ...)
    if type(co) ~= "thread" then argerror(1, "thread expected") end
    return caught(resume(co, ...))
  end, "resume", "coroutine.resume")
end

