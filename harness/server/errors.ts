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

/** 409: the item was accepted before (same id); nothing is done twice. */
export class ConflictError extends HttpError {
  override name = 'ConflictError'
  constructor(code: string, message: string) {
    super(409, code, message)
  }
}
