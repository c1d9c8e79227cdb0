// harness/lua/json.lua must behave like the json module of aos 2.0.x (rxi style). Expected texts were checked
// against the reference module; error locations use aos's line numbers (json:91 here, [string "json"]:91 on aos).
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

const run = (code: string) => runLua(`local json = require('json') ${code}`, { json: 'json' })
/** The error message `body` raises, or 'no error'. */
const errorOf = (body: string) =>
  run(`local ok, err = pcall(function() ${body} end) if ok then return 'no error' end return err`)

describe('harness/lua/json: encode', () => {
  it('encodes an empty table as an empty array', async () => {
    expect(await run('return json.encode({})')).to.equal('[]')
  })

  it('encodes a sequence as an array, nested tables included', async () => {
    expect(await run('return json.encode({1, 2, {3, {4}}, {}})')).to.equal('[1,2,[3,[4]],[]]')
  })

  it('encodes a table with string keys as an object', async () => {
    expect(await run('return json.encode({a = {1, {b = true}}})')).to.equal('{"a":[1,{"b":true}]}')
  })

  it('prints integers without a decimal point and floats with 14 significant digits', async () => {
    expect(await run('return json.encode({3, 2.0, 1.5, 0.1, 1/3, 1e20, 1e-7, 2^53, 12345678901234567, -0.0})')).to.equal(
      '[3,2,1.5,0.1,0.33333333333333,1e+20,1e-07,9.007199254741e+15,1.2345678901235e+16,-0]',
    )
  })

  it('escapes quotes, backslashes and control characters but not slashes', async () => {
    expect(await run(String.raw`return json.encode('a"b\\c/\b\f\n\r\t\1\27\0')`)).to.equal(
      '"a\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u001b\\u0000"',
    )
  })

  it('leaves bytes from 127 upwards untouched', async () => {
    expect(await run('return json.encode("\\127é")')).to.equal('"\u007fé"')
  })

  it('encodes nil, booleans, strings and numbers given on their own', async () => {
    expect(await run('return table.concat({json.encode(nil), json.encode(true), json.encode(false), json.encode("x"), json.encode(5)}, " ")')).to.equal(
      'null true false "x" 5',
    )
  })

  it('skips function values of an object', async () => {
    expect(await run('return json.encode({a = 1, f = print})')).to.equal('{"a":1}')
  })

  it('encodes a table that appears twice without containing itself', async () => {
    expect(await run('local s = {1} return json.encode({s, s})')).to.equal('[[1],[1]]')
  })

  it('fails on a sparse array', async () => {
    expect(await errorOf('json.encode({1, nil, 3})')).to.equal('json:91: invalid table: sparse array')
  })

  it('fails on an array that also has string keys', async () => {
    expect(await errorOf('json.encode({1, x = 2})')).to.equal('json:83: invalid table: mixed or invalid key types')
  })

  it('fails on an object with a non-string key', async () => {
    expect(await errorOf('json.encode({x = 2, [1.5] = 1})')).to.equal('json:111: invalid table: mixed or invalid key types')
  })

  it('fails on a function inside an array', async () => {
    expect(await errorOf('json.encode({print})')).to.equal("json:183: unexpected type 'function'")
  })

  it('fails on NaN', async () => {
    expect(await errorOf('json.encode({0/0})')).to.match(/^json:149: unexpected number value '-?nan'$/)
  })

  it('fails on infinities', async () => {
    expect(await errorOf('json.encode({-math.huge})')).to.equal("json:149: unexpected number value '-inf'")
  })

  it('fails on a table that contains itself', async () => {
    expect(await errorOf('local t = {} t.self = t json.encode(t)')).to.equal('json:65: circular reference')
  })
})

describe('harness/lua/json: decode', () => {
  it('keeps integers as Lua integers', async () => {
    expect(await run('return math.type(json.decode("5")) .. " " .. math.type(json.decode("-0"))')).to.equal('integer integer')
  })

  it('reads numbers with a decimal point or exponent as floats', async () => {
    expect(await run('local t = json.decode("[5.0, 1e2]") return math.type(t[1]) .. " " .. tostring(t[2])')).to.equal('float 100.0')
  })

  it('reads integers beyond 64 bits as floats', async () => {
    expect(await run('local n = json.decode("9223372036854775808") return math.type(n) .. " " .. tostring(n)')).to.equal(
      'float 9.2233720368548e+18',
    )
  })

  it('reads nested objects and arrays', async () => {
    expect(await run('local t = json.decode(\'{"a": [1, 2, {"b": "x"}], "c": true}\') return t.a[2] + #t.a .. t.a[3].b .. tostring(t.c)')).to.equal('5xtrue')
  })

  it('leaves a hole in an array for null', async () => {
    expect(await run('local t = json.decode("[1, null, 3]") return tostring(t[1]) .. tostring(t[2]) .. tostring(t[3])')).to.equal('1nil3')
  })

  it('decodes escapes, \\u escapes and surrogate pairs to UTF-8', async () => {
    expect(await run(String.raw`return json.decode('"\\/\\"\\n\\u0041\\u00e9\\ud83d\\ude00"')`)).to.equal('/"\nAé😀')
  })

  it('accepts surrounding whitespace', async () => {
    expect(await run('return json.decode(" \\n\\t[ 1 ,\\r 2 ] \\n")[2]')).to.equal(2)
  })

  it('reads hexadecimal numbers through tonumber, as aos does', async () => {
    expect(await run('return json.decode("0x10")')).to.equal(16)
  })

  it('reports an unexpected character with its line and column', async () => {
    expect(await errorOf("json.decode('[1,x]')")).to.equal("json:261: unexpected character 'x' at line 1 col 4")
  })

  it('counts lines and columns across newlines', async () => {
    expect(await errorOf("json.decode('[1,\\n2,\\n x]')")).to.equal("json:261: unexpected character 'x' at line 3 col 2")
  })

  it('reports an empty document as an unexpected empty character', async () => {
    expect(await errorOf("json.decode('')")).to.equal("json:261: unexpected character '' at line 1 col 1")
  })

  it('reports trailing garbage', async () => {
    expect(await errorOf("json.decode('[1,2] x')")).to.equal('json:261: trailing garbage at line 1 col 7')
  })

  it('reports a missing comma in an array after the offending character', async () => {
    expect(await errorOf("json.decode('[1 2]')")).to.equal("json:261: expected ']' or ',' at line 1 col 5")
  })

  it('reports a missing comma in an object', async () => {
    expect(await errorOf(`json.decode('{"a":1 "b":2}')`)).to.equal("json:261: expected '}' or ',' at line 1 col 9")
  })

  it('reports a key that is not a string', async () => {
    expect(await errorOf("json.decode('{1:2}')")).to.equal('json:261: expected string for key at line 1 col 2')
  })

  it('reports a missing colon', async () => {
    expect(await errorOf(`json.decode('{"a" 1}')`)).to.equal("json:261: expected ':' after key at line 1 col 6")
  })

  it('reports an unterminated string at its opening quote', async () => {
    expect(await errorOf(`json.decode('"abc')`)).to.equal('json:261: expected closing quote for string at line 1 col 1')
  })

  it('reports an invalid escape', async () => {
    expect(await errorOf(String.raw`json.decode('"a\\qb"')`)).to.equal("json:261: invalid escape char 'q' in string at line 1 col 3")
  })

  it('reports a short \\u escape', async () => {
    expect(await errorOf(String.raw`json.decode('"\\u12"')`)).to.equal('json:261: invalid unicode escape in string at line 1 col 2')
  })

  it('reports a surrogate pair beyond U+10FFFF', async () => {
    expect(await errorOf(String.raw`json.decode('"\\udbff\\uffff"')`)).to.equal("json:293: invalid unicode codepoint '111fff'")
  })

  it('reports a raw control character inside a string', async () => {
    expect(await errorOf(`json.decode('"\\1"')`)).to.equal('json:261: control character in string at line 1 col 2')
  })

  it('reports an invalid literal', async () => {
    expect(await errorOf("json.decode('tru')")).to.equal("json:261: invalid literal 'tru' at line 1 col 1")
  })

  it('reports an invalid number', async () => {
    expect(await errorOf("json.decode('1.2.3')")).to.equal("json:261: invalid number '1.2.3' at line 1 col 1")
  })

  it('refuses a value that is not a string', async () => {
    expect(await errorOf('json.decode(5)')).to.equal('json:597: expected argument of type string, got number')
  })
})
