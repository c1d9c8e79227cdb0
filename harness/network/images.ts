// Network images (see networkImage.ts): each process copied out as plain data, and a process restored from one.
import { checkpointBytes, type Checkpoint } from '../vm/luaVm.js'
import { ProcessVm, type ProcessSnapshot, type ProcessVmOptions } from '../vm/processVm.js'
import type { EngineName } from '../vm/processEngine.js'
import type { VirtualClock } from './clock.js'
import { ForkError } from './errors.js'
import { MockProcess } from './mockProcess.js'
import type { ProcessImage } from './networkImage.js'
import { copyCron, type NetworkProcess } from './networkTypes.js'
import { Scheduler } from './scheduler.js'
import type { ProcessEntry } from './snapshot.js'

/**
 * The processes of a snapshot copied out one at a time, in order. Throws ForkError on reaching a process whose
 * memory aokit does not hold (a mock, or one on another engine).
 */
export function* processImages(processes: readonly ProcessEntry[], engine: EngineName): Generator<ProcessImage> {
  for (const { process, vm, scheduler, published } of processes) {
    if (!(process.vm instanceof ProcessVm)) throw new ForkError(`Cannot image ${process.id}`, { details: process.vm instanceof MockProcess ? 'it is a mock' : `it runs on the ${engine} engine, whose memory stays in its child process` })
    yield {
      id: process.id,
      owner: process.owner,
      module: process.module,
      env: process.env,
      cron: copyCron(process.cron),
      scheduler,
      memory: checkpointBytes(committed(vm as ProcessSnapshot)),
      published: structuredClone(published),
    }
  }
}

/** The memory of a snapshot taken without `lazy` (nothing left to replay). */
function committed(snapshot: ProcessSnapshot): Checkpoint {
  if (snapshot.log.length > 0) throw new Error('a network image needs process snapshots taken with lazy: false')
  return snapshot.checkpoint
}

/** A process as an image saved it, on aokit's runtime; its scheduler goes on from the saved head. */
export async function restoreProcess(saved: ProcessImage, clock: VirtualClock, vmOptions: ProcessVmOptions): Promise<NetworkProcess> {
  const vm = await ProcessVm.fromMemory(saved.memory, saved.env, vmOptions)
  return {
    id: saved.id,
    owner: saved.owner,
    module: saved.module,
    env: saved.env,
    vm,
    scheduler: Scheduler.resume(saved.id, clock, saved.scheduler),
    cron: copyCron(saved.cron),
    // Images written before patch@1.0 have none.
    published: structuredClone(saved.published ?? {}),
  }
}
