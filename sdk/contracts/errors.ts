// Errors the contract clients throw; each names the field and what it must be.
import { AokitError } from '../errors.js'

/** A token quantity is not what the field needs: a reply's Balance that is no integer, a transfer of 0 or less. */
export class InvalidQuantityError extends AokitError {
  override name = 'InvalidQuantityError'
  constructor(readonly field: string, readonly value: string | undefined, expected: string) {
    super(`${field}: ${value === undefined ? 'missing' : JSON.stringify(value)} is not ${expected}.`)
  }
}
