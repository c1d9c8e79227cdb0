// `aokit/devnet`: a local AO (the MU/CU/SU/gateway HTTP API over the in-memory network), durable in a data dir.
// It needs the optional peer dependency better-sqlite3; without it, opening a devnet throws MissingDependencyError.
export { startDevnetServer, type DevnetServer, type DevnetServerOptions } from './devnetServer.js'
export { Devnet, KNOWN_MODULES, LEGACYNET_ADDRESSES, type AcceptResult, type DevnetOptions } from './devnet.js'
export { devnetBanner } from './banner.js'
export { DataDirLockedError, DevnetLogCorruptError, DevnetStoreMissingError, ListenError, PortInUseError } from './errors.js'
export { InvalidOriginError } from './originPolicy.js'
export { MissingDependencyError } from '../../sdk/errors.js'
