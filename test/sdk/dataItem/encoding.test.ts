import { expect } from 'chai'
import { deepHash as arDeepHash } from '@dha-team/arbundles'
import { serializeTags as arSerializeTags } from '@dha-team/arbundles'
import { deepHash } from '../../../sdk/dataItem/deepHash.js'
import { deserializeTags, serializeTags } from '../../../sdk/dataItem/serializeTags.js'
import { fromBase64Url, toBase64Url } from '../../../sdk/dataItem/base64url.js'
import { InvalidEncodingError } from '../../../sdk/errors.js'

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)

describe('sdk/dataItem encoding', () => {
  it('base64url round-trips and matches Buffer for every length mod 3', () => {
    for (let n = 0; n < 70; n++) {
      const b = bytes(n)
      expect(toBase64Url(b)).to.equal(Buffer.from(b).toString('base64url'))
      expect([...fromBase64Url(toBase64Url(b))]).to.deep.equal([...b])
    }
    expect(() => fromBase64Url('ab*c', 'owner')).to.throw(InvalidEncodingError, 'owner: not base64url (character "*").')
    expect(() => fromBase64Url('abcde')).to.throw(InvalidEncodingError, 'value: not base64url (5 characters encode no whole bytes).')
  })

  it('deep-hash equals arbundles for blobs, empty values and nested lists', async () => {
    const inputs = [
      bytes(0),
      bytes(100),
      [bytes(1), bytes(0), [bytes(5), []], bytes(1000)],
    ]
    for (const input of inputs) {
      const ours = deepHash(input)
      const theirs = await arDeepHash(input as never)
      expect(Buffer.from(ours).toString('hex')).to.equal(Buffer.from(theirs).toString('hex'))
      expect(ours).to.have.length(48)
    }
  })

  it('Avro tag encoding equals arbundles and decodes back', () => {
    const cases = [
      [],
      [{ name: 'Action', value: 'Eval' }],
      [{ name: 'é', value: 'ü'.repeat(200) }, ...Array.from({ length: 70 }, (_, i) => ({ name: `T${i}`, value: `${i}` }))],
    ]
    for (const tags of cases) {
      const ours = serializeTags(tags)
      expect(Buffer.from(ours).toString('hex')).to.equal(Buffer.from(arSerializeTags(tags)).toString('hex'))
      expect(deserializeTags(ours)).to.deep.equal(tags)
    }
  })
})
