// aokit's public SDK surface, listed by name.
export { createClient, type Client, type CreateClientParameters, type SignFunction } from './client.js'
export { assign, type AssignParameters, type AssignReturnType } from './actions/assign.js'
export { dryrun, type DryrunParameters, type DryrunReturnType } from './actions/dryrun.js'
export { message, type MessageParameters, type MessageReturnType } from './actions/message.js'
export { monitor, type MonitorParameters, type MonitorReturnType } from './actions/monitor.js'
export { result, type ResultParameters, type ResultReturnType } from './actions/result.js'
export { results, type ResultsParameters, type ResultsReturnType } from './actions/results.js'
export {
  sendAndWait,
  type OutboxMessage,
  type ReplyPattern,
  type SendAndWaitParameters,
  type SendAndWaitReturnType,
  type WaitClock,
} from './actions/sendAndWait.js'
export { signItem } from './actions/signItem.js'
export { DEFAULT_SCHEDULER, spawn, type SpawnParameters, type SpawnReturnType } from './actions/spawn.js'
export { unmonitor, type UnmonitorParameters, type UnmonitorReturnType } from './actions/unmonitor.js'
export {
  ContractActionError,
  MissingSignerError,
  ProcessError,
  ReplyTimeoutError,
  ResultNotFoundError,
  ResultTimeoutError,
} from './actions/errors.js'
export { local, ownerAddress, type LocalTransportOptions } from './transports/local.js'
export {
  action,
  defineContract,
  tagOf,
  type ContractAction,
  type ContractInstance,
  type ContractOptions,
  type ContractReply,
} from './contracts/defineContract.js'
export { token, type TokenInfo } from './contracts/token.js'
export { AokitError, type AokitErrorOptions } from './errors.js'
export type { AoResult, DryrunRequest, ResultsPage, SignatureType, SignedDataItem, Signer, Tag, TagsInput, Transport } from './types.js'
