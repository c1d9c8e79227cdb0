// Errors the devnet answers with: an HTTP status and a JSON body `{ error, code }` that says why.
import { AokitError, HttpError } from '../../sdk/errors.js'

/** The one HttpError (sdk/errors.ts) with the status and `code` the devnet answers with. */
export function httpError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, message, { code })
}

/** 400: the request or its data item is wrong (layout, limits, signature, missing field). */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError'
  constructor(code: string, message: string) {
    super(400, message, { code })
  }
}

/** 404: an unknown process or message. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
  constructor(code: string, message: string) {
    super(404, message, { code })
  }
}

/** 403: a browser page on an origin the devnet does not allow (see `cors`); a web page must not drive a local devnet. */
export class ForbiddenOriginError extends HttpError {
  override name = 'ForbiddenOriginError'
  constructor(readonly origin: string) {
    super(403, `Origin: ${origin} may not call this devnet; start it with --cors ${origin} to allow it`, { code: 'origin-not-allowed' })
  }
}

/** 405: a known path asked with a method it does not take. */
export class MethodNotAllowedError extends HttpError {
  override name = 'MethodNotAllowedError'
  constructor(
    method: string,
    path: string,
    /** The methods the path takes, for the Allow header. */
    readonly allow: readonly string[],
  ) {
    super(405, `method: ${path} takes ${allow.join(', ')}, not ${method}`, { code: 'method-not-allowed' })
  }
}

/** The devnet's port is taken (EADDRINUSE): another server, or another devnet, listens there. */
export class PortInUseError extends AokitError {
  override name = 'PortInUseError'
  constructor(
    readonly host: string,
    readonly port: number,
    options: { cause?: unknown } = {},
  ) {
    super(`Port ${port} on ${host} is already in use.`, options)
  }
}

/** The devnet cannot listen for another reason than a busy port: no permission (EACCES), an address not on this machine. */
export class ListenError extends AokitError {
  override name = 'ListenError'
  constructor(
    readonly host: string,
    readonly port: number,
    /** The system's error code, e.g. `EACCES`. */
    readonly code: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Cannot listen on ${host}:${port}: ${LISTEN_REASONS[code] ?? code}.`, options)
  }
}

const LISTEN_REASONS: Record<string, string> = {
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: "the address is not one of this machine's",
  ENOTFOUND: 'the host name does not resolve',
}

/** Another devnet, alive, holds the data dir's lock: two writers would interleave one log. */
export class DataDirLockedError extends AokitError {
  override name = 'DataDirLockedError'
  constructor(
    readonly dataDir: string,
    /** The process that holds the lock. */
    readonly pid: number,
    /** The lock file; delete it only if no devnet runs there. */
    readonly lockFile: string,
  ) {
    super(`Data dir ${dataDir} is in use by a running devnet (pid ${pid}).`)
  }
}

/**
 * A data dir a devnet has used (its marker, WAL or image files are there) lacks its database, or holds an empty
 * one: starting would silently give an empty devnet. Restore the file, or start fresh in another (or emptied) dir.
 */
export class DevnetStoreMissingError extends AokitError {
  override name = 'DevnetStoreMissingError'
  constructor(
    readonly dataDir: string,
    /** The database file that is missing or empty. */
    readonly file: string,
    readonly reason: 'missing' | 'empty',
  ) {
    super(`${file} is ${reason}, but data dir ${dataDir} was used by a devnet.`, {
      details: `restore ${file} from a backup, or start fresh: pass another --data-dir, or delete ${dataDir}.`,
    })
  }
}

/**
 * The devnet's log cannot be trusted: a sequence gap, an entry that breaks the hash chain, or a stored image that
 * stands beyond the log's end. Replaying it would drop or change acknowledged inputs, so the devnet refuses to start.
 */
export class DevnetLogCorruptError extends AokitError {
  override name = 'DevnetLogCorruptError'
  constructor(
    /** The database file. */
    readonly file: string,
    /** The log entry where the damage was found. */
    readonly seq: number,
    reason: string,
  ) {
    super(`${file}: log entry ${seq} ${reason}.`, {
      details: `the log cannot be replayed; restore ${file} from a backup, or start fresh in another --data-dir.`,
    })
  }
}

/** A stored image fails its checks (a missing part, a checksum, its digest, its head): the devnet skips it, with a warning. */
export class DevnetImageError extends AokitError {
  override name = 'DevnetImageError'
  constructor(
    /** The log entry the image stands at. */
    readonly seq: number,
    /** What is wrong, e.g. `part 2 fails its sha256 check`. */
    readonly reason: string,
  ) {
    super(reason)
  }
}
