// `aokit/testing`: an in-memory AO network for contract tests, chai assertions for its results, traces, mocks.
export { createTestNetwork, TestNetwork, LuaEvalError, InvalidStatePathError, type SpawnOptions, type ResultsPage } from './testing/testNetwork.js'
export { aokitChai, type ChaiLike, type MessageMatch } from './testing/chai.js'
export { formatTrace, type TraceOptions } from './testing/trace.js'
export { AoNetwork, AOS_MODULE, type AoNetworkOptions, type SendResult, type TagsInput, type NetworkProcess } from './network/network.js'
export type { NetworkSnapshot } from './network/snapshot.js'
export type { MockHandler, MockMessage, MockReply } from './network/mockProcess.js'
export { walk, tagMap, sentMessages, type MessageNode } from './network/messageTree.js'
export { ClockError, InvalidDurationError, parseDuration } from './network/clock.js'
export { DuplicateMessageError, ForkError, MessageLoopError, SpawnError, UnknownProcessError, type Hop } from './network/errors.js'
export type { AoEnv, AoMessage, AoOutboxMessage, AoResult, AoTag } from './vm/processVm.js'
export { networkErrors } from './network/messageTree.js'
export {
  CronBacklogError,
  InvalidSpawnTagError,
  NetworkOptionError,
  ProcessLimitError,
  SpawnLimitError,
} from './network/errors.js'
export { DEFAULT_LIMITS, validateSpawnTags, type NetworkLimits } from './network/limits.js'
export type { Patch, PublishedState } from './network/patch.js'
