/** Options every aokit error takes: the underlying cause and a line of details naming the field or limit. */
export type AokitErrorOptions = { cause?: unknown; details?: string }

/** Base of every error aokit throws: a short message, an optional `cause`, and `details`. */
export class AokitError extends Error {
  override name = 'AokitError'
  readonly details?: string
  constructor(message: string, options: AokitErrorOptions = {}) {
    super(options.details ? `${message}\n\nDetails: ${options.details}` : message, { cause: options.cause })
    this.details = options.details
  }
  /** The message without the details line. */
  get shortMessage(): string {
    return this.message.split('\n\nDetails: ')[0]
  }
}

/** Options of {@link HttpError}: the URL asked, the body answered (an excerpt), a stable machine-readable code. */
export type HttpErrorOptions = AokitErrorOptions & { url?: string; body?: string; code?: string }

/**
 * An HTTP answer with a failure status: one a unit gave the SDK's transports (with its `url` and `body`), or one
 * the devnet answers its callers with (with a `code` such as `bad-signature`).
 */
export class HttpError extends AokitError {
  override name = 'HttpError'
  readonly url?: string
  /** The answer's body, or an excerpt of it; empty when there was none. */
  readonly body: string
  readonly code?: string
  constructor(readonly status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, { cause: options.cause, details: options.details })
    this.url = options.url
    this.body = options.body ?? ''
    this.code = options.code
  }
}

/** A message breaks an ANS-104 tag rule: too many tags, or a name/value/total over its byte limit. */
export class TagLimitError extends AokitError {
  override name = 'TagLimitError'
}

/** A tag is not a non-empty string name with a non-empty string-like value. */
export class InvalidTagError extends AokitError {
  override name = 'InvalidTagError'
}

/** A target is not a 43-character base64url id (32 bytes). */
export class InvalidTargetError extends AokitError {
  override name = 'InvalidTargetError'
}

/** An anchor is not exactly 32 bytes (the ANS-104 wire field is fixed-size). */
export class InvalidAnchorError extends AokitError {
  override name = 'InvalidAnchorError'
}

/** Data is larger than aokit's limit for one data item. */
export class DataSizeError extends AokitError {
  override name = 'DataSizeError'
}

/** A signer is misconfigured or returned something that is not a valid signature / data item. */
export class SignerError extends AokitError {
  override name = 'SignerError'
}

/** Raw bytes are not a well-formed ANS-104 data item. */
export class InvalidDataItemError extends AokitError {
  override name = 'InvalidDataItemError'
}

/** Text that should be base64url (an id, an owner, a key) is not: a character outside the alphabet, or a bad length. */
export class InvalidEncodingError extends AokitError {
  override name = 'InvalidEncodingError'
  constructor(readonly field: string, reason: string) {
    super(`${field}: not base64url (${reason}).`)
  }
}

/** A feature needs an optional peer dependency that is not installed (the devnet's better-sqlite3). */
export class MissingDependencyError extends AokitError {
  override name = 'MissingDependencyError'
  /** The npm package to install. */
  readonly packageName: string
  constructor(packageName: string, feature: string, options: AokitErrorOptions = {}) {
    super(`${feature} needs the package ${packageName}, which is not installed. Install it with: npm install --save-dev ${packageName}`, options)
    this.packageName = packageName
  }
}
