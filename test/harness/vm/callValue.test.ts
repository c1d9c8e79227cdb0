// LuaVm.callValue reads a result straight off the Lua stack. It must give exactly what JSON.parse of the
// runtime's json.encode gives, and hand every value it cannot vouch for back to that encoder.
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { LuaVm } from '../../../harness/vm/luaVm.js'

const JSON_LUA = readFileSync(new URL('../../../harness/lua/json.lua', import.meta.url), 'utf8')

// run: evaluates the code and returns its value; text: the same through json.encode; encode: the fallback,
// which counts how often it is asked.
const entry = {
  name: 'entry',
  source: `
    local json = (function() ${JSON_LUA} end)()
    fallbacks = 0
    local function toJson(value)
      local ok, text = pcall(json.encode, value)
      if not ok then return json.encode({ Error = 'result is not JSON: ' .. tostring(text) }) end
      return text
    end
    return function(op, x)
      if op == 'encode' then fallbacks = fallbacks + 1 return toJson(x) end
      local value = assert(load(x))()
      if op == 'text' then return toJson(value) end
      return value
    end`,
}

describe('harness/vm: LuaVm.callValue', () => {
  let vm: LuaVm
  before(async () => {
    vm = await LuaVm.boot([entry], [])
  })

  const fallbacks = () => Number(vm.call('run', 'return fallbacks'))
  /** callValue's value, the encoder's value, and whether the fallback was used. */
  function both(expr: string) {
    const before = fallbacks()
    const fast = vm.callValue('run', `return ${expr}`)
    const fellBack = fallbacks() > before
    const slow = JSON.parse(vm.call('text', `return ${expr}`))
    return { fast, slow, fellBack }
  }

  const plain: [string, string][] = [
    ['an object of every JSON type', "{ a = 1, b = { 1, 2, 3 }, c = 'x', d = true, e = {}, f = { g = false } }"],
    ['strings with escapes and unicode', "{ s = 'quote \" back \\\\ nl \\n tab \\t bell \\7 é 😀' }"],
    ['invalid UTF-8 bytes', "{ s = 'a\\255b\\192' }"],
    ['numbers', '{ 1, 0.1, 1/3, 2^53, 1e300, -5, 123456789012345678, math.maxinteger, math.mininteger, 0.5 }'],
    ['numeric-looking keys in object order', "{ ['10'] = 'a', ['1'] = 'b', x = 'c', ['2'] = 'd' }"],
    ['functions inside an object are skipped', '{ a = 1, f = print }'],
    ['the __proto__ key', "{ ['__proto__'] = { polluted = true }, ok = 1 }"],
    ['nil at the top', 'nil'],
  ]
  for (const [name, expr] of plain) {
    it(`reads ${name} without the fallback, equal to the encoder`, () => {
      const { fast, slow, fellBack } = both(expr)
      expect(JSON.stringify(fast)).to.equal(JSON.stringify(slow))
      expect(fast).to.deep.equal(slow)
      expect(fellBack).to.equal(false)
    })
  }

  it('keeps -0 as -0, as JSON.parse("-0") does', () => {
    const { fast, slow } = both('{ -0.0 }')
    expect(Object.is((fast as number[])[0], -0)).to.equal(true)
    expect(Object.is((slow as number[])[0], -0)).to.equal(true)
  })

  const doubtful: [string, string][] = [
    ['a decimal tie (C rounds to even)', '{ 100000000000005, 0.000000000000125 }'],
    ['a sparse array', '{ 1, nil, 3 }'],
    ['a border that is not the count', '{ [1] = 1, [3] = 3 }'],
    ['mixed keys', "{ 1, a = 2 }"],
    ['a float key', '{ [1] = 1, [1.5] = 2 }'],
    ['a metatable', "setmetatable({ 1, 2 }, { __len = function() return 5 end })"],
    ['an __index metatable', "setmetatable({ a = 1 }, { __index = function() return 'x' end })"],
    ['a cycle', 'function() local t = {} t.self = t return t end'],
    ['NaN', '{ 0/0 }'],
    ['infinity', '{ a = math.huge }'],
    ['a function in an array', '{ print }'],
    ['a non-string object key', '{ [true] = 1, [2] = 3 }'],
    ['nesting deeper than the reader goes', "(function() local t = 'leaf' for _ = 1, 80 do t = { t } end return t end)()"],
    ['a table used twice (not a cycle)', "(function() local s = { 1 } return { a = s, b = s } end)()"],
  ]
  for (const [name, expr] of doubtful) {
    it(`gives the encoder's own answer for ${name}`, () => {
      // A cycle is built by calling the function; the rest are values.
      const source = expr.startsWith('function') ? `(${expr})()` : expr
      const { fast, slow } = both(source)
      expect(fast).to.deep.equal(slow)
    })
  }

  it('asks the encoder for exactly the doubtful values', () => {
    expect(both('{ 1, nil, 3 }').fellBack).to.equal(true)
    expect(both("{ a = { b = { c = 'x' } } }").fellBack).to.equal(false)
    const nan = both('{ 0/0 }')
    expect(nan.fellBack).to.equal(true)
    expect((nan.fast as { Error: string }).Error).to.match(/^result is not JSON: .*unexpected number value/)
    expect(both('{ 100000000000005 }').fellBack).to.equal(true)
  })
})
