// `aokit/testing`: an in-memory AO network for contract tests, chai assertions for its results, traces, mocks.
export { createTestNetwork, TestNetwork, LuaEvalError, InvalidStatePathError, type SpawnOptions, type ResultsPage } from './testing/testNetwork.js'
export { aokitChai, type ChaiLike, type MessageMatch } from './testing/chai.js'
export { formatTrace, type TraceOptions } from './testing/trace.js'
export { collectCoverage, coverageReport, formatCoverageTable, formatLcov, writeCoverage, type CoverageReport, type FileCoverage } from './testing/coverage.js'
export { formatGasReport, type GasReport, type HandlerGas, type ProcessGas } from './testing/gasReport.js'
export { locateLuaError, errorLocationOf, type LuaLocation, type LineOrigins } from './testing/luaLocation.js'
export type { TestNetworkOptions } from './testing/testNetwork.js'
export type { WarningHandler } from './testing/lintTagNames.js'
export { DealError, type DealOptions } from './testing/deal.js'
export { loadFixture, AnonymousFixtureError, type Fixture, type FixtureOptions } from './testing/fixture.js'
export { checkInvariants } from './testing/invariant/checkInvariants.js'
export { InvariantError, InvariantOptionsError, type InvariantFailure } from './testing/invariant/invariantError.js'
export { historyReplayFile, IncompleteHistoryError } from './testing/invariant/historyReplayFile.js'
export type { ActionSpec, CheckInvariantsOptions, CheckInvariantsResult, Invariant, InvariantContext, Step, Tags, TagsArbitrary } from './testing/invariant/types.js'
export { AoNetwork, AOS_MODULE, type AoNetworkOptions, type SendResult, type TagsInput, type NetworkProcess } from './network/network.js'
export { SQLITE_MODULE, SQLITE_MODULES, type SqliteOptions } from './vm/sqlite/sqliteEngine.js'
export { SqliteLimitError } from './vm/sqlite/errors.js'
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
export { diffEngines, formatEngineDiff, replayOnAos, type DiffEnginesOptions, type EngineDiff, type EngineDifference } from './engines/diffEngines.js'
export { InvalidEngineError, ENGINE_NAMES } from './engines/engineName.js'
export { AosModuleMissingError } from './engines/aos/aosModule.js'
export { AosEngineError } from './engines/aos/aosHost.js'
export type { EngineName } from './vm/processEngine.js'
