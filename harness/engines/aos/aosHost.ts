// The host side of the aos engine: one child process per wasm module for the whole Node process, started on first
// use, unref'd (it never keeps Node alive) and killed when Node exits. Requests go in order over the IPC channel;
// the child answers them in that order.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { AokitError } from '../../../sdk/errors.js'
import type { AosModuleFiles } from './aosModule.js'
import type { RequestBody, WorkerReply, WorkerRequest } from './workerProtocol.js'

/** The aos engine's child process failed: it could not start, exited, or answered an error. */
export class AosEngineError extends AokitError {
  override name = 'AosEngineError'
}

const workerFile = fileURLToPath(new URL(`./aosWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url))
/** Running from source (tests under tsx): the child needs tsx too, found from the repository root. */
const fromSource = workerFile.endsWith('.ts')
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

export class AosHost {
  private child: ChildProcess | undefined
  private ready: Promise<void> | undefined
  private readonly pending = new Map<number, Pending>()
  private lastRequest = 0
  private lastName = 0
  /** An error a request nobody awaited (a snapshot, a drop) got; the next awaited request throws it. */
  private failure: Error | undefined
  private readonly dropped = { pids: [] as string[], sids: [] as string[] }
  /** Its child exited: the processes it held are gone, and a new host takes its place for new ones. */
  exited = false

  constructor(readonly files: AosModuleFiles) {}

  /** A name unique in this host for a process or a snapshot. */
  name(kind: 'p' | 's'): string {
    return `${kind}${++this.lastName}`
  }

  /** Sends a request and resolves with the child's answer. */
  async call(body: RequestBody): Promise<unknown> {
    await this.start()
    const failure = this.failure
    if (failure) {
      this.failure = undefined
      throw failure
    }
    this.flushDrops()
    return this.send(body)
  }

  /** Sends a request whose answer nobody awaits (the child still answers it, in order, before later ones). */
  post(body: RequestBody): void {
    this.call(body).catch((error: Error) => (this.failure ??= error))
  }

  /** Forgets a process or a snapshot the host no longer references; sent with the next request. */
  drop(kind: 'pids' | 'sids', name: string): void {
    this.dropped[kind].push(name)
  }

  private flushDrops(): void {
    const { pids, sids } = this.dropped
    if (pids.length === 0 && sids.length === 0) return
    this.dropped.pids = []
    this.dropped.sids = []
    void this.send({ op: 'drop', pids, sids }).catch(() => undefined)
  }

  private send(body: RequestBody): Promise<unknown> {
    const child = this.child!
    const id = ++this.lastRequest
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.hold(true)
      child.send({ ...body, id } as WorkerRequest, (error) => {
        if (error) this.settle({ id, ok: false, error: error.message })
      })
    })
  }

  private start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const child = fork(workerFile, [this.files.wasm, this.files.loader], {
        cwd: fromSource ? repoRoot : undefined,
        execArgv: ['--experimental-wasm-memory64', '--no-warnings', ...(fromSource ? ['--import', 'tsx'] : [])],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      })
      this.child = child
      const kill = () => child.kill()
      process.once('exit', kill)
      child.on('message', (reply: WorkerReply) => (reply.id === 0 ? resolve() : this.settle(reply)))
      child.on('error', (error) => reject(new AosEngineError('The aos engine could not start its child process', { cause: error })))
      child.on('exit', (code, signal) => {
        process.off('exit', kill)
        const error = new AosEngineError(`The aos engine's child process exited (${signal ?? `code ${code}`})`, { details: `module ${this.files.wasm}` })
        reject(error)
        for (const { reject: fail } of this.pending.values()) fail(error)
        this.pending.clear()
        // Processes lived in that child: this host cannot serve them again.
        this.failure = error
        this.exited = true
      })
      this.hold(true)
    }).finally(() => this.hold(this.pending.size > 0))
    return this.ready
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    this.hold(this.pending.size > 0)
    if (reply.ok) pending.resolve(reply.value)
    else pending.reject(new AosEngineError(`The aos engine failed: ${reply.error}`))
  }

  /** Keeps Node alive while an answer is awaited, and only then. */
  private hold(busy: boolean): void {
    const child = this.child
    if (!child) return
    if (busy) {
      child.ref()
      child.channel?.ref()
    } else {
      child.unref()
      child.channel?.unref()
    }
  }
}

const hosts = new Map<string, AosHost>()

/** The host for a module (one child per wasm file for the whole Node process). */
export function aosHost(files: AosModuleFiles): AosHost {
  const key = `${files.wasm}\n${files.loader}`
  let host = hosts.get(key)
  if (!host || host.exited) hosts.set(key, (host = new AosHost(files)))
  return host
}
