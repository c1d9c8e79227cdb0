// Errors the actions throw; each names the id and the limit involved.
import { AokitError } from '../errors.js'

/** An action that signs was called on a client without a signer. */
export class MissingSignerError extends AokitError {
  override name = 'MissingSignerError'
  constructor(action: string) {
    super(`${action} needs a signer: pass one to createClient({ transport, signer }).`)
  }
}

/** The transport has no result for a message yet (or never saw it); sendAndWait polls past it. */
export class ResultNotFoundError extends AokitError {
  override name = 'ResultNotFoundError'
  constructor(readonly process: string, readonly messageId: string, options: { cause?: unknown } = {}) {
    super(`No result for message ${messageId} on process ${process}.`, options)
  }
}

/** sendAndWait gave up waiting for a message's result. */
export class ResultTimeoutError extends AokitError {
  override name = 'ResultTimeoutError'
  constructor(readonly messageId: string, readonly timeout: number, options: { cause?: unknown } = {}) {
    super(`No result for message ${messageId} within ${timeout} ms.`, { cause: options.cause })
  }
}

/** sendAndWait gave up waiting for a reply matching its pattern. */
export class ReplyTimeoutError extends AokitError {
  override name = 'ReplyTimeoutError'
  constructor(readonly messageId: string, readonly process: string, readonly timeout: number) {
    super(`No reply to message ${messageId} from process ${process} within ${timeout} ms.`)
  }
}

/** The process failed while evaluating a message (the result holds an Error). */
export class ProcessError extends AokitError {
  override name = 'ProcessError'
  constructor(readonly process: string, readonly messageId: string | undefined, error: unknown) {
    super(`Process ${process} failed on ${messageId ?? 'a dry-run'}.`, { details: typeof error === 'string' ? error : JSON.stringify(error) })
  }
}

/** A contract answered with an error reply (an Action ending in -Error, e.g. Transfer-Error). */
export class ContractActionError extends AokitError {
  override name = 'ContractActionError'
  constructor(readonly action: string, readonly replyAction: string, readonly error: string | undefined) {
    super(`${action} failed: ${replyAction}${error ? ` (${error})` : ''}.`)
  }
}
