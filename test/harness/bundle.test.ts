import { expect } from 'chai'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleLua, LuaFileNotFoundError } from '../../harness/bundle.js'
import { spawnTestProcess } from '../helpers/aosProcess.js'

const main = fileURLToPath(new URL('./fixtures/bundle/main.lua', import.meta.url))

describe('harness/bundle: aos .load bundles', () => {
  it('orders local modules depth-first, each once, and leaves built-in requires alone', () => {
    expect(bundleLua(main).modules.map((m) => m.name)).to.deep.equal(['lib.math2', 'greet'])
  })

  it('wraps each module in _loaded_mod_<name> and stores its result in package.loaded', () => {
    const { source } = bundleLua(main)
    expect(source).to.contain('-- module: "lib.math2"\nlocal function _loaded_mod_lib_math2()\n')
    expect(source).to.contain('\n_G.package.loaded["lib.math2"] = _loaded_mod_lib_math2()')
    expect(source.trimEnd().endsWith('return Result')).to.equal(true)
  })

  it('maps every line of the bundle that came from a file back to that file and line', () => {
    const { source, origins } = bundleLua(main)
    const lines = source.split('\n')
    expect(origins).to.have.length(lines.length)
    const math2 = join(dirname(main), 'lib/math2.lua')
    const at = lines.indexOf('function M.add(a, b) return a + b end')
    expect(origins[at]).to.deep.equal({ path: math2, line: 2 })
    expect(origins[lines.indexOf('local function _loaded_mod_lib_math2()')]).to.equal(undefined)
    expect(origins[lines.length - 2]).to.deep.equal({ path: main, line: readFileSync(main, 'utf8').split('\n').length - 1 })
  })

  it('runs as one Eval in a process, with the required modules resolved', async () => {
    const p = await spawnTestProcess()
    expect(await p.evalText(bundleLua(main).source)).to.equal('[5,"hi ao 2"]')
  })

  describe('error paths', () => {
    let dir: string
    /** Writes files (path → Lua) into a fresh project dir; returns the path of main.lua. */
    const project = (files: Record<string, string>) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true })
        writeFileSync(join(dir, path), content)
      }
      return join(dir, 'main.lua')
    }
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'aokit-bundle-'))
    })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    it('a missing main file throws LuaFileNotFoundError naming it', () => {
      const missing = join(dir, 'nowhere.lua')
      expect(() => bundleLua(missing)).to.throw(LuaFileNotFoundError, `Lua file not found: ${missing}`).with.property('path', missing)
    })

    it('a require with no local file is left to the process, as a built-in module', () => {
      const file = project({ 'main.lua': "local x = require('not.here')\nreturn x\n" })
      const bundle = bundleLua(file)
      expect(bundle.modules).to.deep.equal([])
      expect(bundle.source).to.equal("\n\nlocal x = require('not.here')\nreturn x\n")
    })

    it('a module required twice (by main and by another module) is bundled once, before its first user', () => {
      const file = project({
        'main.lua': "local a = require('lib.shared')\nlocal b = require('user')\nlocal c = require(\"lib.shared\")\nreturn a.n + b + c.n\n",
        'user.lua': "return require('lib.shared').n * 10\n",
        'lib/shared.lua': 'return { n = 1 }\n',
      })
      const bundle = bundleLua(file)
      expect(bundle.modules.map((m) => m.name)).to.deep.equal(['lib.shared', 'user'])
      expect(bundle.source.split('-- module: "lib.shared"')).to.have.length(2)
    })

    it('runs a module required twice once in the process: both users get the same table', async () => {
      const file = project({
        'main.lua': "local a = require('lib.counter')\nlocal b = require('user')\nreturn a.calls .. ' ' .. tostring(a == b)\n",
        'user.lua': "return require('lib.counter')\n",
        'lib/counter.lua': 'Calls = (Calls or 0) + 1\nreturn { calls = Calls }\n',
      })
      const p = await spawnTestProcess()
      expect(await p.evalText(bundleLua(file).source)).to.equal('1 true')
    })

    it('cyclic requires end: each file is bundled once, the one closing the cycle first', () => {
      const file = project({
        'main.lua': "local a = require('a')\nreturn a\n",
        'a.lua': "local b = require('b')\nreturn { b = b }\n",
        'b.lua': "local a = require('a')\nreturn { a = a }\n",
      })
      const bundle = bundleLua(file)
      expect(bundle.modules).to.deep.equal([
        { name: 'b', path: join(dir, 'b.lua') },
        { name: 'a', path: join(dir, 'a.lua') },
      ])
      // Line 1 of each file maps back to it, for errors and coverage.
      const firstLines = bundle.origins.filter((o) => o?.line === 1).map((o) => o!.path)
      expect(firstLines).to.deep.equal([join(dir, 'b.lua'), join(dir, 'a.lua'), file])
    })
  })
})
