// The sandbox is a security boundary: every attempt here must end exactly as asserted, and the process
// must stay usable (and unchanged) afterwards.
import { expect } from 'chai'
import { spawnTestProcess, type TestProcess } from '../../helpers/aosProcess.js'

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '')

describe('harness/lua/sandbox: escape attempts', () => {
  let p: TestProcess
  before(async () => {
    p = await spawnTestProcess({ computeLimit: 2_000_000_000, memoryLimit: 96 * 1024 * 1024 })
  })

  const absent: [string, string][] = [
    ['the io library', 'io'],
    ['os.execute', 'os.execute'],
    ['os.exit', 'os.exit'],
    ['os.remove', 'os.remove'],
    ['os.rename', 'os.rename'],
    ['os.tmpname', 'os.tmpname'],
    ['dofile', 'dofile'],
    ['loadfile', 'loadfile'],
    ['package.loadlib', 'package.loadlib'],
    ['package.searchers', 'package.searchers'],
    ['package.searchpath', 'package.searchpath'],
    ['debug.getregistry', 'debug.getregistry'],
    ['debug.sethook', 'debug.sethook'],
    ['debug.gethook', 'debug.gethook'],
    ['debug.getupvalue', 'debug.getupvalue'],
    ['debug.setupvalue', 'debug.setupvalue'],
    ['debug.upvaluejoin', 'debug.upvaluejoin'],
    ['debug.getlocal', 'debug.getlocal'],
    ['debug.setlocal', 'debug.setlocal'],
    ['debug.setmetatable', 'debug.setmetatable'],
    ['debug.getuservalue', 'debug.getuservalue'],
    ['the boot chunk table', '__aokit_chunks'],
    ['the boot table of aos line marks', '__aokit_aoslines'],
    ['a js global', 'js'],
    ['a window global', 'window'],
    ['a process global', 'process'],
    ['unpack (Lua 5.1)', 'unpack'],
    ['loadstring (Lua 5.1)', 'loadstring'],
  ]
  for (const [what, expr] of absent) {
    it(`has no ${what} (${expr} is nil)`, async () => {
      expect(await p.evalText(`return type(${expr})`)).to.equal('nil')
    })
  }

  it('lists no function in os beyond time, clock, date, difftime and getenv', async () => {
    expect(await p.evalText('local k = {} for name in pairs(os) do k[#k+1] = name end table.sort(k) return table.concat(k, ",")')).to.equal('clock,date,difftime,getenv,time')
  })

  it('has an os.getenv that finds nothing, as on AO (no host environment)', async () => {
    expect(await p.evalText('return tostring(os.getenv("PATH")) .. " " .. tostring(os.getenv("HOME"))')).to.equal('nil nil')
  })

  it('refuses require of a host module such as io', async () => {
    const res = await p.eval('return require("io")')
    expect(stripAnsi(res.Error ?? '')).to.match(/module 'io' not found: only built-in modules and modules in package.loaded can be required/)
  })

  it('keeps the host\'s own chunks out of require: the read walker, the pattern guard, the sandbox builder', async () => {
    for (const name of ['.plain', '.aoserrors', '.patterns', '.sandbox', '.compat53', '.coverage']) {
      const res = await p.eval(`return require(${JSON.stringify(name)})`)
      expect(stripAnsi(res.Error ?? ''), name).to.include(`module '${name}' not found`)
    }
  })

  it('refuses require of a filesystem path', async () => {
    const res = await p.eval('return require("/etc/passwd")')
    expect(stripAnsi(res.Error ?? '')).to.match(/module '\/etc\/passwd' not found/)
  })

  it('resolves a module the process put in package.loaded itself', async () => {
    expect(await p.evalText('package.loaded["mine"] = { v = 7 } return require("mine").v')).to.equal('7')
  })

  it('refuses a binary chunk made with string.dump, saying why', async () => {
    expect(await p.evalText('local ok, e = pcall(load, string.dump(function() return 1 end)) return tostring(ok) .. " | " .. e')).to.match(/^false \| .*binary chunks are not allowed: aokit refuses precompiled bytecode/)
  })

  it('refuses a binary chunk even when mode "b" is asked for', async () => {
    expect(await p.evalText('local ok = pcall(load, string.dump(function() return 1 end), "x", "b") return tostring(ok)')).to.equal('false')
  })

  it('hides the function objects of the stack from debug.getinfo', async () => {
    expect(await p.evalText('return type(debug.getinfo(1, "f").func)')).to.equal('nil')
  })

  it('ends an infinite loop with an Error naming the compute limit', async () => {
    const res = await p.eval('while true do end')
    expect(res.Error).to.equal('Compute limit exceeded: the message used more than computeLimit = 2000000000 gas (WebAssembly instructions).')
  })

  it('ends a loop that swallows every error with pcall', async () => {
    const res = await p.eval('while true do pcall(function() while true do end end) end')
    expect(res.Error).to.match(/^Compute limit exceeded/)
  })

  it('ends an infinite loop inside a coroutine', async () => {
    const res = await p.eval('coroutine.wrap(function() while true do end end)()')
    expect(res.Error).to.match(/^Compute limit exceeded/)
  })

  it('never runs a __gc finaliser, so a looping one cannot hang the runner (hooks are off in finalisers)', async () => {
    const code = 'Finalised = false setmetatable({}, { __gc = function() Finalised = true while true do end end }) collectgarbage() collectgarbage() return tostring(Finalised)'
    expect(await p.evalText(code)).to.equal('false')
  })

  it('ignores a __gc field added to the metatable after setmetatable', async () => {
    const code = 'local mt = {} setmetatable({}, mt) mt.__gc = function() while true do end end collectgarbage() collectgarbage() return "done"'
    expect(await p.evalText(code)).to.equal('done')
  })

  it('rolls back what a message did before it hit the compute limit', async () => {
    await p.eval('Survivor = "kept"')
    await p.eval('Survivor = "changed" while true do end')
    expect(await p.evalText('return Survivor')).to.equal('kept')
  })

  it('ends a memory bomb with an Error naming the memory limit, state rolled back', async () => {
    await p.eval('Bomb = "before"')
    const res = await p.eval('Bomb = "after" local t = {} for i = 1, 1e9 do t[i] = string.rep("z", 4096) .. i end')
    expect(res.Error).to.equal(`Memory limit exceeded: the process needs more than ${96 * 1024 * 1024} bytes.`)
    expect(await p.evalText('return Bomb')).to.equal('before')
  })

  it('still reports the memory limit when the bomb is wrapped in pcall', async () => {
    const res = await p.eval('pcall(function() local t = {} for i = 1, 1e9 do t[i] = string.rep("q", 4096) .. i end end) return "survived"')
    expect(res.Error).to.match(/^Memory limit exceeded/)
  })

  it('fails a huge string.rep without crashing', async () => {
    const res = await p.eval('return #string.rep("x", 1 << 40)')
    expect(stripAnsi(res.Error ?? '')).to.match(/resulting string too large|not enough memory|Memory limit exceeded/)
  })

  it('turns unbounded recursion into a Lua stack overflow error', async () => {
    const roomy = await spawnTestProcess({ label: 'roomy', computeLimit: 2_000_000_000 })
    const res = await roomy.eval('local function f() return f() + 1 end return f()')
    expect(stripAnsi(res.Error ?? '')).to.match(/stack overflow/)
  })

  it('turns deep C recursion through metamethods into a C stack overflow error', async () => {
    const res = await p.eval('local t = setmetatable({}, { __index = function(t, k) return t[k + 1] end }) return t[1]')
    expect(stripAnsi(res.Error ?? '')).to.match(/C stack overflow/)
  })

  it('stops an exponential pattern match at the compute limit instead of hanging', async () => {
    const res = await p.eval('return string.find(string.rep("a", 3000), ".-.-.-b")')
    expect(res.Error).to.match(/^Compute limit exceeded/)
  })

  it('stops a loop of pattern calls that are each just cheap enough for C', async () => {
    const res = await p.eval('local s = string.rep("a", 4000) for i = 1, 1e7 do s:find(".-b") end')
    expect(res.Error).to.match(/^Compute limit exceeded/)
  })

  it('stays usable after every attack above', async () => {
    expect(await p.evalText('return 40 + 2')).to.equal('42')
  })
})
