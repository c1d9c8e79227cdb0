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

/** Quotes a tag name for an error message, shortened so a 5 KB name does not flood the log. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)
}

/** What broke a tag limit: the number of tags, one tag's name or value (in bytes), or all tags encoded (bytes). */
export type TagLimitField =
  | { field: 'count'; count: number }
  | { field: 'name'; name: string; bytes: number }
  | { field: 'value'; name: string; bytes: number }
  | { field: 'encoded'; bytes: number }

function tagLimitSubject(over: TagLimitField): string {
  switch (over.field) {
    case 'count':
      return `Message has ${over.count} tags`
    case 'name':
      return `Tag name ${quoteName(over.name)} is ${over.bytes} bytes`
    case 'value':
      return `Tag ${quoteName(over.name)} value is ${over.bytes} bytes`
    case 'encoded':
      return `Tags encode to ${over.bytes} bytes`
  }
}

/** A message breaks an ANS-104 tag rule: too many tags, or a name/value/total over its byte limit. */
export class TagLimitError extends AokitError {
  override name = 'TagLimitError'
  /** Which limit: the tag count, a name's bytes, a value's bytes, or the encoded tags' bytes. */
  readonly field: TagLimitField['field']
  readonly limit: number
  constructor(over: TagLimitField, limit: number, options: AokitErrorOptions = {}) {
    super(`${tagLimitSubject(over)}; the limit is ${limit}.`, options)
    this.field = over.field
    this.limit = limit
  }
}

/**
 * What is wrong with tags: not a list or map; a list entry that is not `{ name, value }`; a name that is not a
 * non-empty string; a value that is empty or of a type a tag cannot carry; for a HyperBEAM dry-run, a character the
 * URL path cannot carry or a path segment over its limit.
 */
export type InvalidTag =
  | { tags: unknown }
  | { index: number; entry: unknown }
  | { index: number; name: unknown; limit: number }
  | { name: string; value: unknown; limit: number }
  | { name: string; pathPart: 'name' | 'value'; text: string }
  | { pathBytes: number; limit: number; names: string[] }

/** How a value is named in a message: its kind, not its content. */
function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}

function invalidTagText(problem: InvalidTag): { message: string; details?: string } {
  if ('tags' in problem) return { message: `Tags are ${kindOf(problem.tags)}; expected a tag list or a map of names to values.` }
  if ('entry' in problem) return { message: `Tag #${problem.index} is ${kindOf(problem.entry)}; expected { name, value }.` }
  if ('pathPart' in problem) {
    return {
      message: `Tag ${JSON.stringify(problem.name)}: its ${problem.pathPart} holds a character a HyperBEAM dry-run path cannot carry`,
      details: `mainnet dry-run tags go in the URL path, where / & = ~ are syntax; got ${JSON.stringify(problem.text.slice(0, 80))}`,
    }
  }
  if ('pathBytes' in problem) {
    return {
      message: `The dry-run's tags make a ${problem.pathBytes}-byte path segment; HyperBEAM takes at most ${problem.limit}`,
      details: `tags: ${problem.names.join(', ')}`,
    }
  }
  if ('index' in problem) {
    return typeof problem.name === 'string'
      ? { message: `Tag #${problem.index} name is empty; names must be 1 to ${problem.limit} bytes.` }
      : { message: `Tag #${problem.index} name is ${kindOf(problem.name)}; tag names must be strings.` }
  }
  return problem.value === ''
    ? { message: `Tag ${quoteName(problem.name)} value is empty; values must be 1 to ${problem.limit} bytes.` }
    : { message: `Tag ${quoteName(problem.name)} value is ${kindOf(problem.value)}; tag values must be strings, numbers, booleans or bigints.` }
}

/** A tag is not a non-empty string name with a non-empty string-like value (see InvalidTag). */
export class InvalidTagError extends AokitError {
  override name = 'InvalidTagError'
  constructor(readonly problem: InvalidTag, options: AokitErrorOptions = {}) {
    const { message, details } = invalidTagText(problem)
    super(message, { ...options, details: options.details ?? details })
  }
}

/** What is wrong with a target: not an id (the value given), or missing on an item an operation sends. */
export type InvalidTarget = { target: unknown } | { missingIn: { operation: string; item: string } }

/** A target is not a 43-character base64url id (32 bytes). */
export class InvalidTargetError extends AokitError {
  override name = 'InvalidTargetError'
  constructor(problem: InvalidTarget, options: AokitErrorOptions = {}) {
    if ('missingIn' in problem) {
      const { operation, item } = problem.missingIn
      super(`target: a ${operation} item needs a target process; item ${item} has none.`, options)
    } else {
      const { target } = problem
      const shown = typeof target === 'string' ? JSON.stringify(target) : String(target)
      super(`Target ${shown} is not a 43-character base64url id.`, options)
    }
  }
}

/** An anchor is not exactly 32 bytes (the ANS-104 wire field is fixed-size). */
export class InvalidAnchorError extends AokitError {
  override name = 'InvalidAnchorError'
  /** The anchor's size in bytes, or its type when it is not a string; `size` the only size it may have. */
  constructor(anchor: { bytes: number } | { type: string }, size: number, options: AokitErrorOptions = {}) {
    let message: string
    if ('type' in anchor) message = `Anchor is ${anchor.type}; it must be a string of exactly ${size} bytes.`
    else if (anchor.bytes > size) message = `Anchor is ${anchor.bytes} bytes; the limit is ${size}.`
    else message = `Anchor is ${anchor.bytes} bytes; it must be exactly ${size}.`
    super(message, options)
  }
}

/** Data is larger than aokit's limit for one data item. */
export class DataSizeError extends AokitError {
  override name = 'DataSizeError'
  /** The data's size in bytes (over `limit`, in bytes), or its type when it is neither a string nor bytes. */
  constructor(data: { bytes: number; limit: number } | { type: string }, options: AokitErrorOptions = {}) {
    if ('type' in data) super(`Data is ${data.type}; it must be a string or a Uint8Array.`, options)
    else super(`Data is ${data.bytes} bytes; the limit is ${data.limit} (${data.limit / 2 ** 20} MiB).`, options)
  }
}

/** A signer is misconfigured or returned something that is not a valid signature / data item. */
export class SignerError extends AokitError {
  override name = 'SignerError'
  constructor(readonly problem: SignerProblem, options: AokitErrorOptions = {}) {
    super(signerProblemText(problem), options)
  }
}

/**
 * What went wrong with a signer: its key (an Ethereum key that is not 32 bytes of hex, a JWK that is not an RSA
 * private key or not RSA-4096), what a wallet or provider answered (no account, a signature of the wrong type or
 * size, a key that is not the connected account's, a different target or data than asked for), or a signer object
 * whose type, key or signature does not fit ANS-104.
 */
export type SignerProblem =
  | { ethereumKey: 'not-32-bytes-hex' }
  | { arweaveJwk: 'not-rsa-private' }
  | { arweaveJwk: 'modulus'; bytes: number; expected: number }
  | { provider: 'no-account' }
  | { provider: 'signature-not-string' }
  | { signatureBytes: number; expected: number; type?: number }
  | { recoveredAddress: string; account: string }
  | { signerType: unknown }
  | { ownerBytes: number; type: number; expected: number }
  | { walletTarget: unknown; expected: unknown }
  | { walletData: 'different' }

function signerProblemText(problem: SignerProblem): string {
  if ('ethereumKey' in problem) return 'Ethereum private key must be 32 bytes of hex.'
  if ('arweaveJwk' in problem) {
    return problem.arweaveJwk === 'modulus'
      ? `Arweave JWK modulus is ${problem.bytes} bytes; it must be ${problem.expected} (RSA-4096).`
      : 'Arweave JWK must be an RSA private key (kty "RSA" with n, e and d).'
  }
  if ('provider' in problem) {
    return problem.provider === 'no-account' ? 'Ethereum provider returned no account from eth_requestAccounts.' : 'Ethereum provider returned a non-string signature.'
  }
  if ('signatureBytes' in problem) {
    return problem.type === undefined
      ? `Ethereum signature is ${problem.signatureBytes} bytes; expected ${problem.expected}.`
      : `Signature is ${problem.signatureBytes} bytes; type ${problem.type} needs ${problem.expected}.`
  }
  if ('recoveredAddress' in problem) return `Recovered key belongs to ${problem.recoveredAddress}, not the connected account ${problem.account}.`
  if ('signerType' in problem) return `Signer type ${String(problem.signerType)} is not supported; expected 1 (Arweave) or 3 (Ethereum).`
  if ('ownerBytes' in problem) return `Signer public key is ${problem.ownerBytes} bytes; type ${problem.type} needs ${problem.expected}.`
  if ('walletTarget' in problem) return `Wallet signed target ${String(problem.walletTarget)}; expected ${String(problem.expected)}.`
  return 'Wallet signed different data than requested.'
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
