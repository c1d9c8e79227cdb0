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
export { AOS_MODULE } from './constants.js'
export { DEFAULT_AUTHORITY, DEFAULT_SCHEDULER, spawn, type SpawnParameters, type SpawnReturnType } from './actions/spawn.js'
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
// Also at `aokit/mainnet`, its entry from when it loaded aoconnect.
export { mainnet, type MainnetResultsPage, type MainnetTransport, type MainnetTransportOptions } from './transports/mainnet.js'
export { legacy, type LegacyTransportOptions } from './transports/legacy.js'
export { ComputeUnitBusyError, NetworkError, TimeoutError, UnsupportedOperationError } from './transports/errors.js'
export { arweaveSigner, type ArweaveJwk, type ArweaveSignerParameters, type ArweaveSignerReturnType } from './signers/arweaveSigner.js'
export { ethereumSigner, publicKeyToEthereumAddress, type EthereumSignerParameters, type EthereumSignerReturnType } from './signers/ethereumSigner.js'
export {
  injectedEthereumSigner,
  type Eip1193Provider,
  type InjectedEthereumSignerParameters,
  type InjectedEthereumSignerReturnType,
} from './signers/injectedEthereumSigner.js'
export {
  arweaveWalletSigner,
  type ArweaveWalletDataItemSigner,
  type ArweaveWalletLike,
  type ArweaveWalletSignerParameters,
  type ArweaveWalletSignerReturnType,
} from './signers/arweaveWalletSigner.js'
export { createDataItem, type CreateDataItemParameters, type CreateDataItemReturnType, type DataItemSigner } from './dataItem/createDataItem.js'
export { parseDataItem, type ParseDataItemReturnType } from './dataItem/parseDataItem.js'
export { normalizeTags, type NormalizeTagsParameters, type NormalizeTagsReturnType } from './validation/normalizeTags.js'
export { validateMessage, type ValidateMessageParameters, type ValidateMessageReturnType } from './validation/validateMessage.js'
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
export { InvalidQuantityError } from './contracts/errors.js'
export {
  AokitError,
  DataSizeError,
  HttpError,
  InvalidAnchorError,
  InvalidDataItemError,
  InvalidEncodingError,
  InvalidTagError,
  InvalidTargetError,
  MissingDependencyError,
  SignerError,
  TagLimitError,
  type AokitErrorOptions,
  type HttpErrorOptions,
  type InvalidTarget,
  type TagLimitField,
} from './errors.js'
export type {
  AoResult,
  DryrunRequest,
  ResultsPage,
  SignatureType,
  SignedDataItem,
  Signer,
  SpawnDefaults,
  Tag,
  TagsInput,
  Transport,
  UnsignedItem,
} from './types.js'
