// Child-process side of the aos engine: runs the real aos module (a wasm64 binary) through @permaweb/ao-loader and
// keeps every process's memory here, so none crosses the pipe. A child because Node 20 needs
// --experimental-wasm-memory64 and ao-loader replaces Math.random and console.log in the process that loads it.
//
// Memory is kept as images: the heap cut into chunks, all-zero chunks left out, and a chunk equal to the one in the
// previous image shared with it. An image is never changed, so a snapshot or a fork is a reference to one.
// A process's image is always its state after its last kept message; the live instance (when it has one) holds the
// same bytes: after a dry-run, a read or an Error the chunks that changed are written back, and after a revert the
// snapshot's are (an instance whose heap grew meanwhile is stale: it loads the whole image before its next message).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { WorkerReply, WorkerRequest } from './workerProtocol.js'

type Handle = (memory: Uint8Array | null, message: unknown, env: unknown) => Promise<Record<string, unknown>>
type Loader = (binary: unknown, options: object) => Promise<Handle>

const CHUNK = 64 * 1024
const ZERO = Buffer.alloc(CHUNK)
/** Live instances kept at once (about 110 MB of touched memory each; the staking suite uses 7 processes); the least recently used one is dropped. */
const MAX_INSTANCES = 8
const RESULT_FIELDS = ['Output', 'Messages', 'Spawns', 'Assignments', 'Error'] as const
const NUMERIC_FIELDS = ['Timestamp', 'Block-Height', 'Nonce', 'Epoch'] as const

type Image = { readonly length: number; readonly chunks: readonly (Buffer | undefined)[] }
type Instance = { handle: Handle; heap: ArrayBuffer | undefined }
type Process = {
  /** Undefined before its first kept message: its next message runs on a freshly booted instance. */
  image: Image | undefined
  memoryLimit: number
  instance: Instance | undefined
  /** The instance holds something else than the image (a revert could not be written back in place). */
  stale: boolean
}

const [wasmPath, loaderPath] = process.argv.slice(2) as [string, string]
const loader = createRequire(import.meta.url)(loaderPath) as Loader
const wasm = await WebAssembly.compile(readFileSync(wasmPath))
const processes = new Map<string, Process>()
const snapshots = new Map<string, Image | undefined>()
/** Processes holding an instance, least recently used first. */
const holders = new Set<Process>()
let scratch: Uint8Array | undefined

function boot(memoryLimit: number): Promise<Handle> {
  return loader((imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => WebAssembly.instantiate(wasm, imports).then(receive), {
    format: 'wasm64-unknown-emscripten-draft_2024_02_15',
    inputEncoding: 'JSON-V1',
    outputEncoding: 'JSON-V1',
    memoryLimit,
    computeLimit: 9e12,
    extensions: [],
    // The live heap instead of a copy per message: images are cut from it.
    UNSAFE_MEMORY: true,
  })
}

/**
 * The first image taken: a process's first image is compared with it, since every process's memory after its
 * Process message is mostly the same bytes (copying 40 MB of chunks anew took seconds).
 */
let baseImage: Image | undefined

/** The heap as an image, sharing every chunk that equals `previous`'s (by default the base image's). */
function takeImage(heap: ArrayBuffer, previous: Image | undefined = baseImage): Image {
  const bytes = Buffer.from(heap)
  const chunks: (Buffer | undefined)[] = []
  for (let offset = 0, i = 0; offset < bytes.length; offset += CHUNK, i++) {
    const chunk = bytes.subarray(offset, offset + CHUNK)
    const before = previous?.chunks[i]
    if (before && before.length === chunk.length && before.equals(chunk)) chunks.push(before)
    else if (chunk.length === CHUNK && chunk.equals(ZERO)) chunks.push(undefined)
    else chunks.push(Buffer.from(chunk))
  }
  const image = { length: bytes.length, chunks }
  baseImage ??= image
  return image
}

/** The image as one buffer (reused between calls), for ao-loader to copy into an instance. */
function materialise(image: Image): Uint8Array {
  if (!scratch || scratch.length !== image.length) scratch = new Uint8Array(image.length)
  image.chunks.forEach((chunk, i) => (chunk ? scratch!.set(chunk, i * CHUNK) : scratch!.fill(0, i * CHUNK, Math.min((i + 1) * CHUNK, image.length))))
  return scratch
}

/**
 * Puts an image back into a live heap of the same size, writing only the chunks that differ (a dry-run or a read
 * touches few). False when the heap grew: memory cannot shrink, so the instance must be replaced.
 */
function restoreInPlace(heap: ArrayBuffer | undefined, image: Image | undefined): boolean {
  if (!heap || !image || heap.byteLength !== image.length) return false
  const bytes = Buffer.from(heap)
  image.chunks.forEach((chunk, i) => {
    const current = bytes.subarray(i * CHUNK, (i + 1) * CHUNK)
    if (chunk) {
      if (!chunk.equals(current)) current.set(chunk)
    } else if (!current.equals(ZERO.subarray(0, current.length))) current.fill(0)
  })
  return true
}

function dropInstance(process: Process): void {
  process.instance = undefined
  process.stale = false
  holders.delete(process)
}

/** An instance for `process`, and the memory to hand it with the next message (null: it holds the state already). */
async function instanceFor(process: Process): Promise<{ instance: Instance; memory: Uint8Array | null }> {
  // ao-loader copies memory over the low part of the heap only: an instance whose heap grew past the image is
  // replaced by a fresh one rather than left with another state's bytes above it.
  const heapLength = process.instance?.heap?.byteLength ?? 0
  if (process.instance && process.stale && (!process.image || heapLength > process.image.length)) dropInstance(process)
  holders.delete(process)
  if (process.instance) {
    const memory = process.stale ? materialise(process.image!) : null
    process.stale = false
    holders.add(process)
    return { instance: process.instance, memory }
  }
  for (const holder of holders) {
    if (holders.size < MAX_INSTANCES) break
    dropInstance(holder)
  }
  process.instance = { handle: await boot(process.memoryLimit), heap: undefined }
  holders.add(process)
  return { instance: process.instance, memory: process.image ? materialise(process.image) : null }
}

/** The message as the compute unit hands it over (spec §0, §6): From/Owner tags removed, numeric fields as numbers. */
function moduleMessage(message: Record<string, unknown>): Record<string, unknown> {
  const tags = (message.Tags as { name: string; value: unknown }[]) ?? []
  const out: Record<string, unknown> = { ...message, Tags: tags.filter((tag) => tag.name !== 'From' && tag.name !== 'Owner') }
  for (const field of NUMERIC_FIELDS) if (out[field] !== undefined && out[field] !== null) out[field] = Number(out[field])
  return out
}

function pick(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of RESULT_FIELDS) if (result[field] !== undefined) out[field] = result[field]
  return out
}

/**
 * Runs one message on the process's instance. `keep`: a result without Error becomes the process's image; with an
 * Error the image stays (a thrown call also drops the instance, which may have stopped midway).
 */
async function run(process: Process, message: Record<string, unknown>, env: unknown, keep: boolean): Promise<Record<string, unknown>> {
  const { instance, memory } = await instanceFor(process)
  let result: Record<string, unknown>
  try {
    result = await instance.handle(memory, moduleMessage(message), env)
  } catch (thrown) {
    dropInstance(process)
    return { Error: String(thrown) }
  }
  instance.heap = result.Memory as ArrayBuffer
  const failed = result.Error !== undefined && result.Error !== null
  if (keep && !failed) process.image = takeImage(instance.heap, process.image ?? baseImage)
  // The memory goes back to the image either way; the compute unit boots a new instance from it on an Error, which
  // holds the same bytes, so the instance is reused unless the heap grew.
  else if (!restoreInPlace(instance.heap, process.image)) dropInstance(process)
  return pick(result)
}

/** aokit's read walker (harness/lua/plain.lua), the same text the runtime runs at boot. */
const PLAIN_SOURCE = readFileSync(fileURLToPath(new URL('../../lua/plain.lua', import.meta.url)), 'utf8')

/** Lua for a read: the global at a dotted path, as JSON of plain data (functions and the like as "<function>"). */
function readSource(path: string): string {
  return `local plain = (function()
${PLAIN_SOURCE}
end)()
local value = _G
for key in (${JSON.stringify(path)}):gmatch('[^.]+') do
  if type(value) ~= 'table' then value = nil break end
  value = rawget(value, key)
end
return '${READ_MARK}' .. require('json').encode({ value = plain(value) })`
}
const READ_MARK = 'aokit-read:'

async function read(process: Process, path: string, env: { Process: { Id: string; Owner: string } }): Promise<unknown> {
  const message = {
    Id: 'aokit-read',
    Owner: env.Process.Owner,
    From: env.Process.Owner,
    Target: env.Process.Id,
    Tags: [{ name: 'Action', value: 'Eval' }],
    Data: readSource(path),
    Cron: false,
    'Read-Only': true,
  }
  const result = await run(process, message, env, false)
  const output = result.Output as { data?: unknown } | undefined
  const data = typeof output?.data === 'string' ? output.data : ''
  const at = data.indexOf(READ_MARK)
  if (result.Error !== undefined || at < 0) throw new Error(`reading ${path} failed: ${String(result.Error ?? data)}`)
  return (JSON.parse(data.slice(at + READ_MARK.length)) as { value?: unknown }).value ?? null
}

function processOf(id: string): Process {
  const found = processes.get(id)
  if (!found) throw new Error(`the aos engine holds no process ${id}`)
  return found
}

async function serve(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      processes.set(request.pid, { image: undefined, memoryLimit: request.memoryLimit, instance: undefined, stale: false })
      return null
    case 'evaluate':
      return run(processOf(request.pid), request.message, request.env, true)
    case 'dryRun':
      return run(processOf(request.pid), request.message, request.env, false)
    case 'read':
      return read(processOf(request.pid), request.path, request.env)
    case 'snapshot':
      snapshots.set(request.sid, processOf(request.pid).image)
      return null
    case 'revert': {
      const process = processOf(request.pid)
      if (!snapshots.has(request.sid)) throw new Error(`the aos engine holds no snapshot ${request.sid}`)
      process.image = snapshots.get(request.sid)
      if (process.instance) process.stale = !restoreInPlace(process.instance.heap, process.image)
      return null
    }
    case 'fork':
      processes.set(request.pid, { image: processOf(request.from).image, memoryLimit: request.memoryLimit, instance: undefined, stale: false })
      return null
    case 'drop':
      for (const pid of request.pids) {
        const process = processes.get(pid)
        if (process) dropInstance(process)
        processes.delete(pid)
      }
      for (const sid of request.sids) snapshots.delete(sid)
      return null
  }
}

// One request at a time, in arrival order: the host relies on that order (a snapshot before the next message).
let tail: Promise<unknown> = Promise.resolve()
process.on('message', (request: WorkerRequest) => {
  tail = tail.then(async () => {
    let reply: WorkerReply
    try {
      reply = { id: request.id, ok: true, value: await serve(request) }
    } catch (error) {
      reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    process.send!(reply)
  })
})
// The host went away (its process ended): nothing is left to serve.
process.on('disconnect', () => process.exit(0))
process.send!({ id: 0, ok: true, value: 'ready' } satisfies WorkerReply)
