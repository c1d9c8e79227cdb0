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
