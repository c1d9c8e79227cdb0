// `aokit/runtime`: one AO process on aokit's aos runtime — evaluate, dry-run, limits, rollback — without a network.
export {
  ProcessVm,
  liveProcessCount,
  parseMemoryLimit,
  setMaxLiveProcesses,
  type AoEnv,
  type AoMessage,
  type AoOutboxMessage,
  type AoResult,
  type AoTag,
  type ProcessSnapshot,
  type ProcessVmOptions,
} from './processVm.js'
export { ComputeLimitError, MemoryLimitError, OutputLimitError, VmCrashError, VmSettingError } from './errors.js'
export { DEFAULT_COMPUTE_LIMIT, DEFAULT_MAX_OUTPUT } from './luaVm.js'
