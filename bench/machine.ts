// The machine a run was measured on, for results.json and the README.
import { cpus, platform, release, totalmem } from 'node:os'

export type MachineInfo = { cpu: string; cores: number; totalMemoryBytes: number; node: string; os: string; date: string }

export function machineInfo(): MachineInfo {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    os: `${platform()} ${release()}`,
    // Benches are not tests: the wall clock dates the run.
    date: new Date().toISOString(),
  }
}

export function describeMachine(info: MachineInfo): string {
  return `${info.cpu}, ${info.cores} cores, ${(info.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, Node ${info.node}, ${info.os}, ${info.date}`
}
