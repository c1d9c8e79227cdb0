import { expect } from 'chai'
import { EthereumSigner } from '@dha-team/arbundles'
import { Wallet, verifyMessage } from 'ethers'
import { ethereumSigner, publicKeyToEthereumAddress } from '../../../sdk/signers/ethereumSigner.js'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { SignerError } from '../../../sdk/errors.js'
import { ETH_PRIVATE_KEY } from '../helpers/keys.js'
import { expectArbundlesValid } from '../dataItem/createDataItem.test.js'

describe('sdk/signers ethereumSigner', () => {
  const wallet = new Wallet(ETH_PRIVATE_KEY)

  it('has type 3, the 65-byte uncompressed key as owner and the EIP-55 address ethers derives', () => {
    for (const key of [ETH_PRIVATE_KEY, ETH_PRIVATE_KEY.slice(2), wallet]) {
      const signer = ethereumSigner(key)
      expect(signer.type).to.equal(3)
      expect(signer.publicKey).to.have.length(65)
      expect(signer.publicKey[0]).to.equal(4)
      expect(signer.address).to.equal(wallet.address)
      expect(signer.address).to.equal('0x2c7536E3605D9C16a7a3D7b1898e529396a65c23')
    }
    const random = Wallet.createRandom()
    expect(ethereumSigner(random.privateKey).address).to.equal(random.address)
    expect(publicKeyToEthereumAddress(ethereumSigner(random).publicKey)).to.equal(random.address)
  })

  it('owner equals arbundles EthereumSigner and the signature is the same EIP-191 personal_sign', async () => {
    const ours = ethereumSigner(ETH_PRIVATE_KEY)
    const theirs = new EthereumSigner(ETH_PRIVATE_KEY)
    expect(Buffer.from(ours.publicKey).equals(theirs.publicKey)).to.equal(true)
    const message = Uint8Array.from({ length: 48 }, (_, i) => i)
    const signature = await ours.sign(message)
    expect(signature).to.have.length(65)
    expect(Buffer.from(signature).equals(Buffer.from(await theirs.sign(message)))).to.equal(true)
    expect(verifyMessage(message, Buffer.from(signature).toString('hex').replace(/^/, '0x'))).to.equal(wallet.address)
  })

  it('signs data items arbundles verifies', async () => {
    const item = await createDataItem({
      signer: ethereumSigner(Wallet.createRandom()),
      target: 'x'.repeat(42) + 'w',
      tags: [{ name: 'Action', value: 'Ping' }],
      data: 'ping',
    })
    await expectArbundlesValid(item)
  })

  it('rejects a malformed private key', () => {
    expect(() => ethereumSigner('0x1234')).to.throw(SignerError, 'Ethereum private key must be 32 bytes of hex.')
  })
})
