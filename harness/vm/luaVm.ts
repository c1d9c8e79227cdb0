// A Lua state in its own wasm instance, driven through the raw C API.
// Contract code never sees a JavaScript value: the only things crossing the boundary are byte strings
// passed to the runtime's entry function and the host functions the runtime keeps as upvalues.
import { ComputeLimitError, MemoryLimitError, VmCrashError } from './errors.js'
import { createWasmInstance, type LuaExports, type WasmInstance } from './wasmInstance.js'

const LUA_REGISTRYINDEX = -1001000
const LUA_MASKCOUNT = 8
/** Instructions between two compute-limit checks: small enough to stop promptly, large enough to cost nothing. */
const HOOK_STEP = 10_000
const PAGE = 65536

/** A JSON-like value the host can hand to Lua: built as Lua tables directly, with no parsing inside Lua. */
export type LuaInput = string | number | boolean | null | LuaInput[] | { [key: string]: LuaInput | undefined }

/** A host function callable from Lua: takes the string arguments, returns a string (or nothing). */
export type HostFunction = (...args: string[]) => string | undefined

/** The whole state of a VM at a quiet point: its linear memory up to the highest non-zero page. */
export type Checkpoint = { bytes: Uint8Array }

export type LuaVmOptions = {
  /** Bytes the instance's linear memory may grow to (default 1 GiB). */
  memoryLimit?: number
  /** Lua instructions one call may run (default 100 million). */
  computeLimit?: number
}

/** What booting a VM produced and every clone reuses: the memory image and where the entry function lives. */
export type VmImage = { checkpoint: Checkpoint; L: number; scratch: number; entryRef: number }

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class LuaVm {
  private exports: LuaExports
  private instructions = 0
  private aborted: Error | undefined
  private baseSp: number
  computeLimit: number

  private constructor(
    private instance: Instance,
    private readonly L: number,
    private readonly scratch: number,
    private readonly entryRef: number,
    computeLimit: number,
  ) {
    this.exports = instance.exports
    this.baseSp = this.exports.stackSave()
    this.computeLimit = computeLimit
  }

  /**
   * Boots a VM: a fresh Lua state with the standard libraries, then `bootChunks` run in order; the last one must
   * return the entry function `entry(op, payload) -> string`. Earlier chunks get the host functions as arguments.
   */
  static async boot(bootChunks: { name: string; source: string }[], host: HostFunction[], options: LuaVmOptions = {}): Promise<LuaVm> {
    const instance = await createInstance(host, options)
    const ex = instance.exports
    const L = ex.luaL_newstate()
    ex.luaL_openlibs(L)
    const scratch = ex.malloc(8)
    const vm = new LuaVm(instance, L, scratch, 0, options.computeLimit ?? 100_000_000)
    ex.lua_sethook(L, instance.hookPointer, LUA_MASKCOUNT, HOOK_STEP)
    let entryRef = 0
    for (const chunk of bootChunks) {
      const name = vm.allocString(chunk.name)
      const sourcePtr = vm.allocString(chunk.source)
      ex.lua_settop(L, 0)
      const status = ex.luaL_loadbufferx(L, sourcePtr, encoder.encode(chunk.source).length, name, 0)
      ex.free(name)
      ex.free(sourcePtr)
      if (status !== 0) throw new Error(`boot chunk ${chunk.name}: ${vm.readString(-1)}`)
      for (const fnPtr of instance.hostPointers) ex.lua_pushcclosure(L, fnPtr, 0)
      if (ex.lua_pcallk(L, instance.hostPointers.length, 1, 0, 0, 0) !== 0) throw new Error(`boot chunk ${chunk.name}: ${vm.readString(-1)}`)
      if (ex.lua_type(L, -1) === 6) entryRef = ex.luaL_ref(L, LUA_REGISTRYINDEX)
      ex.lua_settop(L, 0)
    }
    if (!entryRef) throw new Error('the last boot chunk must return the entry function')
    return new LuaVm(instance, L, scratch, entryRef, vm.computeLimit)
  }

  /** The image of this VM, for cloning: a new VM from it starts in exactly this state. */
  image(): VmImage {
    return { checkpoint: this.checkpoint(), L: this.L, scratch: this.scratch, entryRef: this.entryRef }
  }

  /** A new VM in its own wasm instance, starting from `image`. */
  static async fromImage(image: VmImage, host: HostFunction[], options: LuaVmOptions = {}): Promise<LuaVm> {
    const instance = await createInstance(host, options)
    const vm = new LuaVm(instance, image.L, image.scratch, image.entryRef, options.computeLimit ?? 100_000_000)
    vm.restore(image.checkpoint, { fresh: true })
    return vm
  }

  get memoryLimit(): number {
    return this.instance.controls.memoryLimit
  }
  set memoryLimit(bytes: number) {
    this.instance.controls.memoryLimit = bytes
  }
  /** Bytes of linear memory the instance holds now. */
  get memorySize(): number {
    return this.exports.memory.buffer.byteLength
  }
  /** What C time() returns during the next call (ms). */
  set clock(ms: number) {
    this.instance.controls.nowMs = ms
  }

  /**
   * Calls the runtime's entry function with (op, ...args) and returns its string result. Arguments become Lua
   * values directly (tables for arrays and objects). A compute or memory limit breach throws ComputeLimitError /
   * MemoryLimitError, a trap throws VmCrashError: after any of those the VM's memory is undefined until the
   * caller restores a checkpoint.
   */
  call(op: string, ...args: LuaInput[]): string {
    const ex = this.exports
    const L = this.L
    this.instructions = 0
    this.aborted = undefined
    this.instance.controls.memoryExceeded = false
    this.instance.onHook = this.onHook
    try {
      ex.lua_settop(L, 0)
      ex.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.entryRef))
      this.pushString(op)
      for (const arg of args) this.pushValue(arg)
      const status = ex.lua_pcallk(L, 1 + args.length, 1, 0, 0, 0)
      const text = this.readString(-1)
      ex.lua_settop(L, 0)
      if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
      if (status !== 0) throw new VmCrashError(new Error(text ?? `Lua status ${status}`))
      return text ?? ''
    } catch (error) {
      ex.stackRestore(this.baseSp)
      if (error instanceof MemoryLimitError || error instanceof VmCrashError) throw error
      if (this.aborted) throw this.aborted
      if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
      throw new VmCrashError(error)
    }
  }

  /** Copies linear memory up to its highest non-zero page (the tail above the heap top is all zeros). */
  checkpoint(): Checkpoint {
    const memory = new Uint8Array(this.exports.memory.buffer)
    return { bytes: memory.slice(0, usedLength(memory)) }
  }

  /** Puts memory back exactly as it was at `checkpoint`, zeroing anything above it (a fresh instance is all zero). */
  restore(checkpoint: Checkpoint, { fresh = false } = {}): void {
    const mem = this.exports.memory
    const missing = checkpoint.bytes.length - mem.buffer.byteLength
    if (missing > 0) mem.grow(Math.ceil(missing / PAGE))
    const memory = new Uint8Array(mem.buffer)
    // Zero only up to the last non-zero page: filling the never-touched tail would make the OS commit it.
    const dirtyEnd = fresh ? 0 : usedLength(memory)
    memory.set(checkpoint.bytes)
    if (dirtyEnd > checkpoint.bytes.length) memory.fill(0, checkpoint.bytes.length, dirtyEnd)
    this.exports.stackRestore(this.baseSp)
  }

  /** Replaces a crashed instance by a fresh one holding `checkpoint` (a trap can leave the old one unusable). */
  async rebuild(checkpoint: Checkpoint, host: HostFunction[]): Promise<void> {
    this.instance = await createInstance(host, { memoryLimit: this.memoryLimit })
    this.exports = this.instance.exports
    this.baseSp = this.exports.stackSave()
    this.restore(checkpoint)
  }

  private onHook = () => {
    this.instructions += HOOK_STEP
    // A JS exception unwinds every Lua frame at once: no pcall in contract code can catch it.
    if (this.instructions > this.computeLimit) {
      this.aborted = new ComputeLimitError(this.computeLimit)
      throw this.aborted
    }
  }

  private allocString(text: string): number {
    const bytes = encoder.encode(text)
    const ptr = this.exports.malloc(bytes.length + 1)
    const memory = new Uint8Array(this.exports.memory.buffer)
    memory.set(bytes, ptr)
    memory[ptr + bytes.length] = 0
    return ptr
  }

  private pushString(text: string): void {
    pushBytes(this.exports, this.L, encoder.encode(text))
  }

  /** Integers stay Lua integers and other numbers floats, as the runtime's JSON decoder would make them. */
  private pushValue(value: LuaInput | undefined): void {
    const ex = this.exports
    const L = this.L
    if (value === null || value === undefined) ex.lua_pushnil(L)
    else if (typeof value === 'string') this.pushString(value)
    else if (typeof value === 'boolean') ex.lua_pushboolean(L, value ? 1 : 0)
    else if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) ex.lua_pushinteger(L, BigInt(value))
      else ex.lua_pushnumber(L, value)
    } else if (Array.isArray(value)) {
      ex.lua_createtable(L, value.length, 0)
      value.forEach((item, i) => {
        this.pushValue(item)
        ex.lua_rawseti(L, -2, BigInt(i + 1))
      })
    } else {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined)
      ex.lua_createtable(L, 0, entries.length)
      for (const [key, item] of entries) {
        this.pushString(key)
        this.pushValue(item)
        ex.lua_rawset(L, -3)
      }
    }
  }

  private readString(index: number): string | undefined {
    return readLuaString(this.exports, this.L, index, this.scratch)
  }
}

type Instance = WasmInstance & { hookPointer: number; hostPointers: number[]; onHook: () => void }

/** A wasm instance with the hook and host functions registered in a fixed order, so their table slots match every image. */
async function createInstance(host: HostFunction[], options: LuaVmOptions): Promise<Instance> {
  const base = await createWasmInstance(options.memoryLimit ?? 1024 ** 3)
  const instance = base as Instance
  instance.onHook = () => undefined
  instance.hookPointer = base.addFunction(() => instance.onHook(), 'vii')
  instance.hostPointers = host.map((fn) => base.addFunction((L: number) => callHost(instance, L, fn), 'ii'))
  return instance
}

/** Runs a host function for Lua: string arguments in, one string (or nothing) out; a JS failure becomes a Lua error. */
function callHost(instance: Instance, L: number, fn: HostFunction): number {
  const ex = instance.exports
  const scratch = ex.malloc(4)
  const args: string[] = []
  for (let i = 1; i <= ex.lua_gettop(L); i++) args.push(readLuaString(ex, L, i, scratch) ?? '')
  ex.free(scratch)
  let result: string | undefined
  try {
    result = fn(...args)
  } catch (error) {
    pushBytes(ex, L, encoder.encode(error instanceof Error ? error.message : String(error)))
    return ex.lua_error(L)
  }
  if (result === undefined) return 0
  pushBytes(ex, L, encoder.encode(result))
  return 1
}

function pushBytes(ex: LuaExports, L: number, bytes: Uint8Array): void {
  const ptr = ex.malloc(bytes.length || 1)
  new Uint8Array(ex.memory.buffer).set(bytes, ptr)
  ex.lua_pushlstring(L, ptr, bytes.length)
  ex.free(ptr)
}

function readLuaString(ex: LuaExports, L: number, index: number, lenPtr: number): string | undefined {
  const ptr = ex.lua_tolstring(L, index, lenPtr)
  if (!ptr) return undefined
  const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0]
  return decoder.decode(new Uint8Array(ex.memory.buffer, ptr, len))
}

const ZERO_PAGE = Buffer.alloc(PAGE)
const ZERO_BLOCK = Buffer.alloc(16 * PAGE)

/** Length of memory up to the end of its last page holding a non-zero byte (compared natively, block then page). */
function usedLength(memory: Uint8Array): number {
  const buffer = Buffer.from(memory.buffer, memory.byteOffset, memory.length)
  let end = memory.length
  while (end >= ZERO_BLOCK.length && buffer.subarray(end - ZERO_BLOCK.length, end).equals(ZERO_BLOCK)) end -= ZERO_BLOCK.length
  while (end >= PAGE && buffer.subarray(end - PAGE, end).equals(ZERO_PAGE)) end -= PAGE
  return end
}
