import { AokitError } from '../../../sdk/errors.js'

/** A message's SQL went past a limit of the process's SQLite engine (compute, size, statements) or trapped it. */
export class SqliteLimitError extends AokitError {
  override name = 'SqliteLimitError'
}
