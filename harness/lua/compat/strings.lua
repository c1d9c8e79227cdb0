---------------------------------------------------------------------------------------------
-- Arithmetic and bitwise operators on strings (spec §5): 5.3 converts a numeric string to a
-- float for + - * / % ^ // and unary minus, and to an exact integer for bitwise operators.
-- 5.4 routes string operands through the string metatable, so we redefine it there.
---------------------------------------------------------------------------------------------

-- 5.3's strings have no arithmetic metamethods: only a non-string operand's handler counts.
local function otherhandler(a, b, event)
  for i = 1, 2 do
    local v = i == 1 and a or b
    if type(v) ~= "string" then
      local mt = rawmeta(v)
      local h = type(mt) == "table" and rawget(mt, event) or nil
      if h ~= nil then return h end
    end
  end
  return nil
end

local function arith(event, op)
  return function(a, b)
    local x, y = tonum(a), tonum(b)
    if x ~= nil and y ~= nil then return op(x + 0.0, y + 0.0) end
    local h = otherhandler(a, b, event)
    if h ~= nil then return (h(a, b)) end
    -- luaG_opinterror: blame the first operand unless it is a number
    local which = x == nil and 1 or 2
    local bad = which == 1 and a or b
    local info = varinfo(event, a, b, which)
    error(sformat("attempt to perform arithmetic on a %s value%s", typename(bad), info), 2)
  end
end

local function bitwise(event, op)
  return function(a, b)
    local x, y = toint(a), toint(b)
    if x ~= nil and y ~= nil then return op(x, y) end
    local h = otherhandler(a, b, event)
    if h ~= nil then return (h(a, b)) end
    if tonum(a) ~= nil and tonum(b) ~= nil then
      -- luaG_tointerror: both are numbers, one is not integral
      local info = varinfo(event, a, b, x == nil and 1 or 2)
      error(sformat("number%s has no integer representation", info), 2)
    end
    local which = tonum(a) == nil and 1 or 2
    local bad = which == 1 and a or b
    local info = varinfo(event, a, b, which)
    error(sformat("attempt to perform bitwise operation on a %s value%s", typename(bad), info), 2)
  end
end

local smt = rawmeta("")
smt.__add = arith("__add", function(x, y) return x + y end)
smt.__sub = arith("__sub", function(x, y) return x - y end)
smt.__mul = arith("__mul", function(x, y) return x * y end)
smt.__div = arith("__div", function(x, y) return x / y end)
smt.__mod = arith("__mod", function(x, y) return x % y end)
smt.__pow = arith("__pow", function(x, y) return x ^ y end)
smt.__idiv = arith("__idiv", function(x, y) return x // y end)
smt.__unm = arith("__unm", function(x) return -x end)
smt.__band = bitwise("__band", function(x, y) return x & y end)
smt.__bor = bitwise("__bor", function(x, y) return x | y end)
smt.__bxor = bitwise("__bxor", function(x, y) return x ~ y end)
smt.__shl = bitwise("__shl", function(x, y) return x << y end)
smt.__shr = bitwise("__shr", function(x, y) return x >> y end)
smt.__bnot = bitwise("__bnot", function(x) return ~x end)

