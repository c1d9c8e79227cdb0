// One wasm instance of wasmoon's Lua 5.4 build (its glue.wasm; wasmoon's JavaScript is not used), with the host
// imports of emscriptenImports.ts. The module is gas-metered (metering/meter.ts) and compiled once per host process;
// each AO process gets its own instance (own linear memory), so no Lua state, allocator or C global is shared
// between processes.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { emscriptenHost, type InstanceControls } from './emscriptenImports.js'
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

export type { InstanceControls } from './emscriptenImports.js'

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
  /** Grows linear memory to at least `bytes` the way the module's own growth does. */
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
/** Compiled once per host process: the metered module (the default) and, for benchmarks, the unmetered one. */
const compiled: { metered?: Promise<WebAssembly.Module>; plain?: Promise<WebAssembly.Module> } = {}

/** A fresh Lua wasm instance: its own memory, the C runtime initialised, nothing else run. */
export async function createWasmInstance(memoryLimit: number, metered = true): Promise<WasmInstance> {
  return instantiate(await luaModule(metered), memoryLimit)
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

function instantiate(module: WebAssembly.Module, memoryLimit: number): WasmInstance {
  const controls: InstanceControls = { memoryLimit, memoryExceeded: false, nowMs: 0, lastGrowth: 0 }
  const host = emscriptenHost(controls)
  const instance = new WebAssembly.Instance(module, host.imports)
  host.attach(instance.exports)
  const exported = instance.exports as Record<string, unknown>
  const start = exported as { emscripten_stack_init(): void; __wasm_call_ctors(): void }
  start.emscripten_stack_init()
  start.__wasm_call_ctors()
  const table = exported.__indirect_function_table as WebAssembly.Table
  const gas = exported[GAS_EXPORT] as WebAssembly.Global | undefined
  const stackLow = exported[STACK_LOW_EXPORT] as WebAssembly.Global
  const globals = Object.keys(exported)
    .filter((name) => name.startsWith(GLOBAL_EXPORT_PREFIX))
    .map((name) => exported[name] as WebAssembly.Global)
  return {
    exports: instance.exports as unknown as LuaExports,
    controls,
    addFunction: (fn, sig) => {
      const index = table.grow(1)
      table.set(index, wasmFunction(fn, sig))
      return index
    },
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
      if (!host.growTo(bytes)) throw new Error(`linear memory could not grow to ${bytes} bytes`)
    },
  }
}

const VALUE_TYPES: Record<string, number> = { i: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c }
/** One tiny module per signature: it imports a JavaScript function and exports it as a wasm function. */
const adapters = new Map<string, WebAssembly.Module>()

/** `fn` as a wasm function of signature `sig` (emscripten's notation: result first, 'v' for none; 'ii' = i32 → i32). */
function wasmFunction(fn: Function, sig: string): Function {
  let adapter = adapters.get(sig)
  if (!adapter) {
    const [result, ...params] = [...sig].map((c) => VALUE_TYPES[c])
    const type = [0x60, params.length, ...(params as number[]), ...(result === undefined ? [0] : [1, result])]
    const section = (id: number, body: number[]) => [id, body.length, ...body]
    adapter = new WebAssembly.Module(
      new Uint8Array([
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        ...section(1, [1, ...type]),
        ...section(2, [1, 1, 0x65, 1, 0x66, 0x00, 0]), // import "e" "f": function of type 0
        ...section(7, [1, 1, 0x66, 0x00, 0]), // export "f": function 0
      ]),
    )
    adapters.set(sig, adapter)
  }
  return new WebAssembly.Instance(adapter, { e: { f: fn } }).exports.f as Function
}
