// Test-only signing: items with a readable owner (a network wallet address) and a counter id; the local
// transport checks no signatures, so nothing else is needed.
import type { SignFunction } from '../../../sdk/client.js'
import type { Signer } from '../../../sdk/types.js'

export function fakeSign(address: string): SignFunction {
  let count = 0
  return async (item) => {
    count += 1
    return { id: `fake-${address.slice(0, 6)}-${count}`, raw: new Uint8Array(), owner: address, target: item.target, anchor: item.anchor, tags: item.tags, data: item.data }
  }
}

/** A signer that only carries an address (dry-runs and contracts read it; fakeSign does the signing). */
export function fakeSigner(address: string): Signer {
  return { type: 1, publicKey: new Uint8Array(), address, sign: async () => new Uint8Array() }
}
