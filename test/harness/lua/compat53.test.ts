// compat/*.lua (the .compat53 chunk): Lua 5.4 (wasmoon) made to behave like AO's Lua 5.3. Expected values were checked
// against the reference module (aos 2.0.6) unless a test says the behaviour is aokit's own choice.
import { expect } from 'chai'
import { LuaFactory } from 'wasmoon'
import { compatSource as joinedCompatFiles } from '../../../harness/vm/runtimeImage.js'

const factory = new LuaFactory()
const compatSource = joinedCompatFiles()

/**
 * Runs `code` as contract code (chunk name "aos", loaded through the compat `load`) in a fresh engine
 * set up by the compat files; returns its first result. A Lua error comes back as the string "ERROR: <message>".
 */
async function run(code: string): Promise<unknown> {
  const engine = await factory.createEngine()
  try {
    engine.global.set('__compat', compatSource)
    engine.global.set('__code', code)
    return await engine.doString(`
      local src, code = __compat, __code
      __compat, __code = nil, nil
      COMPAT = assert(load(src, "@compat53.lua"))(_G)
      local f, err = load(code, "=aos")
      if not f then return "LOAD ERROR: " .. err end
      local ok, res = pcall(f)
      if not ok then return "ERROR: " .. tostring(res) end
      return res`)
  } finally {
    engine.global.close()
  }
}

describe('compat53: arithmetic on strings (5.3 converts to float)', () => {
  it('"10" + 1 is the float 11.0', async () => {
    expect(await run('local r = "10" + 1 return math.type(r) .. " " .. tostring(r)')).to.equal('float 11.0')
  })
  it('"3" * "2" is 6.0', async () => {
    expect(await run('return tostring("3" * "2")')).to.equal('6.0')
  })
  it('-"2" is -2.0', async () => {
    expect(await run('return tostring(-"2")')).to.equal('-2.0')
  })
  it('"7" // 2 is 3.0 and "7" % 2 is 1.0', async () => {
    expect(await run('return tostring("7" // 2) .. " " .. tostring("7" % 2)')).to.equal('3.0 1.0')
  })
  it('a hexadecimal string converts too ("0x10" + 0 is 16.0)', async () => {
    expect(await run('return tostring("0x10" + 0)')).to.equal('16.0')
  })
  it('a non-numeric literal gives 5.3\'s error without variable info', async () => {
    expect(await run('return "abc" + 1')).to.equal('ERROR: aos:1: attempt to perform arithmetic on a string value')
  })
  it('a non-numeric local is named in the error', async () => {
    expect(await run('local x = "abc"; return x + 1'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a string value (local 'x')")
  })
  it('a non-numeric field is named in the error', async () => {
    expect(await run('local msg = {Tags = {Quantity = "ten"}}; return 5 + msg.Tags.Quantity'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a string value (field 'Quantity')")
  })
  it('a non-numeric global is named in the error', async () => {
    expect(await run('G1 = "abc"; return G1 * 2'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a string value (global 'G1')")
  })
  it('a non-numeric upvalue is named in the error', async () => {
    expect(await run('local u = "abc"; local function f() return u + 1 end; return f()'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a string value (upvalue 'u')")
  })
  it('unary minus on a literal names the constant', async () => {
    expect(await run('return -"abc"'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a string value (constant 'abc')")
  })
  it('the error names the operand on the right line of a multi-line chunk', async () => {
    expect(await run('local a = "1"\nlocal b = "x"\nreturn a + b'))
      .to.equal("ERROR: aos:3: attempt to perform arithmetic on a string value (local 'b')")
  })
  it('a table operand\'s __add is used when the string is not numeric', async () => {
    expect(await run('local t = setmetatable({}, {__add = function() return "added" end}) return "x" + t')).to.equal('added')
  })
  it('a table operand without __add is the one blamed', async () => {
    expect(await run('local t = {} return "1" + t'))
      .to.equal("ERROR: aos:1: attempt to perform arithmetic on a table value (local 't')")
  })
})

describe('compat53: bitwise operators on strings', () => {
  it('"3" | 0 is the integer 3', async () => {
    expect(await run('local r = "3" | 0 return math.type(r) .. " " .. r')).to.equal('integer 3')
  })
  it('"6" & "3" is 2', async () => {
    expect(await run('return "6" & "3"')).to.equal(2)
  })
  it('~"0" is -1', async () => {
    expect(await run('return ~"0"')).to.equal(-1)
  })
  it('"5" ~ "1" (xor) is 4', async () => {
    expect(await run('return "5" ~ "1"')).to.equal(4)
  })
  it('shifts take strings on either side', async () => {
    expect(await run('return ("8" >> 1) .. " " .. (1 << "4")')).to.equal('4 16')
  })
  it('"3.0" | 0 is 3 (an integral float string converts)', async () => {
    expect(await run('return "3.0" | 0')).to.equal(3)
  })
  it('a non-integral string gives "number has no integer representation" with its name', async () => {
    expect(await run('local x = "1.5" return x | 0')).to.equal("ERROR: aos:1: number (local 'x') has no integer representation")
  })
  it('a non-numeric string gives the bitwise error', async () => {
    expect(await run('return "abc" | 0')).to.equal('ERROR: aos:1: attempt to perform bitwise operation on a string value')
  })
})

describe('compat53: bit32', () => {
  it('band(0xFF, 0x0F) is 15', async () => {
    expect(await run('return bit32.band(0xFF, 0x0F)')).to.equal(15)
  })
  it('bnot(0) is 4294967295 (unsigned 32-bit)', async () => {
    expect(await run('return bit32.bnot(0)')).to.equal(4294967295)
  })
  it('bor, bxor and btest combine their arguments', async () => {
    expect(await run('return bit32.bor(1, 2, 4) .. " " .. bit32.bxor(7, 2) .. " " .. tostring(bit32.btest(1, 2))')).to.equal('7 5 false')
  })
  it('arshift fills with the sign bit (arshift(-8, 1) is 4294967292)', async () => {
    expect(await run('return bit32.arshift(-8, 1)')).to.equal(4294967292)
  })
  it('lshift by 32 is 0 and a negative rshift shifts left', async () => {
    expect(await run('return bit32.lshift(1, 32) .. " " .. bit32.rshift(-1, -4)')).to.equal('0 4294967280')
  })
  it('lrotate(1, -1) is 2147483648', async () => {
    expect(await run('return bit32.lrotate(1, -1)')).to.equal(2147483648)
  })
  it('extract(0xF0, 4, 4) is 15 and replace(0, 7, 4, 3) is 112', async () => {
    expect(await run('return bit32.extract(0xF0, 4, 4) .. " " .. bit32.replace(0, 7, 4, 3)')).to.equal('15 112')
  })
  it('extract beyond bit 31 raises "trying to access non-existent bits"', async () => {
    expect(await run('local r = bit32.extract(0xF0, 30, 4) return r')).to.equal('ERROR: aos:1: trying to access non-existent bits')
  })
  it('a non-integral argument raises 5.3\'s argument error', async () => {
    expect(await run('local r = bit32.band(1.5) return r'))
      .to.equal("ERROR: aos:1: bad argument #1 to 'band' (number has no integer representation)")
  })
  it('require("bit32") returns the same table', async () => {
    expect(await run('return require("bit32") == bit32')).to.equal(true)
  })
})

describe('compat53: compat math (LUA_COMPAT_MATHLIB)', () => {
  it('math.pow(2, 10) is the float 1024.0', async () => {
    expect(await run('return tostring(math.pow(2, 10))')).to.equal('1024.0')
  })
  it('math.ldexp(1, 3) is 8.0', async () => {
    expect(await run('return tostring(math.ldexp(1, 3))')).to.equal('8.0')
  })
  it('math.ldexp rounds into the subnormal range once, as C does', async () => {
    expect(await run('return string.format("%.17g", math.ldexp(0.75, -1074))')).to.equal('4.9406564584124654e-324')
  })
  it('math.frexp(8) is 0.5, 4', async () => {
    expect(await run('local m, e = math.frexp(8) return tostring(m) .. " " .. e')).to.equal('0.5 4')
  })
  it('math.frexp handles subnormals', async () => {
    expect(await run('return string.format("%.17g %d", math.frexp(-3.5e-310))')).to.equal('-0.50335407776145047 -1027')
  })
  it('cosh, sinh and tanh give AO\'s exact doubles', async () => {
    expect(await run('return string.format("%.17g %.17g %.17g %.17g", math.cosh(0.1), math.sinh(0.1), math.tanh(0.1), math.sinh(-3))'))
      .to.equal('1.0050041680558035 0.10016675001984403 0.099667994624955819 -10.017874927409903')
  })
  it('math.log10(1000) is 3.0', async () => {
    expect(await run('return tostring(math.log10(1000))')).to.equal('3.0')
  })
  it('math.atan2 is math.atan', async () => {
    expect(await run('return math.atan2 == math.atan')).to.equal(true)
  })
  it('math.tointeger("8") is 8', async () => {
    expect(await run('return math.tointeger("8")')).to.equal(8)
  })
})

describe('compat53: what 5.3 lacks', () => {
  it('warn, unpack, loadstring and setfenv are absent', async () => {
    expect(await run('return tostring(warn) .. tostring(unpack) .. tostring(loadstring) .. tostring(setfenv)')).to.equal('nilnilnilnil')
  })
  it('coroutine.close is absent', async () => {
    expect(await run('return coroutine.close == nil')).to.equal(true)
  })
  it('collectgarbage("generational") raises 5.3\'s invalid option error', async () => {
    expect(await run('local r = collectgarbage("generational") return r'))
      .to.equal("ERROR: aos:1: bad argument #1 to 'collectgarbage' (invalid option 'generational')")
  })
  it('collectgarbage("incremental") raises too', async () => {
    expect(await run('local r = collectgarbage("incremental") return r'))
      .to.equal("ERROR: aos:1: bad argument #1 to 'collectgarbage' (invalid option 'incremental')")
  })
  it('collectgarbage("count") still works', async () => {
    expect(await run('return math.type(collectgarbage("count"))')).to.equal('float')
  })
})

describe('compat53: utf8 as in 5.3', () => {
  it('utf8.char(0x7FFFFFFF) raises "value out of range"', async () => {
    expect(await run('local s = utf8.char(0x7FFFFFFF) return s')).to.equal("ERROR: aos:1: bad argument #1 to 'char' (value out of range)")
  })
  it('utf8.char(0x10FFFF) is the 4-byte maximum', async () => {
    expect(await run('return utf8.char(0x10FFFF) == "\\xF4\\x8F\\xBF\\xBF"')).to.equal(true)
  })
  it('utf8.len accepts surrogates (5.4 rejects them)', async () => {
    expect(await run('return utf8.len("\\xED\\xA0\\x80")')).to.equal(1)
  })
  it('utf8.len ignores the 5.4 lax argument: code points above 0x10FFFF stay invalid', async () => {
    expect(await run('local n, pos = utf8.len("\\xF4\\x90\\x80\\x80", 1, -1, true) return tostring(n) .. " " .. pos')).to.equal('nil 1')
  })
  it('utf8.charpattern is 5.3\'s', async () => {
    expect(await run('return utf8.charpattern == "[\\0-\\x7F\\xC2-\\xF4][\\x80-\\xBF]*"')).to.equal(true)
  })
  it('utf8.codepoint says "out of range" (5.4 says "out of bounds")', async () => {
    expect(await run('local c = utf8.codepoint("abc", 0) return c')).to.equal("ERROR: aos:1: bad argument #2 to 'codepoint' (out of range)")
  })
  it('utf8.codes raises "invalid UTF-8 code" at a leading continuation byte', async () => {
    expect(await run('for p, c in utf8.codes("\\x80ab") do end')).to.equal('ERROR: aos:1: invalid UTF-8 code')
  })
})

describe('compat53: metamethod fallbacks', () => {
  it('a <= b falls back to not (b < a) when only __lt is set', async () => {
    expect(await run(`local mt = {__lt = function(a, b) return a.v < b.v end}
      local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
      return tostring(a <= b) .. tostring(b <= a)`)).to.equal('truefalse')
  })
  it('ipairs honours __ipairs', async () => {
    expect(await run(`local mt = {__ipairs = function(t) return function(_, i) if i < 3 then return i + 1, i * 10 end end, t, 0 end}
      local r = {} for i, v in ipairs(setmetatable({}, mt)) do r[#r + 1] = i .. "=" .. v end return table.concat(r, ",")`))
      .to.equal('1=0,2=10,3=20')
  })
  it('setmetatable with a bad second argument gives 5.3\'s message', async () => {
    expect(await run('local t = setmetatable({}, 5) return t')).to.equal("ERROR: aos:1: bad argument #2 to 'setmetatable' (nil or table expected)")
  })
})

describe('compat53: load', () => {
  const refusal = 'binary chunks are not allowed: aokit refuses precompiled bytecode (a sandbox escape); load the source text instead'
  it('raises aokit\'s refusal for a binary chunk, so load(string.dump(f))() says why (an intended difference)', async () => {
    expect(await run('local ok, err = pcall(load, string.dump(function() return 1 end)) return tostring(ok) .. " | " .. err'))
      .to.equal('false | ' + refusal)
  })
  it('refuses a binary chunk even with mode "b"', async () => {
    expect(await run('local ok, err = pcall(load, string.dump(function() end), "x", "b") return err')).to.equal(refusal)
  })
  it('rejects <const> as Lua 5.4 syntax, at its line', async () => {
    expect(await run('local f, err = load("local a = 1\\nlocal b = 2\\nlocal x <const> = 1", "aos") return err'))
      .to.equal(`[string "aos"]:3: unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)`)
  })
  it('rejects <close> in a list of locals', async () => {
    expect(await run('local f, err = load("local a, b <close> = 1", "=c") return err')).to.equal("c:1: unexpected symbol near '<' ('<close>' is Lua 5.4 syntax; AO runs Lua 5.3)")
  })
  it('accepts "<const>" inside a string, a comment and a long string', async () => {
    expect(await run('local f = load(\'local s = "<const>" -- local x <const>\\nlocal t = [[local y <close>]] return s .. t\') return f()'))
      .to.equal('<const>local y <close>')
  })
  it('does not mistake comparisons for attributes', async () => {
    expect(await run('local f = load("local x = 1 local y = 2 return x <y, y> x") return tostring(f ~= nil)')).to.equal('true')
  })
  it('reports an earlier syntax error first, as 5.3 would', async () => {
    expect(await run('local f, err = load("x = = 1\\nlocal y <const> = 2", "=c") return err')).to.equal("c:1: unexpected symbol near '='")
  })
  it('checks the text a reader function returns', async () => {
    expect(await run('local parts = {"local x ", "<const> = 1"} local i = 0 local f, err = load(function() i = i + 1 return parts[i] end) return err'))
      .to.equal("(load):1: unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)")
  })
  it('rejects \\u{110000}, above 5.3\'s UTF-8 escape limit', async () => {
    expect(await run('local f, err = load([[return "\\u{110000}"]], "=c") return err')).to.equal(`c:1: UTF-8 value too large near '"\\u{110000'`)
  })
  it('keeps the env argument', async () => {
    expect(await run('return load("return y", "=c", "t", {y = 5})()')).to.equal(5)
  })
  it('keeps 5.3\'s refusal of a text chunk in mode "b"', async () => {
    expect(await run('local f, err = load("return 1", "=c", "b") return err')).to.equal("attempt to load a text chunk (mode is 'b')")
  })
  it('exports checkSource for other code paths', async () => {
    expect(await run('local ok, err = COMPAT.checkSource("local x <const> = 1", "=m") return tostring(ok) .. " " .. err'))
      .to.equal("false m:1: unexpected symbol near '<' ('<const>' is Lua 5.4 syntax; AO runs Lua 5.3)")
  })
  it('checkSource accepts plain 5.3 code', async () => {
    expect(await run('return COMPAT.checkSource("local x = 1 return x", "=m")')).to.equal(true)
  })
})

describe('compat53: set-up', () => {
  it('adds bit32 and no other global', async () => {
    const engine = await factory.createEngine()
    try {
      engine.global.set('__compat', compatSource)
      const added = await engine.doString(`
        local src = __compat
        __compat = nil
        local before = {}
        for k in pairs(_G) do before[k] = true end
        assert(load(src))(_G)
        local added = {}
        for k in pairs(_G) do if not before[k] then added[#added + 1] = k end end
        table.sort(added)
        return table.concat(added, ",")`)
      expect(added).to.equal('bit32')
    } finally {
      engine.global.close()
    }
  })
})
