// harness/lua/stringify.lua (print of a table), pretty.lua (tprint) and dump.lua (Dump) must produce exactly the
// text aos 2.0.x produces, colours and spacing included. Expected texts were checked against the reference; only
// tables whose pairs() order is fixed (arrays, single keys) are used where the output follows pairs().
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

const modules = { '.stringify': 'stringify', '.pretty': 'pretty', '.dump': 'dump' }
const run = (code: string) =>
  runLua(`local S, pretty, Dump = require('.stringify'), require('.pretty'), require('.dump') ${code}`, modules)
/** The error message `body` raises, or 'no error'. */
const errorOf = (body: string) =>
  run(`local ok, err = pcall(function() ${body} end) if ok then return 'no error' end return err`)

const red = (s: string) => `\u001b[31m${s}\u001b[0m`
const green = (s: string) => `\u001b[32m"${s}"\u001b[0m`
const blue = (s: string) => `\u001b[34m${s}\u001b[0m`

describe('harness/lua/stringify: format', () => {
  it('prints a simple array on one line, strings green and numbers blue', async () => {
    expect(await run('return S.format({1, 2, "x"})')).to.equal(`{ ${blue('1')}, ${blue('2')}, ${green('x')} }`)
  })

  it('prints an empty table as "{  }"', async () => {
    expect(await run('return S.format({})')).to.equal('{  }')
  })

  it('prints numbers through tostring, floats and huge values included', async () => {
    expect(await run('return S.format({1.5, -0.0, 1e100, 2^63})')).to.equal(`{ ${blue('1.5')}, ${blue('-0.0')}, ${blue('1e+100')}, ${blue('9.2233720368548e+18')} }`)
  })

  it('does not escape strings', async () => {
    expect(await run('return S.format({"a\\nb"})')).to.equal(`{ ${green('a\nb')} }`)
  })

  it('prints an array holding a table one item per line', async () => {
    expect(await run('return S.format({1, {2}, "x"})')).to.equal(`{\n  ${blue('1')},\n  { ${blue('2')} },\n  ${green('x')}\n }`)
  })

  it('prints an array of booleans one item per line', async () => {
    expect(await run('return S.format({true})')).to.equal(`{\n  ${blue('true')}\n }`)
  })

  it('prints a key with a red name', async () => {
    expect(await run('return S.format({a = "x"})')).to.equal(`{\n   ${red('a')} = ${green('x')}\n}`)
  })

  it('indents nested tables by two more spaces per level', async () => {
    expect(await run('return S.format({a = {b = {c = 1}}})')).to.equal(
      `{\n   ${red('a')} = {\n     ${red('b')} = {\n       ${red('c')} = ${blue('1')}\n    }\n  }\n}`,
    )
  })

  it('prints a nested array inside an object on one line', async () => {
    expect(await run('return S.format({k = {1}})')).to.equal(`{\n   ${red('k')} = { ${blue('1')} }\n}`)
  })

  it('prints an object inside an array', async () => {
    expect(await run('return S.format({{a = 1}})')).to.equal(`{\n  {\n     ${red('a')} = ${blue('1')}\n  }\n }`)
  })

  it('drops the array items once a non-index key appears, as aos does', async () => {
    expect(await run('return S.format({1, 2, a = 5})')).to.equal(`{\n   ${red('a')} = ${blue('5')}\n}`)
  })

  it('starts from the given indent', async () => {
    expect(await run('return S.format({x = true}, 4)')).to.equal(`{\n       ${red('x')} = ${blue('true')}\n    }`)
  })

  it('prints a table that contains itself as "<circular reference>"', async () => {
    expect(await run('local c = {} c.c = c return S.format({c = c})')).to.equal(`{\n   ${red('c')} = <circular reference>\n}`)
  })

  it('fails like aos on a table key', async () => {
    expect(await errorOf('S.format({[{}] = 1})')).to.equal(".stringify:183: attempt to concatenate a table value (local 'k')")
  })

  it('tells simple arrays apart', async () => {
    expect(await run('return tostring(S.isSimpleArray({})) .. tostring(S.isSimpleArray({1, "a"})) .. tostring(S.isSimpleArray({1, {}})) .. tostring(S.isSimpleArray({a = 1}))')).to.equal(
      'truetruefalsefalse',
    )
  })
})

describe('harness/lua/pretty: tprint', () => {
  it('prints one "key: value" line per entry', async () => {
    expect(await run('return pretty.tprint({1, "x", true})')).to.equal('1: 1\n2: x\n3: true\n')
  })

  it('indents a nested table by one space', async () => {
    expect(await run('return pretty.tprint({a = {b = 1}})')).to.equal('a: \n b: 1\n')
  })

  it('fails like aos on a function value', async () => {
    expect(await errorOf('pretty.tprint({a = print})')).to.equal(".pretty:51: attempt to concatenate a function value (local 'v')")
  })

  it('fails like aos on a boolean key', async () => {
    expect(await errorOf('pretty.tprint({[true] = 1})')).to.equal(".pretty:37: attempt to concatenate a boolean value (local 'k')")
  })
})

describe('harness/lua/dump: Dump', () => {
  it('dumps a scalar as a quoted string', async () => {
    expect(await run('return Dump(5) .. " " .. Dump(nil) .. " " .. Dump(true)')).to.equal('"5" "nil" "true"')
  })

  it('quotes strings with %q', async () => {
    expect(await run('return Dump({"\\27[31mred", "a\\nb"})')).to.equal('{\n    [1] = "\\27[31mred",\n    [2] = "a\\\nb"\n}')
  })

  it('dumps an empty table as {}', async () => {
    expect(await run('return Dump({})')).to.equal('{}')
  })

  it('indents nested tables by four spaces per level', async () => {
    expect(await run('return Dump({1, 2, {3}})')).to.equal('{\n    [1] = 1,\n    [2] = 2,\n    [3] = {\n        [1] = 3\n    }\n}')
  })

  it('sorts string keys, quoting those that are not identifiers', async () => {
    expect(await run('return Dump({a = 1, b = "x", ["end"] = 2, ["a-b"] = 3, _x = 4})')).to.equal(
      '{\n    ["a-b"] = 3,\n    ["end"] = 2,\n    _x = 4,\n    a = 1,\n    b = "x"\n}',
    )
  })

  it('sorts number keys numerically', async () => {
    expect(await run('return Dump({10, 20, [5] = 50, [-1] = 0, [2.5] = 7})')).to.equal(
      '{\n    [-1] = 0,\n    [1] = 10,\n    [2] = 20,\n    [2.5] = 7,\n    [5] = 50\n}',
    )
  })

  it('puts false before true', async () => {
    expect(await run('return Dump({[true] = 1, [false] = 0})')).to.equal('{\n    [false] = 0,\n    [true] = 1\n}')
  })

  it('prints on one line with indent 0', async () => {
    expect(await run('return Dump({x = 1, y = {2}}, 0)')).to.equal('{ x = 1, y = { [1] = 2 } }')
  })

  it('applies indent and padding', async () => {
    expect(await run('return Dump({x = {y = {z = 1}}}, 2, 3)')).to.equal('{\n     x = {\n       y = {\n         z = 1\n       }\n     }\n   }')
  })

  it('marks a table that contains itself', async () => {
    expect(await run('local t = {} t.t = t return (Dump(t):gsub("0x%x+", "ADDR"))')).to.match(/^\{\n {4}t = "<Circular table: (ADDR|[0-9a-fx]+)>"\n\}$/)
  })

  it('lets a filter drop a key or keep a string raw', async () => {
    expect(
      await run('return Dump({a = 1, b = 2}, 4, 0, function(v, depth, t, use) if use == "key" and v == "b" then return nil end return v end) .. Dump({a = "x"}, 4, 0, function(v, depth, t, use) if use == "val" then return v, true end return v end)'),
    ).to.equal('{\n    a = 1\n}{\n    a = x\n}')
  })

  it('refuses an indent that is not an unsigned integer', async () => {
    expect(await run('return select(2, pcall(Dump, {}, 1.5))')).to.equal('indent must be unsigned integer')
  })

  it('refuses a padding that is not an unsigned integer', async () => {
    expect(await run('return select(2, pcall(Dump, {}, 4, "x"))')).to.equal('padding must be unsigned integer')
  })

  it('refuses a filter that is not a function', async () => {
    expect(await run('return select(2, pcall(Dump, {}, 4, 0, "f"))')).to.equal('filter must be function')
  })

  it('blames a bad argument on the line that called Dump', async () => {
    expect(await errorOf('\n\nDump({}, -1)')).to.match(/\]:3: indent must be unsigned integer$/)
  })
})
