// Checkpoints of a wasm instance's linear memory: taking them chunk by chunk (sharing unchanged chunks with the
// checkpoint they came from), putting them back, and storing them as plain bytes.
import { createWasmInstance } from './wasmInstance.js'

const PAGE = 65536
/** Checkpoint granularity: small enough that a message's scattered heap writes copy little. */
const CHUNK = 4096

/**
 * Linear memory at one instant, as fixed-size chunks that are never mutated. A checkpoint reuses every chunk that
 * equals the one in the checkpoint its memory came from, so processes share the boot image's chunks and a
 * message's checkpoint copies only what it changed.
 */
export type Checkpoint = { readonly chunks: readonly Uint8Array[]; readonly length: number }

/**
 * The dead part of the C stack at a quiet point, [low, high): only frames of finished calls lie there, and the VM
 * zeroes them before each checkpoint and restore, so checkpoints neither compare nor copy the chunks inside it
 * (they hold one shared zero chunk) and restores leave them alone. That is 1 MiB of a process's ~1.7 MiB.
 */
export type DeadStack = { readonly low: number; readonly high: number }

/** The zero chunk every checkpoint holds for the dead stack (chunks are never written to). */
const ZERO_CHUNK = new Uint8Array(CHUNK)

/** Indices [first, end) of the chunks wholly inside the dead stack. */
function deadChunks(dead: DeadStack): [number, number] {
  return [Math.ceil(dead.low / CHUNK), Math.floor(dead.high / CHUNK)]
}

/**
 * Linear memory up to its highest non-zero page (the tail above the heap top is all zeros), sharing the chunks
 * that equal those of `basis`, the checkpoint this memory was last restored from or taken at.
 */
export function takeCheckpoint(buffer: ArrayBuffer, basis: Checkpoint | undefined, dead: DeadStack): Checkpoint {
  const memory = new Uint8Array(buffer)
  const length = usedLength(memory, heapEnd(memory))
  const live = Buffer.from(memory.buffer, 0, length)
  const previousChunks = basis?.chunks ?? []
  const chunks: Uint8Array[] = []
  const [firstDead, endDead] = deadChunks(dead)
  for (let start = 0, i = 0; start < length; start += CHUNK, i++) {
    if (i >= firstDead && i < endDead) {
      chunks.push(ZERO_CHUNK)
      continue
    }
    const end = Math.min(start + CHUNK, length)
    const previous = previousChunks[i]
    // compare() with offsets: no view object per chunk.
    const same = previous !== undefined && previous.length === end - start && live.compare(previous, 0, previous.length, start, end) === 0
    chunks.push(same ? previous : memory.slice(start, end))
  }
  return { chunks, length }
}

/** How a restore reaches the instance: its memory, growing it, and its dead stack (already zeroed). */
export type RestoreTarget = { memory: WebAssembly.Memory; growTo(bytes: number): void; dead: DeadStack }

/**
 * Puts memory back exactly as it was at `checkpoint`, zeroing anything above it (a fresh instance is all zero, so
 * `fresh` skips that). The dead stack is left as it is: zero.
 */
export function restoreCheckpoint(target: RestoreTarget, checkpoint: Checkpoint, fresh: boolean): void {
  target.growTo(checkpoint.length)
  const memory = new Uint8Array(target.memory.buffer)
  // Zero only up to the last non-zero page: filling the never-touched tail would make the OS commit it.
  const dirtyEnd = fresh ? 0 : usedLength(memory, heapEnd(memory))
  const [firstDead, endDead] = deadChunks(target.dead)
  const chunks = checkpoint.chunks
  for (let i = 0; i < chunks.length; i++) if (i < firstDead || i >= endDead) memory.set(chunks[i]!, i * CHUNK)
  if (dirtyEnd > checkpoint.length) memory.fill(0, checkpoint.length, dirtyEnd)
}

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

/** Looks for the program break's address once per host process (the first instance created waits for it). */
export function findBreakOnce(metered: boolean): Promise<void> {
  return (breakSearch ??= findBreakAddress(metered).then((address) => void (breakAddress = address)))
}

/** Length of memory up to the end of its last page holding a non-zero byte (compared natively, block then page). */
function usedLength(memory: Uint8Array, from = memory.length): number {
  const buffer = Buffer.from(memory.buffer, memory.byteOffset, memory.length)
  let end = from
  while (end >= ZERO_BLOCK.length && buffer.subarray(end - ZERO_BLOCK.length, end).equals(ZERO_BLOCK)) end -= ZERO_BLOCK.length
  while (end >= PAGE && buffer.subarray(end - PAGE, end).equals(ZERO_PAGE)) end -= PAGE
  return end
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
