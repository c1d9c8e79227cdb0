// Values crossing between JS and a Lua state's stack: pushing JS inputs as Lua values, reading Lua strings and
// plain values back, under a bound on how many bytes one call may hand back.
import { OutputLimitError } from './errors.js'
import type { LuaExports } from './wasmInstance.js'

/** A JSON-like value the host can hand to Lua: built as Lua tables directly, with no parsing inside Lua. */
export type LuaInput = string | number | boolean | null | LuaInput[] | { [key: string]: LuaInput | undefined }

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A NUL-terminated copy of `text` in the heap (the caller frees it). */
export function allocString(ex: LuaExports, text: string): number {
  const bytes = encoder.encode(text)
  const ptr = ex.malloc(bytes.length + 1)
  const memory = new Uint8Array(ex.memory.buffer)
  memory.set(bytes, ptr)
  memory[ptr + bytes.length] = 0
  return ptr
}

/**
 * A slice of the C stack that pushes encode short strings into (no heap allocation, so no heap change): reserved
 * by moving the stack pointer below it for a whole batch of pushes, so Lua's own frames stay clear of it.
 */
export class StringSlot {
  private view: Uint8Array | undefined
  private saved = 0
  private ptr = 0
  constructor(private readonly ex: LuaExports) {}

  /** Runs `push` with the slot reserved. */
  with<T>(push: () => T): T {
    this.saved = this.ex.stackSave()
    this.ptr = (this.saved - STACK_STRING_MAX) & ~15
    this.ex.stackRestore(this.ptr)
    try {
      return push()
    } finally {
      this.ex.stackRestore(this.saved)
      this.view = undefined
    }
  }

  /** Pushes `text` (the slot must be reserved). */
  push(L: number, text: string): void {
    if (text.length > STACK_STRING_MAX / 3) return pushBytes(this.ex, L, encoder.encode(text))
    // A push may grow memory (Lua allocates), which detaches the old view.
    if (!this.view || this.view.byteLength === 0) this.view = new Uint8Array(this.ex.memory.buffer, this.ptr, STACK_STRING_MAX)
    const { written } = encoder.encodeInto(text, this.view)
    this.ex.lua_pushlstring(L, this.ptr, written)
  }
}

/** Pushes one string through a slot of its own. */
export function pushString(ex: LuaExports, L: number, text: string): void {
  const slot = new StringSlot(ex)
  slot.with(() => slot.push(L, text))
}

/** Integers stay Lua integers and other numbers floats, as the runtime's JSON decoder would make them. */
export function pushValue(ex: LuaExports, L: number, value: LuaInput | undefined, slot: StringSlot): void {
  if (value === null || value === undefined) ex.lua_pushnil(L)
  else if (typeof value === 'string') slot.push(L, value)
  else if (typeof value === 'boolean') ex.lua_pushboolean(L, value ? 1 : 0)
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) ex.lua_pushinteger(L, BigInt(value))
    else ex.lua_pushnumber(L, value)
  } else if (Array.isArray(value)) {
    ex.lua_createtable(L, value.length, 0)
    for (let i = 0; i < value.length; i++) {
      pushValue(ex, L, value[i], slot)
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
      slot.push(L, key)
      pushValue(ex, L, item, slot)
      ex.lua_rawset(L, -3)
    }
  }
}

/** A copy of the bytes of the string at `index` (empty when it is not a string). */
export function readLuaBytes(ex: LuaExports, L: number, index: number, lenPtr: number): Uint8Array {
  const ptr = ex.lua_tolstring(L, index, lenPtr)
  if (!ptr) return new Uint8Array(0)
  const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0]!
  return new Uint8Array(ex.memory.buffer, ptr, len).slice()
}

/** Pushes `bytes` as a Lua string (through a heap copy, freed once Lua has its own). */
export function pushBytes(ex: LuaExports, L: number, bytes: Uint8Array): void {
  const ptr = ex.malloc(bytes.length || 1)
  new Uint8Array(ex.memory.buffer).set(bytes, ptr)
  ex.lua_pushlstring(L, ptr, bytes.length)
  ex.free(ptr)
}

/** What a call may still hand back, in bytes; reading past it throws OutputLimitError. */
export type OutputBudget = { left: number; readonly limit: number }

function spend(budget: OutputBudget | undefined, bytes: number): void {
  if (!budget) return
  budget.left -= bytes
  if (budget.left < 0) throw new OutputLimitError(budget.limit)
}

export function readLuaString(ex: LuaExports, L: number, index: number, lenPtr: number, budget?: OutputBudget): string | undefined {
  const ptr = ex.lua_tolstring(L, index, lenPtr)
  if (!ptr) return undefined
  const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0]!
  spend(budget, len)
  return decoder.decode(new Uint8Array(ex.memory.buffer, ptr, len))
}

/** Bytes of C stack a pushed string may borrow; longer strings go through malloc. */
const STACK_STRING_MAX = 3072

/** What readValue returns for a value it leaves to the runtime's own encoder. */
export const NOT_PLAIN = Symbol('not plain')
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
export function readValue(ex: LuaExports, L: number, index: number, lenPtr: number, onPath: Set<number>, depth: number, budget: OutputBudget): unknown {
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
