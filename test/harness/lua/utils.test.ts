// harness/lua/utils.lua must behave like aos 2.0.x process/utils.lua (global Utils), quirks included. Expected
// values were checked against the reference module; error locations use aos's line numbers.
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

const run = (code: string) =>
  runLua(`local U = require('.utils') local json = require('json') ${code}`, { '.utils': 'utils', json: 'json' })
/** The error message `body` raises, or 'no error'. */
const errorOf = (body: string) =>
  run(`local ok, err = pcall(function() ${body} end) if ok then return 'no error' end return err`)

describe('harness/lua/utils: matchesPattern', () => {
  it('treats "_" as "present", whatever the value', async () => {
    expect(await run('return U.matchesPattern("_", nil, {})')).to.equal(true)
  })

  it('never matches a nil pattern or a number pattern', async () => {
    expect(await run('return U.matchesPattern(nil, "x", {}) or U.matchesPattern(5, 5, {})')).to.equal(false)
  })

  it('compares plain strings case-insensitively', async () => {
    expect(await run('return U.matchesPattern("Credit-Notice", "credit-NOTICE", {})')).to.equal(true)
  })

  it('compares a plain string with a number value through its text', async () => {
    expect(await run('return U.matchesPattern("5", 5, {})')).to.equal(true)
  })

  it('uses a string with magic characters as an unanchored Lua pattern', async () => {
    expect(await run('return U.matchesPattern("n.t", "Credit-Notice", {})')).to.equal(true)
  })

  it('lower-cases the pattern too, so %D behaves like %d', async () => {
    expect(await run('return tostring(U.matchesPattern("%D+", "abc", {})) .. tostring(U.matchesPattern("%D+", "123", {}))')).to.equal('falsetrue')
  })

  it('matches a table of patterns when any element matches', async () => {
    expect(await run('return U.matchesPattern({"a", "b"}, "B", {})')).to.equal(true)
  })

  it('returns the truthiness of a function pattern called with the value and the message', async () => {
    expect(await run('return tostring(U.matchesPattern(function(v, m) return v == m.x and 1 end, 3, {x = 3})) .. tostring(U.matchesPattern(function() end, 3, {}))')).to.equal('truefalse')
  })

  it('fails like aos on a table value', async () => {
    expect(await errorOf('U.matchesPattern("ab", {}, {})')).to.equal(".utils:115: bad argument #1 to 'lower' (string expected, got table)")
  })

  it('reports a malformed pattern at aos\'s line', async () => {
    expect(await errorOf('U.matchesPattern("[a", "x", {})')).to.equal(".utils:105: malformed pattern (missing ']')")
  })
})

describe('harness/lua/utils: matchesSpec', () => {
  it('matches a string spec against Action exactly', async () => {
    expect(await run('return tostring(U.matchesSpec({Action = "X"}, "X")) .. tostring(U.matchesSpec({Action = "X"}, "x"))')).to.equal('truefalse')
  })

  it('returns a function spec\'s own result unchanged', async () => {
    expect(await run('return U.matchesSpec({}, function() return "skip" end)')).to.equal('skip')
  })

  it('requires every key of a table spec to be present', async () => {
    expect(await run('return U.matchesSpec({Tags = {}}, {A = "_"})')).to.equal(false)
  })

  it('finds a table spec key among the tags', async () => {
    expect(await run('return U.matchesSpec({Tags = {Action = "Transfer"}}, {Action = "transfer"})')).to.equal(true)
  })

  it('accepts a match on either the top-level field or the tag', async () => {
    expect(await run('return U.matchesSpec({From = "a", Tags = {From = "b"}}, {From = "b"})')).to.equal(true)
  })

  it('calls a function pattern for both the field and the tag', async () => {
    expect(await run('local n = 0 U.matchesSpec({A = "v", Tags = {A = "w"}}, {A = function() n = n + 1 return true end}) return n')).to.equal(2)
  })

  it('does not match a number spec', async () => {
    expect(await run('return U.matchesSpec({Action = 5}, 5)')).to.equal(false)
  })
})

describe('harness/lua/utils: strings', () => {
  it('normalises tag names to Title-Case with dashes', async () => {
    expect(await run('return table.concat({U.normalize("x_custom_tag"), U.normalize("TokenId"), U.normalize("SDK"), U.normalize("_x"), U.normalize("1abc-def")}, " ")')).to.equal(
      'X-Custom-Tag Tokenid Sdk -X 1abc-Def',
    )
  })

  it('returns a non-string unchanged from normalize', async () => {
    expect(await run('return U.normalize(5)')).to.equal(5)
  })

  it('capitalizes the first letter and lower-cases the rest', async () => {
    expect(await run('return U.capitalize("hELLO")')).to.equal('Hello')
  })

  it('returns an empty string or a non-string unchanged from capitalize', async () => {
    expect(await run('return U.capitalize("") .. "|" .. U.capitalize(5)')).to.equal('|5')
  })
})

describe('harness/lua/utils: functional helpers', () => {
  it('exposes version 0.0.5', async () => {
    expect(await run('return U._version')).to.equal('0.0.5')
  })

  it('curries a function to its declared parameter count', async () => {
    expect(await run('return U.curry(function(a, b, c) return a + b + c end)(1)(2)(3)')).to.equal(6)
  })

  it('carries only the first of several early arguments, as aos does', async () => {
    expect(await errorOf('return U.curry(function(a, b, c) return a + b + c end)(1, 2)(3)')).to.match(/attempt to perform arithmetic on a nil value \(local 'c'\)$/)
  })

  it('refuses to curry a non-function', async () => {
    expect(await errorOf('U.curry(5)')).to.equal('.utils:345: function is required as first argument')
  })

  it('concatenates two arrays, curried or not', async () => {
    expect(await run('return json.encode(U.concat({1, 2})({3})) .. json.encode(U.concat({1}, {2, 3}))')).to.equal('[1,2,3][1,2,3]')
  })

  it('refuses to concatenate a non-array table', async () => {
    expect(await errorOf('U.concat({a = 1}, {})')).to.equal('.utils:399: first argument should be a table')
  })

  it('reduces with an initial value', async () => {
    expect(await run('return U.reduce(function(acc, v) return acc .. v end, ">", {"a", "b"})')).to.equal('>ab')
  })

  it('starts from the first element when the initial value is nil', async () => {
    expect(await run('return U.reduce(function(acc, v) return acc + v end, nil, {1, 2, 3})')).to.equal(6)
  })

  it('returns yet another curried function when the nil initial value comes alone (curry counts no arguments)', async () => {
    expect(await run('return type(U.reduce(function(acc, v) return acc + v end)(nil)({1, 2, 3}))')).to.equal('function')
  })

  it('passes the key to the reducer', async () => {
    expect(await run('return U.reduce(function(acc, v, k) return acc .. k end, "", {"a", "b"})')).to.equal('12')
  })

  it('loses the initial value when reduce gets it together with the function (aos quirk)', async () => {
    expect(await errorOf('U.reduce(function(a, b) return a + b end, 0)({1, 2, 3})')).to.equal('.utils:445: third argument should be a table that is an array')
  })

  it('maps with value and key', async () => {
    expect(await run('return json.encode(U.map(function(v, k) return v * k end)({5, 6, 7}))')).to.equal('[5,12,21]')
  })

  it('refuses to map over a non-array', async () => {
    expect(await errorOf('U.map(function(v) return v end, {a = 1})')).to.equal('.utils:487: second argument should be an Array')
  })

  it('filters an array', async () => {
    expect(await run('return json.encode(U.filter(function(v) return v > 1 end)({1, 2, 3}))')).to.equal('[2,3]')
  })

  it('finds the first matching element', async () => {
    expect(await run('return U.find(function(v) return v > 1 end)({1, 2, 3})')).to.equal(2)
  })

  it('compares a property with a string value', async () => {
    expect(await run('return tostring(U.propEq("a")("b")({a = "b"})) .. tostring(U.propEq("a", "c", {a = "b"}))')).to.equal('truefalse')
  })

  it('refuses a non-string value in propEq', async () => {
    expect(await errorOf('U.propEq("a", 1, {a = 1})')).to.equal('.utils:603: second argument should be a string')
  })

  it('reverses an array', async () => {
    expect(await run('return json.encode(U.reverse({1, 2, 3}))')).to.equal('[3,2,1]')
  })

  it('composes functions right to left', async () => {
    expect(await run('return U.compose(function(x) return x .. "f" end, function(x) return x .. "g" end, function(x) return x .. "h" end)("")')).to.equal('hgf')
  })

  it('composes curried functions', async () => {
    expect(await run('return U.compose(function(x) return x + 1 end)(function(x) return x * 2 end)(3)')).to.equal(7)
  })

  it('refuses to compose a non-function', async () => {
    expect(await errorOf('U.compose(1, 2)(0)')).to.equal('.utils:675: each argument needs to be a function')
  })

  it('reads a property', async () => {
    expect(await run('return U.prop("a")({a = 9})')).to.equal(9)
  })

  it('checks whether an array includes a value', async () => {
    expect(await run('return tostring(U.includes(2)({1, 2})) .. tostring(U.includes(5, {1, 2}))')).to.equal('truefalse')
  })

  it('refuses includes on a non-array', async () => {
    expect(await errorOf('U.includes(1, {a = 1})')).to.equal('.utils:729: argument should be a table that is an array')
  })

  it('lists the keys of a table', async () => {
    expect(await run('local k = U.keys({a = 1, b = 2}) table.sort(k) return table.concat(k, ",")')).to.equal('a,b')
  })

  it('lists the values of a table', async () => {
    expect(await run('local v = U.values({a = 1, b = 2}) table.sort(v) return json.encode(v)')).to.equal('[1,2]')
  })

  it('refuses keys of a non-table', async () => {
    expect(await errorOf('U.keys(5)')).to.equal('.utils:749: argument needs to be a table')
  })
})
