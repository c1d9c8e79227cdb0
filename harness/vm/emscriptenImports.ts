// The host side of wasmoon's Lua module (built by emscripten), written for the sandbox: the 27 functions the
// module imports. Nothing of the host machine reaches Lua through them: no files (the sandbox removes io and
// os.remove/rename anyway; the calls fail with ENOSYS), no environment, no output (C-level writes are dropped), UTC as
// the only time zone, and the clock is the message's Timestamp. Growth and longjmp work as emscripten defines them.
import { dateOfSeconds, mktimeUtc, readTm, strftime, tmOf, TM_ZONE, writeTm } from './cTime.js'

/** Mutable knobs the imports read, one set per instance. */
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

/** The module's own exports the imports call back into. */
type RuntimeExports = {
  memory: WebAssembly.Memory
  __indirect_function_table: WebAssembly.Table
  stackSave(): number
  stackRestore(sp: number): void
  setThrew(threw: number, value: number): void
  malloc(size: number): number
  __errno_location(): number
}

export type EmscriptenHost = {
  imports: WebAssembly.Imports
  /** Gives the imports the instance they serve (they are created before it). */
  attach(exports: WebAssembly.Exports): void
  /** Grows memory to at least `bytes` as the module's own growth would, ignoring the limit; false if it cannot. */
  growTo(bytes: number): boolean
}

const ENOSYS = 52
const ENOTTY = 59
const ESPIPE = 70
const EOVERFLOW = 61
/** emscripten's heap ceiling for a wasm32 module. */
const MAX_HEAP = 2 ** 31
const PAGE = 65536

export function emscriptenHost(controls: InstanceControls): EmscriptenHost {
  let ex: RuntimeExports
  const buffer = () => ex.memory.buffer
  const u32 = () => new Uint32Array(buffer())

  /** emscripten's growth rule: 20% over the current size (less if that fails), at most 96 MiB past the request. */
  const grow = (requested: number): boolean => {
    const oldSize = buffer().byteLength
    if (requested <= oldSize) return true
    if (requested > MAX_HEAP) return false
    for (let cutDown = 1; cutDown <= 4; cutDown *= 2) {
      const overGrown = Math.min(oldSize * (1 + 0.2 / cutDown), requested + 96 * 1024 * 1024)
      const size = Math.min(MAX_HEAP, Math.ceil(Math.max(requested, overGrown) / PAGE) * PAGE)
      try {
        ex.memory.grow((size - oldSize) / PAGE)
        return true
      } catch {
        // try a smaller step
      }
    }
    return false
  }

  const cString = (ptr: number): string => {
    const bytes = new Uint8Array(buffer())
    let end = ptr
    while (bytes[end] !== 0) end++
    return Buffer.from(bytes.subarray(ptr, end)).toString('utf8')
  }
  const newCString = (text: string): number => {
    const bytes = Buffer.from(`${text}\0`, 'utf8')
    const ptr = ex.malloc(bytes.length)
    new Uint8Array(buffer()).set(bytes, ptr)
    return ptr
  }
  const failSyscall = () => -ENOSYS

  const env = {
    abort: () => {
      throw new Error('the Lua runtime called abort()')
    },
    exit: (code: number) => {
      throw new Error(`the Lua runtime called exit(${code})`)
    },
    // No shell: system(NULL) says so, any command fails with ENOSYS.
    system: (command: number) => {
      if (command === 0) return 0
      new Int32Array(buffer())[ex.__errno_location() >>> 2] = ENOSYS
      return -1
    },
    // setjmp/longjmp: a longjmp throws a number through the JavaScript frames of invoke_*, which catches it here.
    invoke_vii: (index: number, a: number, b: number) => {
      const sp = ex.stackSave()
      try {
        ;(ex.__indirect_function_table.get(index) as (a: number, b: number) => void)(a, b)
      } catch (error) {
        ex.stackRestore(sp)
        if (typeof error !== 'number') throw error
        ex.setThrew(1, 0)
      }
    },
    _emscripten_throw_longjmp: () => {
      throw Infinity
    },
    emscripten_resize_heap: (requested: number) => {
      requested >>>= 0
      controls.lastGrowth = requested
      // Refusing growth makes malloc return NULL, which Lua turns into a memory error; the flag makes it sticky.
      if (requested > controls.memoryLimit) {
        controls.memoryExceeded = true
        return 0
      }
      return grow(requested) ? 1 : 0
    },
    emscripten_date_now: () => controls.nowMs,
    _emscripten_get_now_is_monotonic: () => 1,
    _gmtime_js: (time: bigint, tmPtr: number) => writeTm(buffer(), tmPtr, tmOf(dateOfSeconds(time))),
    // Local time is UTC: the host's zone must not reach process state.
    _localtime_js: (time: bigint, tmPtr: number) => writeTm(buffer(), tmPtr, tmOf(dateOfSeconds(time))),
    _mktime_js: (tmPtr: number) => {
      const normalised = mktimeUtc(readTm(buffer(), tmPtr))
      if (!normalised) {
        new Int32Array(buffer())[ex.__errno_location() >>> 2] = EOVERFLOW
        return -1n
      }
      writeTm(buffer(), tmPtr, normalised.tm)
      return BigInt(normalised.seconds)
    },
    _tzset_js: (timezonePtr: number, daylightPtr: number, tznamePtr: number) => {
      const words = u32()
      words[timezonePtr >>> 2] = 0
      words[daylightPtr >>> 2] = 0
      // Standard and daylight names, each a C string of its own, as emscripten allocates them.
      const standard = newCString('UTC')
      const daylight = newCString('UTC')
      const after = u32()
      after[tznamePtr >>> 2] = standard
      after[(tznamePtr >>> 2) + 1] = daylight
    },
    strftime: (out: number, maxSize: number, formatPtr: number, tmPtr: number) => {
      const zonePtr = new Uint32Array(buffer(), tmPtr + TM_ZONE, 1)[0]!
      const text = strftime(cString(formatPtr), readTm(buffer(), tmPtr), zonePtr ? cString(zonePtr) : '')
      const bytes = Buffer.from(`${text}\0`, 'utf8')
      if (bytes.length > maxSize) return 0
      new Uint8Array(buffer()).set(bytes, out)
      return bytes.length - 1
    },
    __syscall_openat: failSyscall,
    __syscall_fcntl64: failSyscall,
    __syscall_ioctl: () => -ENOTTY,
    __syscall_dup3: failSyscall,
    __syscall_unlinkat: failSyscall,
    __syscall_rmdir: failSyscall,
    __syscall_renameat: failSyscall,
    __syscall_readlinkat: failSyscall,
  }

  const wasi = {
    // Output is dropped, but reported as written so C stdio carries on.
    fd_write: (_fd: number, iovs: number, count: number, writtenPtr: number) => {
      const words = u32()
      let total = 0
      for (let i = 0; i < count; i++) total += words[(iovs >>> 2) + 2 * i + 1]!
      words[writtenPtr >>> 2] = total
      return 0
    },
    fd_read: (_fd: number, _iovs: number, _count: number, readPtr: number) => {
      u32()[readPtr >>> 2] = 0
      return 0
    },
    fd_close: () => 0,
    fd_seek: () => ESPIPE,
    environ_sizes_get: (countPtr: number, sizePtr: number) => {
      const words = u32()
      words[countPtr >>> 2] = 0
      words[sizePtr >>> 2] = 0
      return 0
    },
    environ_get: () => 0,
  }

  return {
    imports: { env, wasi_snapshot_preview1: wasi },
    attach: (exports) => void (ex = exports as unknown as RuntimeExports),
    growTo: grow,
  }
}
