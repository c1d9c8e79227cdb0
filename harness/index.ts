// aokit's test harness: an in-memory AO network for mocha tests, and chai assertions for its results.
export { createTestNetwork, TestNetwork, LuaEvalError, type SpawnOptions, type ResultsPage } from './testing/testNetwork.js'
export { aokitChai, type MessageMatch } from './testing/chai.js'
export { formatTrace, type TraceOptions } from './testing/trace.js'
export { AoNetwork, type SendResult, type TagsInput, type NetworkProcess } from './network/network.js'
export type { NetworkSnapshot } from './network/snapshot.js'
export type { MockHandler, MockMessage, MockReply } from './network/mockProcess.js'
export { walk, tagMap, sentMessages, type MessageNode } from './network/messageTree.js'
