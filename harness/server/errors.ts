// Errors the devnet answers with: an HTTP status and a JSON body `{ error, code }` that says why.
import { AokitError } from '../../sdk/errors.js'

export class HttpError extends AokitError {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    /** A stable machine-readable reason, e.g. `bad-signature`. */
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** 400: the request or its data item is wrong (layout, limits, signature, missing field). */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError'
  constructor(code: string, message: string) {
    super(400, code, message)
  }
}

/** 404: an unknown process or message. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
  constructor(code: string, message: string) {
    super(404, code, message)
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
