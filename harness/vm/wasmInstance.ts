// One wasm instance of wasmoon's Lua 5.4 build, with the host imports we control.
// The module is gas-metered (metering/meter.ts) and compiled once per host process; each AO process gets its own
// instance (own linear memory), so no Lua state, allocator or C global is shared between processes.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { LuaWasm } from 'wasmoon'
import { GAS_EXPORT, GLOBAL_EXPORT_PREFIX, UNLIMITED_GAS, meterModule } from './metering/meter.js'
import { STACK_LOW_EXPORT, watchStack } from './metering/stackWatermark.js'
import { setInitialMemory } from './metering/wasmBinary.js'

/** The raw Lua C API and emscripten runtime exports of one instance (all pointers are numbers, lua_Integer is bigint). */
export type LuaExports = {
  memory: WebAssembly.Memory
  malloc(size: number): number
  free(ptr: number): void
  stackSave(): number
  stackRestore(sp: number): void
  emscripten_stack_get_end(): number
  luaL_newstate(): number
  luaL_openlibs(L: number): void
  luaL_loadbufferx(L: number, buf: number, size: number, name: number, mode: number): number
  luaL_ref(L: number, t: number): number
  lua_rawgeti(L: number, idx: number, n: bigint): number
  lua_pcallk(L: number, nargs: number, nresults: number, msgh: number, ctx: number, k: number): number
  lua_pushlstring(L: number, s: number, len: number): number
  lua_pushnil(L: number): void
  lua_pushinteger(L: number, n: bigint): void
  lua_pushnumber(L: number, n: number): void
  lua_pushboolean(L: number, b: number): void
  lua_createtable(L: number, narr: number, nrec: number): void
  lua_rawseti(L: number, idx: number, n: bigint): void
  lua_rawset(L: number, idx: number): void
  lua_pushcclosure(L: number, fn: number, n: number): void
  lua_tolstring(L: number, idx: number, len: number): number
  lua_type(L: number, idx: number): number
  lua_gettop(L: number): number
  lua_settop(L: number, idx: number): void
  lua_sethook(L: number, fn: number, mask: number, count: number): void
  lua_error(L: number): number
  lua_next(L: number, idx: number): number
  lua_toboolean(L: number, idx: number): number
  lua_isinteger(L: number, idx: number): number
  lua_tointegerx(L: number, idx: number, isnum: number): bigint
  lua_tonumberx(L: number, idx: number, isnum: number): number
  lua_getmetatable(L: number, idx: number): number
  lua_topointer(L: number, idx: number): number
  lua_checkstack(L: number, n: number): number
  lua_pushvalue(L: number, idx: number): void
}

/** Mutable knobs the wrapped imports read, one set per instance. */
export type InstanceControls = {
  /** Largest linear memory the instance may grow to, in bytes. */
  memoryLimit: number
  /** Set when a growth beyond memoryLimit was refused. */
  memoryExceeded: boolean
  /** What C `time()` sees (ms): the Timestamp of the message being evaluated, so os.date is deterministic. */
  nowMs: number
  /** The new heap end the last growth asked for (sbrk's new break), 0 before any. */
  lastGrowth: number
}

export type WasmInstance = {
  exports: LuaExports
  controls: InstanceControls
  addFunction(fn: Function, sig: string): number
  /** Whether the instance runs the gas-metered module. */
  metered: boolean
  /** Gas left (the metered module traps when it goes negative); UNLIMITED_GAS on an unmetered one. */
  gas: bigint
  /** The module's own mutable globals (stack pointer, setjmp state…), to put back after a trap mid-call. */
  saveGlobals(): (number | bigint)[]
  restoreGlobals(values: (number | bigint)[]): void
  /** The lowest the C stack pointer has been since this was last set (-1 when it has not moved since). */
  stackLow: number
  /** Grows linear memory to at least `bytes` the way the module's own growth does, so the glue sees the new size. */
  growTo(bytes: number): void
}

/**
 * Pages of linear memory an instance starts with: the static data and the C stack take the first ~1.1 MiB. Starting
 * small matters: V8 counts a new memory's whole initial size as external memory and collects garbage in
 * proportion, and the heap grows on demand anyway (at the same addresses, so no state depends on this).
 */
const INITIAL_PAGES = 32

const require = createRequire(import.meta.url)
const gluePath = require.resolve('wasmoon/dist/glue.wasm')
/** Compiled once per host process: the metered module (the default) and, for benchmarks, the original one. */
const compiled: { metered?: Promise<WebAssembly.Module>; plain?: Promise<WebAssembly.Module> } = {}
let queue: Promise<unknown> = Promise.resolve()

/**
 * Instantiates a fresh Lua wasm instance. wasmoon's emscripten glue offers no hook for a precompiled module or for
 * its imports, so for the duration of its (serialised) initialisation we stand in for WebAssembly.instantiate:
 * that lets us reuse one compiled module and wrap the imports that touch the outside world.
 */
export function createWasmInstance(memoryLimit: number, metered = true): Promise<WasmInstance> {
  const next = queue.then(() => instantiate(memoryLimit, metered))
  queue = next.catch(() => undefined)
  return next
}

/** The module an instance runs: wasmoon's glue.wasm, with gas metering injected unless `metered` is false. */
export function luaModule(metered = true): Promise<WebAssembly.Module> {
  if (metered) return (compiled.metered ??= WebAssembly.compile(prepare(meterModule(readFileSync(gluePath)).bytes)))
  return (compiled.plain ??= WebAssembly.compile(prepare(readFileSync(gluePath))))
}

/** The passes every instance's module gets: the stack watermark, then the smaller initial memory. */
function prepare(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  return setInitialMemory(watchStack(wasm), INITIAL_PAGES)
}

async function instantiate(memoryLimit: number, metered: boolean): Promise<WasmInstance> {
  const module = await luaModule(metered)
  const controls: InstanceControls = { memoryLimit, memoryExceeded: false, nowMs: 0, lastGrowth: 0 }
  const original = WebAssembly.instantiate
  let instance: WebAssembly.Instance | undefined
  let resize: ((bytes: number) => unknown) | undefined
  const standIn = async (source: unknown, imports: WebAssembly.Imports) => {
    // Only wasmoon's own call (the one with WASI imports) is ours; anything else that instantiates wasm meanwhile,
    // such as Node's HTTP client loading its parser on a first fetch, goes to the real function untouched.
    if (instance || !imports || !('wasi_snapshot_preview1' in imports)) {
      return (original as (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>)(source, imports)
    }
    resize = wrapImports(imports, controls, () => (instance!.exports.memory as WebAssembly.Memory).buffer)
    instance = await original(module, imports)
    return { instance, module }
  }
  WebAssembly.instantiate = standIn as typeof WebAssembly.instantiate
  let lua: LuaWasm
  try {
    lua = await LuaWasm.initialize()
  } finally {
    WebAssembly.instantiate = original
  }
  if (!instance) throw new Error('wasmoon did not instantiate its module')
  const glue = lua.module as unknown as { addFunction(fn: Function, sig: string): number }
  const exported = instance.exports as Record<string, unknown>
  const gas = exported[GAS_EXPORT] as WebAssembly.Global | undefined
  const stackLow = exported[STACK_LOW_EXPORT] as WebAssembly.Global
  const memory = exported.memory as WebAssembly.Memory
  const globals = Object.keys(exported)
    .filter((name) => name.startsWith(GLOBAL_EXPORT_PREFIX))
    .map((name) => exported[name] as WebAssembly.Global)
  return {
    exports: instance.exports as unknown as LuaExports,
    controls,
    addFunction: (fn, sig) => glue.addFunction(fn, sig),
    metered: gas !== undefined,
    get gas() {
      return gas ? (gas.value as bigint) : UNLIMITED_GAS
    },
    set gas(value: bigint) {
      if (gas) gas.value = value
    },
    saveGlobals: () => globals.map((g) => g.value as number | bigint),
    restoreGlobals: (values) => globals.forEach((g, i) => (g.value = values[i])),
    get stackLow() {
      return stackLow.value as number
    },
    set stackLow(value: number) {
      stackLow.value = value
    },
    growTo(bytes: number) {
      if (bytes > memory.buffer.byteLength && !resize!(bytes)) throw new Error(`linear memory could not grow to ${bytes} bytes`)
    },
  }
}

/**
 * Every import through which the host machine could leak into Lua state is pinned: an empty environment (the
 * default one holds the script path, whose length would shift heap addresses and so Lua's table layout), UTC
 * for local time, the message's Timestamp for the clock, no shell.
 */
function wrapImports(imports: WebAssembly.Imports, controls: InstanceControls, buffer: () => ArrayBuffer): (bytes: number) => unknown {
  const env = imports.env as Record<string, Function>
  // The unwrapped growth, for restoring a checkpoint (whatever size it has was within the limit when taken).
  const resize = env.emscripten_resize_heap as (bytes: number) => unknown
  for (const module of new Set([imports.env, imports.wasi_snapshot_preview1])) {
    if (module) pinImports(module as Record<string, Function>, controls, buffer)
  }
  return resize
}

function pinImports(env: Record<string, Function>, controls: InstanceControls, buffer: () => ArrayBuffer): void {
  const resize = env.emscripten_resize_heap
  // Refusing growth makes malloc return NULL, which Lua turns into a memory error; the flag makes it sticky.
  env.emscripten_resize_heap = (requested: number) => {
    controls.lastGrowth = requested >>> 0
    if (requested >>> 0 > controls.memoryLimit) {
      controls.memoryExceeded = true
      return 0
    }
    return resize(requested)
  }
  env.emscripten_date_now = () => controls.nowMs
  env.emscripten_get_now = () => 0
  env.system = () => -1
  env.environ_sizes_get = (countPtr: number, sizePtr: number) => {
    const words = new Uint32Array(buffer())
    words[countPtr >>> 2] = 0
    words[sizePtr >>> 2] = 0
    return 0
  }
  env.environ_get = () => 0
  if (env._gmtime_js) env._localtime_js = env._gmtime_js
  env._tzset_js = (timezone: number, daylight: number, stdName: number, dstName: number) => {
    const view = new DataView(buffer())
    view.setInt32(timezone, 0, true)
    view.setInt32(daylight, 0, true)
    new Uint8Array(buffer()).set([85, 84, 67, 0], stdName) // "UTC"
    new Uint8Array(buffer()).set([85, 84, 67, 0], dstName)
  }
}
