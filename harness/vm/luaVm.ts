// A Lua state in its own wasm instance, driven through the raw C API.
// Contract code never sees a JavaScript value: the only things crossing the boundary are byte strings
// passed to the runtime's entry function and the host functions the runtime keeps as upvalues.
// Values cross the Lua stack through luaValues.ts; memory is saved and put back through memoryCheckpoint.ts.
import { ComputeLimitError, MemoryLimitError, OutputLimitError, VmCrashError } from './errors.js'
import { allocString, NOT_PLAIN, pushBytes, pushString, pushValue, readLuaBytes, readLuaString, readValue, StringSlot, type LuaInput } from './luaValues.js'
import { findBreakOnce, restoreCheckpoint, takeCheckpoint, type Checkpoint, type DeadStack } from './memoryCheckpoint.js'
import { UNLIMITED_GAS } from './metering/meter.js'
import { createWasmInstance, type LuaExports, type WasmInstance } from './wasmInstance.js'

export type { LuaInput } from './luaValues.js'
export { checkpointBytes, checkpointFromBytes, type Checkpoint } from './memoryCheckpoint.js'

const LUA_REGISTRYINDEX = -1001000

/** A host function callable from Lua: takes the string arguments, returns a string (or nothing). */
export type HostFunction = ((...args: string[]) => string | undefined) | BytesHostFunction
/** A host function that takes and returns Lua strings as raw bytes (binary-safe: no UTF-8 decoding). */
export type BytesHostFunction = { bytes: (...args: Uint8Array[]) => Uint8Array | undefined }

export type LuaVmOptions = {
  /** Bytes the instance's linear memory may grow to (default 1 GiB). */
  memoryLimit?: number
  /** Gas one call may use: WebAssembly instructions run, C library included (default DEFAULT_COMPUTE_LIMIT). */
  computeLimit?: number
  /** Bytes of result one call may hand back (strings, keys, 8 per other value; default 100 MB). */
  maxOutput?: number
  /** Run the gas-metered module (default true; false only to measure what metering costs: no compute limit then). */
  metered?: boolean
}

/** Default gas per call: 2 billion (a second or two), over 100 times what the heaviest contract in the suite uses. */
export const DEFAULT_COMPUTE_LIMIT = 2_000_000_000
/** Default bound on one call's result. */
export const DEFAULT_MAX_OUTPUT = 100_000_000

/** What booting a VM produced and every clone reuses: the memory image and where the entry function lives. */
export type VmImage = { checkpoint: Checkpoint; L: number; scratch: number; entryRef: number }

const encoder = new TextEncoder()

export class LuaVm {
  private exports: LuaExports
  /** The checkpoint memory was last restored from or taken at: the next checkpoint shares its unchanged chunks. */
  private basis: Checkpoint | undefined
  private baseSp: number
  /** Below the stack pointer of a quiet point: zeroed there, see DeadStack. */
  private deadStack: DeadStack
  computeLimit: number
  maxOutput: number
  /** Gas the last call used (the whole limit when it ran out). */
  gasUsed = 0

  private constructor(
    private instance: Instance,
    private readonly L: number,
    private readonly scratch: number,
    private readonly entryRef: number,
    options: LuaVmOptions,
  ) {
    this.exports = instance.exports
    this.baseSp = this.exports.stackSave()
    this.deadStack = { low: this.exports.emscripten_stack_get_end(), high: this.baseSp }
    this.computeLimit = options.computeLimit ?? DEFAULT_COMPUTE_LIMIT
    this.maxOutput = options.maxOutput ?? DEFAULT_MAX_OUTPUT
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
    const vm = new LuaVm(instance, L, scratch, 0, options)
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
    return new LuaVm(instance, L, scratch, entryRef, options)
  }

  /** The image of this VM, for cloning: a new VM from it starts in exactly this state. */
  image(): VmImage {
    return { checkpoint: this.checkpoint(), L: this.L, scratch: this.scratch, entryRef: this.entryRef }
  }

  /** A new VM in its own wasm instance, starting from `image`. */
  static async fromImage(image: VmImage, host: HostFunction[], options: LuaVmOptions = {}): Promise<LuaVm> {
    const instance = await createInstance(host, options)
    const vm = new LuaVm(instance, image.L, image.scratch, image.entryRef, options)
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
  /** Whether this VM runs the gas-metered module. */
  get metered(): boolean {
    return this.instance.metered
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
    return this.invoke(op, args, () => this.readString(-1) ?? '')
  }

  /**
   * Like `call`, for an entry that returns a plain Lua value: the value is read straight off the Lua stack into
   * JS (what JSON.parse of aos's json.encode would give), with no JSON text in between. A value the fast reader
   * does not take as certain (metatables, sparse or mixed tables, cycles, non-finite numbers, decimal ties) is
   * handed back to the entry as `encode(value)`, so its JSON, or its error, is exactly the runtime's.
   */
  callValue(op: string, ...args: LuaInput[]): unknown {
    return this.invoke(op, args, () => {
      const ex = this.exports
      const L = this.L
      const budget = { left: this.maxOutput, limit: this.maxOutput }
      const value = readValue(ex, L, 1, this.scratch, new Set(), 0, budget)
      if (value !== NOT_PLAIN) return value
      ex.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.entryRef))
      this.pushString('encode')
      ex.lua_pushvalue(L, 1)
      const status = ex.lua_pcallk(L, 2, 1, 0, 0, 0)
      if (status !== 0) {
        if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
        throw new VmCrashError(new Error(this.readString(-1) ?? `Lua status ${status}`))
      }
      return JSON.parse(readLuaString(ex, L, -1, this.scratch, { left: this.maxOutput, limit: this.maxOutput }) ?? 'null')
    })
  }

  /**
   * Calls the entry with (op, ...args) and reads its one result with `read` while it is on the stack. A compute,
   * memory or output limit breach throws ComputeLimitError / MemoryLimitError / OutputLimitError, a trap or Lua
   * failure VmCrashError. The call runs on a gas budget of computeLimit; `gasUsed` tells what it took.
   */
  private invoke<T>(op: string, args: LuaInput[], read: () => T): T {
    const ex = this.exports
    const L = this.L
    const instance = this.instance
    this.instance.controls.memoryExceeded = false
    // Out of gas traps wherever it happens, maybe inside the allocator or with the C stack pointer moved:
    // memory goes back through the caller's checkpoint, the wasm globals through these.
    const globals = instance.saveGlobals()
    const budget = BigInt(this.computeLimit)
    instance.gas = budget
    let charged = false
    try {
      ex.lua_settop(L, 0)
      ex.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.entryRef))
      const slot = new StringSlot(ex)
      slot.with(() => {
        slot.push(L, op)
        for (const arg of args) pushValue(ex, L, arg, slot)
      })
      const status = ex.lua_pcallk(L, 1 + args.length, 1, 0, 0, 0)
      if (status !== 0) {
        const text = this.readString(-1)
        ex.lua_settop(L, 0)
        if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
        throw new VmCrashError(new Error(text ?? `Lua status ${status}`))
      }
      const value = read()
      ex.lua_settop(L, 0)
      if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
      return value
    } catch (error) {
      const outOfGas = instance.gas < 0n
      // Every export is metered too: refill before calling any, or the cleanup itself would trap.
      this.gasUsed = outOfGas ? this.computeLimit : Number(budget - instance.gas)
      instance.gas = UNLIMITED_GAS
      charged = true
      instance.restoreGlobals(globals)
      ex.stackRestore(this.baseSp)
      if (outOfGas) throw new ComputeLimitError(this.computeLimit)
      if (error instanceof MemoryLimitError || error instanceof VmCrashError || error instanceof OutputLimitError) throw error
      if (this.instance.controls.memoryExceeded) throw new MemoryLimitError(this.memoryLimit)
      throw new VmCrashError(error)
    } finally {
      if (!charged) {
        this.gasUsed = Number(budget - instance.gas)
        instance.gas = UNLIMITED_GAS
      }
    }
  }

  /**
   * Linear memory up to its highest non-zero page (the tail above the heap top is all zeros), sharing the chunks
   * that equal those of the checkpoint this memory was last restored from or taken at.
   */
  checkpoint(): Checkpoint {
    this.clearDeadStack()
    this.basis = takeCheckpoint(this.exports.memory.buffer, this.basis, this.deadStack)
    return this.basis
  }

  /** Puts memory back exactly as it was at `checkpoint`, zeroing anything above it (a fresh instance is all zero). */
  restore(checkpoint: Checkpoint, { fresh = false } = {}): void {
    this.exports.stackRestore(this.baseSp)
    this.clearDeadStack()
    restoreCheckpoint({ memory: this.exports.memory, growTo: (bytes) => this.instance.growTo(bytes), dead: this.deadStack }, checkpoint, fresh)
    this.basis = checkpoint
  }

  /** Zeroes the frames calls left below the stack pointer since the last time, down to the lowest it went. */
  private clearDeadStack(): void {
    const lowest = this.instance.stackLow >>> 0
    if (lowest < this.deadStack.high) new Uint8Array(this.exports.memory.buffer).fill(0, Math.max(lowest, this.deadStack.low), this.deadStack.high)
    this.instance.stackLow = -1
  }

  /** Replaces a crashed instance by a fresh one holding `checkpoint` (a trap can leave the old one unusable). */
  async rebuild(checkpoint: Checkpoint, host: HostFunction[]): Promise<void> {
    this.instance = await createInstance(host, { memoryLimit: this.memoryLimit, metered: this.instance.metered })
    this.exports = this.instance.exports
    this.baseSp = this.exports.stackSave()
    this.deadStack = { low: this.exports.emscripten_stack_get_end(), high: this.baseSp }
    this.restore(checkpoint)
  }

  private allocString(text: string): number {
    return allocString(this.exports, text)
  }

  private pushString(text: string): void {
    pushString(this.exports, this.L, text)
  }

  private readString(index: number): string | undefined {
    return readLuaString(this.exports, this.L, index, this.scratch)
  }
}

type Instance = WasmInstance & { hostPointers: number[] }

/** A wasm instance with the hook and host functions registered in a fixed order, so their table slots match every image. */
async function createInstance(host: HostFunction[], options: LuaVmOptions): Promise<Instance> {
  await findBreakOnce(options.metered ?? true)
  const base = await createWasmInstance(options.memoryLimit ?? 1024 ** 3, options.metered ?? true)
  const instance = base as Instance
  // Once the Lua count hook; gas replaced it, but the slot stays taken so host function slots match older images.
  base.addFunction(() => undefined, 'vii')
  instance.hostPointers = host.map((fn) => base.addFunction((L: number) => callHost(instance, L, fn), 'ii'))
  return instance
}

/** Runs a host function for Lua: string arguments in, one string (or nothing) out; a JS failure becomes a Lua error. */
function callHost(instance: Instance, L: number, fn: HostFunction): number {
  const ex = instance.exports
  const scratch = ex.malloc(4)
  const raw = typeof fn === 'object'
  const args: string[] = []
  const byteArgs: Uint8Array[] = []
  for (let i = 1; i <= ex.lua_gettop(L); i++) {
    if (raw) byteArgs.push(readLuaBytes(ex, L, i, scratch))
    else args.push(readLuaString(ex, L, i, scratch) ?? '')
  }
  ex.free(scratch)
  let result: string | Uint8Array | undefined
  try {
    result = raw ? fn.bytes(...byteArgs) : fn(...args)
  } catch (error) {
    pushBytes(ex, L, encoder.encode(error instanceof Error ? error.message : String(error)))
    return ex.lua_error(L)
  }
  if (result === undefined) return 0
  pushBytes(ex, L, typeof result === 'string' ? encoder.encode(result) : result)
  return 1
}

