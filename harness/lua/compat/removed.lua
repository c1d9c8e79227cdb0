---------------------------------------------------------------------------------------------
-- Things 5.3 lacks (spec §5).
---------------------------------------------------------------------------------------------
rawset(env, "warn", nil)
rawset(env, "unpack", nil)
rawset(env, "loadstring", nil)
rawset(env, "setfenv", nil)
coroutine.close = nil
if type(rawget(env, "debug")) == "table" then rawget(env, "debug").setcstacklimit = nil end

-- AO has no environment: os.getenv exists and finds nothing (aos 2.0.6), after 5.3's argument check.
local os53 = grab "os"
if type(os53) == "table" then
  os53.getenv = publish(function(...)
    checkstring(1, (...), select("#", ...))
    return nil
  end, "getenv", "os.getenv")
end

