import { expect } from 'chai'
import { DataItem } from '@dha-team/arbundles'
import { Wallet } from 'ethers'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { parseDataItem } from '../../../sdk/dataItem/parseDataItem.js'
import { arweaveSigner } from '../../../sdk/signers/arweaveSigner.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { InvalidDataItemError, InvalidTagError, SignerError } from '../../../sdk/errors.js'
import type { Signer, SignedDataItem } from '../../../sdk/types.js'
import { ETH_PRIVATE_KEY, testJwk } from '../helpers/keys.js'

const PID = 'dP8rGJvFpA5t7KqLZ2y0cXw3mN6oQhSjUeViBbRsT1k'
const ANCHOR = '00000000000000000000000000000042'

/** Checks an item against arbundles: valid signature, same id, same fields. */
export async function expectArbundlesValid(item: SignedDataItem): Promise<DataItem> {
  const parsed = new DataItem(Buffer.from(item.raw))
  expect(await parsed.isValid(), 'arbundles isValid').to.equal(true)
  expect(parsed.id).to.equal(item.id)
  expect(parsed.owner).to.equal(item.owner)
  expect(parsed.tags).to.deep.equal(item.tags)
  expect(Buffer.from(parsed.rawData).equals(Buffer.from(item.data))).to.equal(true)
  expect(parsed.target).to.equal(item.target ?? '')
  // arbundles shows the anchor as base64url of its raw bytes; ours is the UTF-8 string that was sent.
  expect(Buffer.from(parsed.rawAnchor).toString()).to.equal(item.anchor ?? '')
  return parsed
}

describe('sdk/dataItem createDataItem', () => {
  const signers: Record<string, () => Signer> = {}
  before(async () => {
    const jwk = await testJwk()
    signers.arweave = () => arweaveSigner(jwk)
    signers.ethereum = () => ethereumSigner(ETH_PRIVATE_KEY)
  })

  for (const kind of ['arweave', 'ethereum']) {
    describe(`with the ${kind} signer`, () => {
      it('builds a full message (target, anchor, tags, data) that arbundles verifies, with the same id', async () => {
        const item = await createDataItem({
          signer: signers[kind]!(),
          target: PID,
          anchor: ANCHOR,
          tags: { Action: 'Transfer', Quantity: 100, 'Data-Protocol': 'ao' },
          data: 'hello ao ✓',
        })
        const parsed = await expectArbundlesValid(item)
        expect(parsed.signatureType).to.equal(kind === 'arweave' ? 1 : 3)
        expect(item.tags).to.deep.equal([
          { name: 'Action', value: 'Transfer' },
          { name: 'Quantity', value: '100' },
          { name: 'Data-Protocol', value: 'ao' },
        ])
        expect(item.id).to.match(/^[A-Za-z0-9_-]{43}$/)
      })

      it('builds a minimal item (no target, no anchor, no tags, empty data) that verifies', async () => {
        const item = await createDataItem({ signer: signers[kind]!(), tags: [] })
        await expectArbundlesValid(item)
        expect(item.target).to.equal(undefined)
        expect(item.anchor).to.equal(undefined)
      })

      it('takes binary data and duplicate tags, and parseDataItem reads it back', async () => {
        const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)
        const tags = [{ name: 'X', value: '1' }, { name: 'X', value: '2' }]
        const item = await createDataItem({ signer: signers[kind]!(), tags, data, target: PID })
        await expectArbundlesValid(item)
        const parsed = parseDataItem(item.raw)
        expect(parsed.id).to.equal(item.id)
        expect(parsed.tags).to.deep.equal(tags)
        expect(parsed.target).to.equal(PID)
        expect([...parsed.data]).to.deep.equal([...data])
      })
    })
  }

  it('validates before signing: an undefined tag value never reaches the signer', async () => {
    let called = false
    const signer: Signer = { ...ethereumSigner(ETH_PRIVATE_KEY), sign: async () => ((called = true), new Uint8Array(65)) }
    let error: unknown
    try {
      await createDataItem({ signer, tags: { Quantity: undefined } })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(InvalidTagError)
    expect(called).to.equal(false)
  })

  it('rejects a signer whose signature or key has the wrong length', async () => {
    const good = ethereumSigner(ETH_PRIVATE_KEY)
    const badSig: Signer = { ...good, sign: async () => new Uint8Array(64) }
    const badKey: Signer = { ...good, publicKey: new Uint8Array(33) }
    for (const [signer, message] of [
      [badSig, 'Signature is 64 bytes; type 3 needs 65.'],
      [badKey, 'Signer public key is 33 bytes; type 3 needs 65.'],
    ] as const) {
      let error: Error | undefined
      try {
        await createDataItem({ signer, tags: [] })
      } catch (e) {
        error = e as Error
      }
      expect(error).to.be.instanceOf(SignerError)
      expect(error!.message).to.equal(message)
    }
  })

  it('parseDataItem rejects truncated bytes and unknown signature types', async () => {
    const item = await createDataItem({ signer: ethereumSigner(ETH_PRIVATE_KEY), tags: { A: 'b' }, data: 'x' })
    expect(() => parseDataItem(item.raw.subarray(0, 100))).to.throw(InvalidDataItemError)
    const wrongType = Uint8Array.from(item.raw)
    wrongType[0] = 2
    expect(() => parseDataItem(wrongType)).to.throw(InvalidDataItemError, 'signature type 2 is not supported')
  })

  it('is deterministic for the Ethereum signer (RFC 6979): same input, same id', async () => {
    const make = () => createDataItem({ signer: ethereumSigner(new Wallet(ETH_PRIVATE_KEY)), tags: { A: '1' }, data: 'd' })
    expect((await make()).id).to.equal((await make()).id)
  })
})
