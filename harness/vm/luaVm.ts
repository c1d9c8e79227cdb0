// A Lua state in its own wasm instance, driven through the raw C API.
// Contract code never sees a JavaScript value: the only things crossing the boundary are byte strings
// passed to the runtime's entry function and the host functions the runtime keeps as upvalues.
import { ComputeLimitError, MemoryLimitError, OutputLimitError, VmCrashError } from './errors.js'
import { UNLIMITED_GAS } from './metering/meter.js'
import { createWasmInstance, type LuaExports, type WasmInstance } from './wasmInstance.js'

const LUA_REGISTRYINDEX = -1001000
const PAGE = 65536
/** Checkpoint granularity: small enough that a message's scattered heap writes copy little. */
const CHUNK = 4096

/** A JSON-like value the host can hand to Lua: built as Lua tables directly, with no parsing inside Lua. */
export type LuaInput = string | number | boolean | null | LuaInput[] | { [key: string]: LuaInput | undefined }

/** A host function callable from Lua: takes the string arguments, returns a string (or nothing). */
export type HostFunction = ((...args: string[]) => string | undefined) | BytesHostFunction
/** A host function that takes and returns Lua strings as raw bytes (binary-safe: no UTF-8 decoding). */
export type BytesHostFunction = { bytes: (...args: Uint8Array[]) => Uint8Array | undefined }

/** The whole state of a VM at a quiet point: its linear memory up to the highest non-zero page. */
/**
 * Linear memory at one instant, as fixed-size chunks that are never mutated. A checkpoint reuses every chunk that
 * equals the one in the checkpoint its memory came from, so processes share the boot image's chunks and a
 * message's checkpoint copies only what it changed.
 */
export type Checkpoint = { readonly chunks: readonly Uint8Array[]; readonly length: number }

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
const decoder = new TextDecoder()

export class LuaVm {
  private exports: LuaExports
  /** The checkpoint memory was last restored from or taken at: the next checkpoint shares its unchanged chunks. */
  private basis: Checkpoint | undefined
  private baseSp: number
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
      this.pushString(op)
      for (const arg of args) this.pushValue(arg)
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
    const memory = new Uint8Array(this.exports.memory.buffer)
    const length = usedLength(memory, heapEnd(memory))
    const live = Buffer.from(memory.buffer, 0, length)
    const basis = this.basis?.chunks ?? []
    const chunks: Uint8Array[] = []
    for (let start = 0, i = 0; start < length; start += CHUNK, i++) {
      const end = Math.min(start + CHUNK, length)
      const previous = basis[i]
      // compare() with offsets: no view object per chunk.
      const same = previous !== undefined && previous.length === end - start && live.compare(previous, 0, previous.length, start, end) === 0
      chunks.push(same ? previous : memory.slice(start, end))
    }
    this.basis = { chunks, length }
    return this.basis
  }

  /** Puts memory back exactly as it was at `checkpoint`, zeroing anything above it (a fresh instance is all zero). */
  restore(checkpoint: Checkpoint, { fresh = false } = {}): void {
    const mem = this.exports.memory
    const missing = checkpoint.length - mem.buffer.byteLength
    if (missing > 0) mem.grow(Math.ceil(missing / PAGE))
    const memory = new Uint8Array(mem.buffer)
    // Zero only up to the last non-zero page: filling the never-touched tail would make the OS commit it.
    const dirtyEnd = fresh ? 0 : usedLength(memory, heapEnd(memory))
    checkpoint.chunks.forEach((chunk, i) => memory.set(chunk, i * CHUNK))
    if (dirtyEnd > checkpoint.length) memory.fill(0, checkpoint.length, dirtyEnd)
    this.basis = checkpoint
    this.exports.stackRestore(this.baseSp)
  }

  /** Replaces a crashed instance by a fresh one holding `checkpoint` (a trap can leave the old one unusable). */
  async rebuild(checkpoint: Checkpoint, host: HostFunction[]): Promise<void> {
    this.instance = await createInstance(host, { memoryLimit: this.memoryLimit, metered: this.instance.metered })
    this.exports = this.instance.exports
    this.baseSp = this.exports.stackSave()
    this.restore(checkpoint)
  }

  private allocString(text: string): number {
    const bytes = encoder.encode(text)
    const ptr = this.exports.malloc(bytes.length + 1)
    const memory = new Uint8Array(this.exports.memory.buffer)
    memory.set(bytes, ptr)
    memory[ptr + bytes.length] = 0
    return ptr
  }

  /** Short strings are encoded straight into a slice of the C stack (no heap allocation, so no heap change). */
  private pushString(text: string): void {
    const ex = this.exports
    if (text.length > STACK_STRING_MAX / 3) return pushBytes(ex, this.L, encoder.encode(text))
    const sp = ex.stackSave()
    const ptr = (sp - STACK_STRING_MAX) & ~15
    ex.stackRestore(ptr)
    const { written } = encoder.encodeInto(text, new Uint8Array(ex.memory.buffer, ptr, STACK_STRING_MAX))
    ex.lua_pushlstring(this.L, ptr, written)
    ex.stackRestore(sp)
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
      for (let i = 0; i < value.length; i++) {
        this.pushValue(value[i])
        ex.lua_rawseti(L, -2, BigInt(i + 1))
      }
    } else {
      // Own keys in insertion order, as Object.entries gives them, without building the pairs.
      const keys = Object.keys(value)
      let size = 0
      for (const key of keys) if (value[key] !== undefined) size++
      ex.lua_createtable(L, 0, size)
      for (const key of keys) {
        const item = value[key]
        if (item === undefined) continue
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

type Instance = WasmInstance & { hostPointers: number[] }

/** A wasm instance with the hook and host functions registered in a fixed order, so their table slots match every image. */
async function createInstance(host: HostFunction[], options: LuaVmOptions): Promise<Instance> {
  await (breakSearch ??= findBreakAddress(options.metered ?? true).then((address) => void (breakAddress = address)))
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

/** A copy of the bytes of the string at `index` (empty when it is not a string). */
function readLuaBytes(ex: LuaExports, L: number, index: number, lenPtr: number): Uint8Array {
  const ptr = ex.lua_tolstring(L, index, lenPtr)
  if (!ptr) return new Uint8Array(0)
  const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0]!
  return new Uint8Array(ex.memory.buffer, ptr, len).slice()
}

function pushBytes(ex: LuaExports, L: number, bytes: Uint8Array): void {
  const ptr = ex.malloc(bytes.length || 1)
  new Uint8Array(ex.memory.buffer).set(bytes, ptr)
  ex.lua_pushlstring(L, ptr, bytes.length)
  ex.free(ptr)
}

/** What a call may still hand back, in bytes; reading past it throws OutputLimitError. */
type OutputBudget = { left: number; readonly limit: number }

function spend(budget: OutputBudget | undefined, bytes: number): void {
  if (!budget) return
  budget.left -= bytes
  if (budget.left < 0) throw new OutputLimitError(budget.limit)
}

function readLuaString(ex: LuaExports, L: number, index: number, lenPtr: number, budget?: OutputBudget): string | undefined {
  const ptr = ex.lua_tolstring(L, index, lenPtr)
  if (!ptr) return undefined
  const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0]!
  spend(budget, len)
  return decoder.decode(new Uint8Array(ex.memory.buffer, ptr, len))
}

/** Bytes of C stack a pushed string may borrow; longer strings go through malloc. */
const STACK_STRING_MAX = 3072

const ZERO_PAGE = Buffer.alloc(PAGE)
const ZERO_BLOCK = Buffer.alloc(16 * PAGE)

/**
 * Where sbrk keeps the heap's end (the program break), found once per host process; undefined if it could not be
 * found. C code never writes above the break (the data and the C stack lie below the heap, and emscripten's malloc
 * only grows it), so memory above it stays zero and the scan for the last non-zero page can start there instead of
 * at the end of linear memory (16 MiB at least, most of it zero).
 */
let breakAddress: number | undefined

/** The page-rounded program break of `memory`, or its whole length when the break's address is unknown. */
function heapEnd(memory: Uint8Array): number {
  if (breakAddress === undefined) return memory.length
  const brk = new Uint32Array(memory.buffer, breakAddress, 1)[0]!
  return Math.min(memory.length, Math.ceil(brk / PAGE) * PAGE)
}

/**
 * Finds the word sbrk keeps the break in: in a scratch instance, two allocations past the initial memory each make
 * sbrk ask the host to grow to its new break; the break's word is the static-data word that held both values.
 */
async function findBreakAddress(metered: boolean): Promise<number | undefined> {
  const scratch = await createWasmInstance(1024 ** 3, metered)
  const ex = scratch.exports
  const candidates = (request: number): number[] => {
    const found: number[] = []
    if (ex.malloc(request) === 0 || scratch.controls.lastGrowth === 0) return found
    const words = new Uint32Array(ex.memory.buffer, 0, Math.min(ex.memory.buffer.byteLength, 16 * 1024 * 1024) / 4)
    for (let i = 0; i < words.length; i++) if (words[i] === scratch.controls.lastGrowth) found.push(i * 4)
    return found
  }
  const first = candidates(32 * 1024 * 1024)
  const second = new Set(candidates(32 * 1024 * 1024))
  // The break lives in the static data, below the C stack (which lies below the heap): not the heap's own records.
  const stack = ex as unknown as { emscripten_stack_get_base(): number; emscripten_stack_get_end(): number }
  const dataEnd = Math.min(stack.emscripten_stack_get_base(), stack.emscripten_stack_get_end())
  const both = first.filter((address) => second.has(address) && address < dataEnd)
  return both.length === 1 ? both[0] : undefined
}
let breakSearch: Promise<void> | undefined

/** Length of memory up to the end of its last page holding a non-zero byte (compared natively, block then page). */
function usedLength(memory: Uint8Array, from = memory.length): number {
  const buffer = Buffer.from(memory.buffer, memory.byteOffset, memory.length)
  let end = from
  while (end >= ZERO_BLOCK.length && buffer.subarray(end - ZERO_BLOCK.length, end).equals(ZERO_BLOCK)) end -= ZERO_BLOCK.length
  while (end >= PAGE && buffer.subarray(end - PAGE, end).equals(ZERO_PAGE)) end -= PAGE
  return end
}

/** What readValue returns for a value it leaves to the runtime's own encoder. */
const NOT_PLAIN = Symbol('not plain')
const MAX_DEPTH = 64
const T_NIL = 0
const T_BOOLEAN = 1
const T_NUMBER = 3
const T_STRING = 4
const T_TABLE = 5
const T_FUNCTION = 6

/**
 * The value at absolute stack index `index`, as aos's json.encode then JSON.parse would give it; NOT_PLAIN when
 * that is not certain. `onPath` holds the tables being read (a cycle is the encoder's error to raise).
 */
function readValue(ex: LuaExports, L: number, index: number, lenPtr: number, onPath: Set<number>, depth: number, budget: OutputBudget): unknown {
  switch (ex.lua_type(L, index)) {
    case T_NIL:
      spend(budget, 8)
      return null
    case T_BOOLEAN:
      spend(budget, 8)
      return ex.lua_toboolean(L, index) !== 0
    case T_NUMBER:
      spend(budget, 8)
      return readNumber(ex, L, index)
    case T_STRING:
      return readLuaString(ex, L, index, lenPtr, budget)
    case T_TABLE:
      spend(budget, 8)
      return readTable(ex, L, index, lenPtr, onPath, depth, budget)
    default:
      return NOT_PLAIN
  }
}

/** "%.14g" then JSON.parse: 14 significant digits. C rounds exact ties to even, JS up: those go to Lua. */
function readNumber(ex: LuaExports, L: number, index: number): unknown {
  const n = ex.lua_isinteger(L, index) ? Number(ex.lua_tointegerx(L, index, 0)) : ex.lua_tonumberx(L, index, 0)
  if (!Number.isFinite(n)) return NOT_PLAIN
  if (Object.is(n, -0)) return -0
  const fifteen = n.toPrecision(15)
  if (/5e|5$/.test(fifteen) && Number(fifteen) === n) return NOT_PLAIN
  return Number(n.toPrecision(14))
}

function readTable(ex: LuaExports, L: number, index: number, lenPtr: number, onPath: Set<number>, depth: number, budget: OutputBudget): unknown {
  if (depth >= MAX_DEPTH || !ex.lua_checkstack(L, 4)) return NOT_PLAIN
  const top = ex.lua_gettop(L)
  const bail = () => (ex.lua_settop(L, top), NOT_PLAIN)
  if (ex.lua_getmetatable(L, index)) return bail()
  const pointer = ex.lua_topointer(L, index)
  if (onPath.has(pointer)) return NOT_PLAIN
  onPath.add(pointer)
  try {
    ex.lua_rawgeti(L, index, 1n)
    const hasFirst = ex.lua_type(L, -1) !== T_NIL
    ex.lua_settop(L, top)
    ex.lua_pushnil(L)
    if (ex.lua_next(L, index) === 0) return [] // empty: an array, as the encoder decides
    ex.lua_settop(L, top)

    if (hasFirst) {
      // An array only when its keys are exactly 1..n; anything else is the encoder's to judge.
      let count = 0
      let max = 0
      ex.lua_pushnil(L)
      while (ex.lua_next(L, index) !== 0) {
        if (ex.lua_type(L, -2) !== T_NUMBER || !ex.lua_isinteger(L, -2)) return bail()
        const key = ex.lua_tointegerx(L, -2, 0)
        if (key < 1n || key > 0x7fffffffn) return bail()
        count += 1
        if (Number(key) > max) max = Number(key)
        ex.lua_settop(L, -2)
      }
      if (max !== count) return bail()
      const out: unknown[] = new Array(count)
      for (let i = 1; i <= count; i++) {
        ex.lua_rawgeti(L, index, BigInt(i))
        const item = readValue(ex, L, top + 1, lenPtr, onPath, depth + 1, budget)
        ex.lua_settop(L, top)
        if (item === NOT_PLAIN) return NOT_PLAIN
        out[i - 1] = item
      }
      return out
    }

    const out: Record<string, unknown> = {}
    ex.lua_pushnil(L)
    while (ex.lua_next(L, index) !== 0) {
      if (ex.lua_type(L, -2) !== T_STRING) return bail()
      if (ex.lua_type(L, -1) !== T_FUNCTION) {
        const item = readValue(ex, L, top + 2, lenPtr, onPath, depth + 1, budget)
        if (item === NOT_PLAIN) return bail()
        const key = readLuaString(ex, L, top + 1, lenPtr, budget)!
        // JSON.parse makes "__proto__" an own property; a plain assignment would set the prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
        else out[key] = item
      }
      ex.lua_settop(L, top + 1)
    }
    return out
  } finally {
    onPath.delete(pointer)
  }
}

/** A checkpoint's memory as one byte array (for storing it). */
export function checkpointBytes(checkpoint: Checkpoint): Uint8Array {
  const out = new Uint8Array(checkpoint.length)
  checkpoint.chunks.forEach((chunk, i) => out.set(chunk, i * CHUNK))
  return out
}

/** A checkpoint from stored memory bytes. */
export function checkpointFromBytes(bytes: Uint8Array): Checkpoint {
  const chunks: Uint8Array[] = []
  for (let start = 0; start < bytes.length; start += CHUNK) chunks.push(bytes.slice(start, Math.min(start + CHUNK, bytes.length)))
  return { chunks, length: bytes.length }
}
