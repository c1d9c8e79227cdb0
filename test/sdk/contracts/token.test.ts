import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { ContractActionError } from '../../../sdk/actions/errors.js'
import { createClient } from '../../../sdk/client.js'
import { InvalidQuantityError } from '../../../sdk/contracts/errors.js'
import { token } from '../../../sdk/contracts/token.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork, type TestNetwork } from '../../../harness/testing/testNetwork.js'
import { fakeSign, fakeSigner } from '../actions/fakeSign.js'

const TOKEN = readFileSync(new URL('../../../contracts/token.lua', import.meta.url), 'utf8')

describe('token contract client', () => {
  let tn: TestNetwork
  let alice: string
  let bob: string
  let pid: string
  let asAlice: ReturnType<typeof token>

  beforeEach(async () => {
    tn = createTestNetwork()
    alice = tn.wallet('alice')
    bob = tn.wallet('bob')
    pid = await tn.spawn({ name: 'token', source: TOKEN })
    await tn.setState(pid, { Balances: { [alice]: '1000' }, TotalSupply: '1000' })
    const client = createClient({ transport: local(tn), signer: fakeSigner(alice), sign: fakeSign(alice) })
    asAlice = token(client, pid)
  })

  it('info parses name (aos sets it from the Name tag), ticker and denomination', async () => {
    expect(await asAlice.info()).to.deep.equal({ name: 'token', ticker: 'PNTS', logo: 'SBCCXwwecBlDqRLUjb8dYABExTJXLieawf7m2aBJ-KY', denomination: 12 })
  })

  it('info reads a reply whose tags are lower case, as the current aos token blueprint sends them', async () => {
    await tn.eval(pid, `Handlers.remove('info')
Handlers.add('info', 'Info', function(msg) msg.reply({ name = 'Lower', ticker = 'LOW', logo = 'l', denomination = '6' }) end)`)
    expect(await asAlice.info()).to.deep.equal({ name: 'Lower', ticker: 'LOW', logo: 'l', denomination: 6 })
  })

  it('balance and balances are bigint', async () => {
    expect(await asAlice.balance()).to.equal(1000n)
    expect(await asAlice.balance({ account: bob })).to.equal(0n)
    expect(await asAlice.balances()).to.deep.equal({ [alice]: 1000n })
    expect(await asAlice.totalSupply()).to.equal(1000n)
  })

  it('transfer moves the balance', async () => {
    const id = await asAlice.transfer({ recipient: bob, quantity: 250n })
    expect(id).to.equal(`fake-${alice.slice(0, 6)}-1`)
    expect(await asAlice.balances()).to.deep.equal({ [alice]: 750n, [bob]: 250n })
  })

  it('a transfer over the balance throws ContractActionError (Transfer-Error) and moves nothing', async () => {
    try {
      await asAlice.transfer({ recipient: bob, quantity: 5000n })
      expect.fail('should throw')
    } catch (error) {
      expect(error).to.be.instanceOf(ContractActionError)
      expect(error).to.include({ replyAction: 'Transfer-Error', error: 'Insufficient Balance!' })
    }
    expect(await asAlice.balance()).to.equal(1000n)
  })

  it('mint from a wallet throws ContractActionError (Mint-Error)', async () => {
    try {
      await asAlice.mint({ quantity: 1n })
      expect.fail('should throw')
    } catch (error) {
      expect(error).to.be.instanceOf(ContractActionError)
      expect((error as ContractActionError).replyAction).to.equal('Mint-Error')
    }
  })

  it('burn lowers the balance', async () => {
    await asAlice.burn({ quantity: 100n })
    expect(await asAlice.balance()).to.equal(900n)
  })

  it('rejects a quantity that is not positive before sending', async () => {
    const error = await asAlice.transfer({ recipient: bob, quantity: 0n }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(InvalidQuantityError).and.include({ field: 'Quantity', value: '0' })
    expect((error as InvalidQuantityError).message).to.equal('Quantity: "0" is not greater than 0.')
    expect(await asAlice.balance()).to.equal(1000n)
  })
})
