// A message (or monitor) item names the process it goes to; every transport refuses one that does not.
import { InvalidTargetError } from '../errors.js'
import type { SignedDataItem } from '../types.js'

/**
 * The item's target process.
 *
 * @param operation what needs it (`message`, `monitor`), for the error.
 * @throws {InvalidTargetError} the item has no target.
 */
export function requireTarget(item: SignedDataItem, operation: string): string {
  if (!item.target) throw new InvalidTargetError({ missingIn: { operation, item: item.id } })
  return item.target
}
