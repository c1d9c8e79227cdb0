import { expect } from 'chai'
import { join } from 'node:path'
import { LoadedSources } from '../../../harness/testing/loadedSources.js'
import { describeLuaLocation, formatOrigin, locateLuaError } from '../../../harness/testing/luaLocation.js'

const red = '\u001b[31m'
const reset = '\u001b[0m'
// Lines 1-2 of the bundle are the bundler's, 3-5 come from lib/m.lua, 6.. from main.lua.
const origins = [undefined, undefined, { path: 'c/lib/m.lua', line: 1 }, { path: 'c/lib/m.lua', line: 2 }, { path: 'c/lib/m.lua', line: 3 }, { path: 'c/main.lua', line: 1 }, { path: 'c/main.lua', line: 2 }]

describe('locateLuaError', () => {
  it('maps the position of an Eval error to the contract file and line', () => {
    const text = `\n\n${red}error:\n${reset}[string ".handlers"]:148: [string "aos"]:7: boom`
    expect(locateLuaError(text, origins)).to.deep.equal({ location: 'c/main.lua:2', frames: [] })
  })

  it('maps a syntax error, whose text is the bare load message', () => {
    expect(locateLuaError(`[string "aos"]:4: unexpected symbol near '='`, origins).location).to.equal('c/lib/m.lua:2')
  })

  it("maps each contract frame of the runtime's stack and drops the runtime's own", () => {
    const text = `${red}Error${reset} handling message with Action = Split\n[string ".handlers"]:148: [string "aos"]:5: no parts\n\nstack traceback:\n\t[string ".process"]:295: in function '.process.handle'\n\n${red}error:\n${reset}[string ".handlers"]:148: [string "aos"]:5: no parts`
    const stack = `\nstack traceback:\n\t[C]: in function 'error'\n\t[string "aos"]:5: in field 'share'\n\t[string "aos"]:7: in function <[string "aos"]:6>\n\t[C]: in function 'xpcall'\n\t[string ".handlers"]:147: in function '.handlers.evaluate'`
    expect(locateLuaError(text, origins, stack)).to.deep.equal({
      location: 'c/lib/m.lua:3',
      frames: ["c/lib/m.lua:3: in field 'share'", 'c/main.lua:2: in function <c/main.lua:1>'],
    })
  })

  it('takes the innermost contract frame when the error was raised in a library', () => {
    const text = `[string ".handlers"]:148: [string "json"]:221: unexpected character`
    const stack = `\nstack traceback:\n\t[string "json"]:221: in function 'json.decode'\n\t[string "aos"]:6: in function <[string "aos"]:6>`
    expect(locateLuaError(text, origins, stack).location).to.equal('c/main.lua:1')
  })

  it("leaves positions that come from no file as aos wrote them (the bundler's lines, a Lua string)", () => {
    const located = locateLuaError(`[string "aos"]:1: boom`, origins, `\n\t[string "aos"]:1: in main chunk`)
    expect(located).to.deep.equal({ location: undefined, frames: ['[string "aos"]:1: in main chunk'] })
  })

  it('names a file outside the working directory by its absolute path', () => {
    expect(formatOrigin({ path: '/tmp/x/broken.lua', line: 3 })).to.equal('/tmp/x/broken.lua:3')
    expect(formatOrigin({ path: join(process.cwd(), 'contracts', 'token.lua'), line: 9 })).to.equal('contracts/token.lua:9')
  })

  it('describes a location and its stack as lines to print', () => {
    expect(describeLuaLocation({ location: 'c/main.lua:2', frames: ['c/main.lua:2: in local f'] })).to.equal('at c/main.lua:2\nLua stack:\n  c/main.lua:2: in local f')
  })
})

describe('LoadedSources', () => {
  const file = (path: string, lines: number) => Array.from({ length: lines }, (_, i) => ({ path, line: i + 1 }))

  it('maps a line through the latest load that kept functions (not only locals) and is that long', () => {
    const sources = new LoadedSources()
    sources.record('p', 'function a() end\n'.repeat(10), file('big.lua', 10))
    sources.record('p', 'function b() end\n'.repeat(3), file('small.lua', 3))
    sources.record('p', 'Balances = {}', file('state.lua', 1))
    sources.record('p', 'local function f() end\nf()', file('helper.lua', 2))
    const originOf = sources.originsFor('p') as (line: number) => unknown
    expect(originOf(2)).to.deep.equal({ path: 'small.lua', line: 2 })
    expect(originOf(8)).to.deep.equal({ path: 'big.lua', line: 8 })
    expect(originOf(11)).to.equal(undefined)
  })

  it("counts an Eval's own code as the latest load, and a string's lines map to no file", () => {
    const sources = new LoadedSources()
    sources.record('p', 'function a() end\n'.repeat(5), file('main.lua', 5))
    const originOf = sources.originsFor('p', [undefined, undefined]) as (line: number) => unknown
    expect(originOf(2)).to.equal(undefined)
    expect(originOf(4)).to.deep.equal({ path: 'main.lua', line: 4 })
  })

  it('gives a fork the code of its parent', () => {
    const sources = new LoadedSources()
    sources.record('p', 'function a() end', file('main.lua', 1))
    sources.copy('p', 'q')
    expect((sources.originsFor('q') as (line: number) => unknown)(1)).to.deep.equal({ path: 'main.lua', line: 1 })
  })
})
