import { expect } from 'chai'
import { ArweaveSigner, createData } from '@dha-team/arbundles'
import { arweaveWalletSigner, type ArweaveWalletLike } from '../../../sdk/signers/arweaveWalletSigner.js'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { InvalidTagError, SignerError } from '../../../sdk/errors.js'
import { testJwk } from '../helpers/keys.js'
import { expectArbundlesValid } from '../dataItem/createDataItem.test.js'
import type { JWKInterface } from 'arweave/node/lib/wallet.js'

/** A stub `window.arweaveWallet` that signs with arbundles' ArweaveSigner, as the extension does. */
function stubWallet(jwk: JWKInterface, tamper?: (data: Uint8Array) => Uint8Array) {
  const requests: unknown[] = []
  const wallet: ArweaveWalletLike = {
    async signDataItem(item) {
      requests.push(item)
      const item2 = createData(tamper ? tamper(item.data as Uint8Array) : item.data, new ArweaveSigner(jwk), {
        tags: item.tags,
        target: item.target,
        anchor: item.anchor,
      })
      await item2.sign(new ArweaveSigner(jwk))
      return item2.getRaw().buffer.slice(item2.getRaw().byteOffset, item2.getRaw().byteOffset + item2.getRaw().byteLength) as ArrayBuffer
    },
  }
  return { wallet, requests }
}

describe('sdk/signers arweaveWalletSigner', () => {
  let jwk: JWKInterface
  before(async () => {
    jwk = await testJwk()
  })

  it('passes the validated message to signDataItem and returns an item arbundles verifies', async () => {
    const { wallet, requests } = stubWallet(jwk)
    const item = await createDataItem({
      signer: arweaveWalletSigner(wallet),
      target: 'x'.repeat(42) + 'w',
      anchor: 'a'.repeat(32),
      tags: { Action: 'Transfer', Quantity: 5 },
      data: 'hi',
    })
    await expectArbundlesValid(item)
    expect(item.owner).to.equal(jwk.n)
    expect(item.tags).to.deep.equal([
      { name: 'Action', value: 'Transfer' },
      { name: 'Quantity', value: '5' },
    ])
    expect(requests).to.have.length(1)
    expect((requests[0] as { tags: unknown }).tags).to.deep.equal(item.tags)
  })

  it('validates before calling the extension', async () => {
    const { wallet, requests } = stubWallet(jwk)
    let error: unknown
    try {
      await createDataItem({ signer: arweaveWalletSigner(wallet), tags: { Quantity: undefined } })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(InvalidTagError)
    expect(requests).to.have.length(0)
  })

  it('rejects an item whose data differs from the request', async () => {
    const { wallet } = stubWallet(jwk, () => new TextEncoder().encode('other'))
    let error: unknown
    try {
      await createDataItem({ signer: arweaveWalletSigner(wallet), tags: [], data: 'mine' })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(SignerError)
  })
})
