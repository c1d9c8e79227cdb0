// An engine runs a network's Lua processes: aokit's own runtime in wasmoon (ProcessVm, the default), or the real aos
// module in a child process (harness/engines/aos). The network talks to both through these two interfaces.
import type { ProcessEvaluator } from '../network/evaluator.js'
import { ProcessVm, type AoEnv, type ProcessVmOptions } from './processVm.js'

export type EngineName = 'wasmoon' | 'aos'

/** One process on an engine: evaluate, dry-run, read, snapshot and revert (see ProcessEvaluator). */
export interface ProcessEngine extends ProcessEvaluator {
  /** Whether the process holds a live instance now. */
  readonly isLive: boolean
}

/** Makes and copies an engine's processes. */
export interface EngineFactory {
  readonly name: EngineName
  /** A process before its first message (its Process message). */
  create(env: AoEnv, options: ProcessVmOptions): Promise<ProcessEngine>
  /** Whether `vm` is a process of this engine (a mock is not). */
  owns(vm: ProcessEvaluator): vm is ProcessEngine
  /** A new process holding a copy of `source`'s current state. */
  fork(source: ProcessEngine, env: AoEnv, options: ProcessVmOptions): Promise<ProcessEngine>
}

/** aokit's runtime: ProcessVm in wasmoon. */
export const wasmoonEngine: EngineFactory = {
  name: 'wasmoon',
  create: (env, options) => ProcessVm.create(env, options),
  owns: (vm): vm is ProcessEngine => vm instanceof ProcessVm,
  fork: (source, env, options) => ProcessVm.fromSnapshot((source as ProcessVm).snapshot(), env, options),
}
