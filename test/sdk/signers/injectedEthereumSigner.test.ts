import { expect } from 'chai'
import { Wallet, getBytes } from 'ethers'
import { injectedEthereumSigner, PUBLIC_KEY_MESSAGE, type Eip1193Provider } from '../../../sdk/signers/injectedEthereumSigner.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { SignerError } from '../../../sdk/errors.js'
import { ETH_PRIVATE_KEY } from '../helpers/keys.js'
import { expectArbundlesValid } from '../dataItem/createDataItem.test.js'

/** A stub EIP-1193 provider backed by an ethers wallet, recording calls. */
function stubProvider(wallet: Wallet, account = wallet.address) {
  const calls: { method: string; params?: unknown[] }[] = []
  const provider: Eip1193Provider = {
    async request({ method, params }) {
      calls.push({ method, params })
      if (method === 'eth_requestAccounts') return [account.toLowerCase()]
      if (method === 'personal_sign') {
        const [hex, from] = params as [string, string]
        expect(from).to.equal(account)
        return wallet.signMessage(getBytes(hex))
      }
      throw new Error(`unexpected ${method}`)
    },
  }
  return { provider, calls }
}

describe('sdk/signers injectedEthereumSigner', () => {
  const wallet = new Wallet(ETH_PRIVATE_KEY)

  it('recovers the public key once and gives the same address and owner as the wallet', async () => {
    const { provider, calls } = stubProvider(wallet)
    const signer = await injectedEthereumSigner(provider)
    expect(signer.type).to.equal(3)
    expect(signer.address).to.equal(wallet.address)
    expect(Buffer.from(signer.publicKey).equals(Buffer.from(ethereumSigner(wallet).publicKey))).to.equal(true)
    expect(calls.map((c) => c.method)).to.deep.equal(['eth_requestAccounts', 'personal_sign'])
    expect(Buffer.from(getBytes(calls[1]!.params![0] as string)).toString()).to.equal(PUBLIC_KEY_MESSAGE)
  })

  it('signs data items arbundles verifies, identical to the local signer', async () => {
    const { provider, calls } = stubProvider(wallet)
    const signer = await injectedEthereumSigner(provider)
    const params = { target: 'x'.repeat(42) + 'w', tags: { Action: 'Balance' }, data: 'q' }
    const item = await createDataItem({ signer, ...params })
    await expectArbundlesValid(item)
    expect(item.id).to.equal((await createDataItem({ signer: ethereumSigner(wallet), ...params })).id)
    expect(calls).to.have.length(3) // no second key recovery
  })

  it('rejects a provider whose key does not belong to the connected account', async () => {
    const other = Wallet.createRandom()
    const { provider } = stubProvider(wallet, other.address)
    const signing: Eip1193Provider = {
      request: async (args) =>
        args.method === 'personal_sign'
          ? wallet.signMessage(getBytes((args.params as string[])[0]!))
          : provider.request(args),
    }
    let error: Error | undefined
    try {
      await injectedEthereumSigner(signing)
    } catch (e) {
      error = e as Error
    }
    expect(error).to.be.instanceOf(SignerError)
    expect(error!.message).to.equal(`Recovered key belongs to ${wallet.address}, not the connected account ${other.address}.`)
  })

  it('rejects a provider with no accounts', async () => {
    let error: unknown
    try {
      await injectedEthereumSigner({ request: async () => [] })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(SignerError)
  })
})
