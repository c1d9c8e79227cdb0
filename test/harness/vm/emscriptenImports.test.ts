// The host side of the Lua module: what C code inside the sandbox can reach of the machine (nothing), and the
// time functions, on a bare VM with Lua's standard libraries (the aos runtime removes io and most of os on top).
import { expect } from 'chai'
import { LuaVm } from '../../../harness/vm/luaVm.js'

const entry = { name: 'entry', source: 'return function(op, payload) return tostring(assert(load(payload))()) end' }

describe('harness/vm: the Lua module\'s host imports', () => {
  it('drops C-level output instead of writing to the host\'s stdout or stderr', async () => {
    const vm = await LuaVm.boot([entry], [])
    const written: string[] = []
    const stdout = process.stdout.write
    const stderr = process.stderr.write
    process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write
    try {
      expect(vm.call('run', 'print("leak") io.write("leak") io.stderr:write("leak") io.stdout:flush() return "done"')).to.equal('done')
    } finally {
      process.stdout.write = stdout
      process.stderr.write = stderr
    }
    expect(written).to.deep.equal([])
  })

  it('gives Lua no files, no environment and no shell', async () => {
    const vm = await LuaVm.boot([entry], [])
    expect(vm.call('run', 'local f, err = io.open("/etc/hostname") return tostring(f) .. " " .. err')).to.equal('nil /etc/hostname: Function not implemented')
    expect(vm.call('run', 'return tostring(os.getenv("HOME")) .. " " .. tostring(os.getenv("PATH"))')).to.equal('nil nil')
    expect(vm.call('run', 'return select(2, os.remove("/tmp/x"))')).to.equal('/tmp/x: Function not implemented')
    expect(vm.call('run', 'return tostring(os.execute())')).to.equal('false')
    expect(vm.call('run', 'return table.concat({ tostring(os.execute("ls")) }, " ")')).to.equal('nil')
  })

  it('keeps time in UTC at the clock the host sets, whatever the machine\'s zone', async () => {
    const vm = await LuaVm.boot([entry], [])
    vm.clock = Date.UTC(2024, 1, 29, 23, 59, 58)
    expect(vm.call('run', 'return os.time()')).to.equal(String(Date.UTC(2024, 1, 29, 23, 59, 58) / 1000))
    expect(vm.call('run', 'return os.date("%Y-%m-%d %H:%M:%S %Z %z")')).to.equal('2024-02-29 23:59:58 UTC +0000')
    expect(vm.call('run', 'return os.date("!%c")')).to.equal('Thu Feb 29 23:59:58 2024')
    expect(vm.call('run', 'local t = os.date("*t", 0) return t.year .. "/" .. t.month .. "/" .. t.day .. " " .. tostring(t.isdst)')).to.equal('1970/1/1 false')
    // mktime normalises: month 13 of 2023 is January 2024.
    expect(vm.call('run', 'return os.time({ year = 2023, month = 13, day = 1, hour = 0 })')).to.equal(String(Date.UTC(2024, 0, 1) / 1000))
  })

  it('unwinds errors through setjmp/longjmp: pcall catches them and the VM goes on', async () => {
    const vm = await LuaVm.boot([entry], [])
    expect(vm.call('run', 'local ok, e = pcall(error, "boom", 0) return tostring(ok) .. " " .. e')).to.equal('false boom')
    expect(vm.call('run', 'local n = 0 for i = 1, 100 do if not pcall(function() error({}) end) then n = n + 1 end end return n')).to.equal('100')
  })
})
