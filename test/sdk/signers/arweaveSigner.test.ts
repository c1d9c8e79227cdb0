import { expect } from 'chai'
import { ArweaveSigner } from '@dha-team/arbundles'
import { arweaveSigner } from '../../../sdk/signers/arweaveSigner.js'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { SignerError } from '../../../sdk/errors.js'
import { arweave, testJwk } from '../helpers/keys.js'
import { expectArbundlesValid } from '../dataItem/createDataItem.test.js'
import type { JWKInterface } from 'arweave/node/lib/wallet.js'

describe('sdk/signers arweaveSigner', () => {
  let jwk: JWKInterface
  before(async () => {
    jwk = await testJwk()
  })

  it('has type 1, the 512-byte modulus as owner and the same address as arweave-js', async () => {
    const signer = arweaveSigner(jwk)
    expect(signer.type).to.equal(1)
    expect(signer.publicKey).to.have.length(512)
    expect(Buffer.from(signer.publicKey).toString('base64url')).to.equal(jwk.n)
    expect(signer.address).to.equal(await arweave.wallets.jwkToAddress(jwk))
    expect(Buffer.from(signer.publicKey).equals(new ArweaveSigner(jwk).publicKey)).to.equal(true)
  })

  it('produces RSA-PSS signatures arweave-js verifies', async () => {
    const message = new TextEncoder().encode('aokit')
    const signature = await arweaveSigner(jwk).sign(message)
    expect(signature).to.have.length(512)
    expect(await arweave.crypto.verify(jwk.n, message, signature)).to.equal(true)
  })

  it('signs data items arbundles verifies', async () => {
    const item = await createDataItem({ signer: arweaveSigner(jwk), tags: { Action: 'Eval' }, data: 'return 1' })
    await expectArbundlesValid(item)
    expect(item.owner).to.equal(jwk.n)
  })

  it('rejects a public-only or non-RSA JWK', () => {
    expect(() => arweaveSigner({ kty: 'RSA', n: jwk.n, e: jwk.e })).to.throw(SignerError, 'RSA private key')
    expect(() => arweaveSigner({ kty: 'EC', n: '', e: '' } as never)).to.throw(SignerError)
    expect(() => arweaveSigner({ ...jwk, n: 'AQAB' })).to.throw(SignerError, 'modulus is 3 bytes; it must be 512')
    // The problem as data too: what was wrong and what it must be.
    try {
      arweaveSigner({ ...jwk, n: 'AQAB' })
      expect.fail('a 3-byte modulus was accepted')
    } catch (error) {
      expect((error as SignerError).problem).to.deep.equal({ arweaveJwk: 'modulus', bytes: 3, expected: 512 })
    }
  })
})
