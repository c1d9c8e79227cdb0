// Errors of the command line itself; the exit code says which kind (see reportError.ts).
import { AokitError } from '../../sdk/errors.js'

/** The command line is wrong: an unknown command or flag, a missing argument, a bad value. Exit code 2. */
export class UsageError extends AokitError {
  override name = 'UsageError'
}

/** A command failed for a reason it can explain in its own words (a busy port, a locked data dir). Exit code 1. */
export class CommandError extends AokitError {
  override name = 'CommandError'
}
