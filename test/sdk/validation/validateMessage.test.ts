import { expect } from 'chai'
import {
  AokitError,
  DataSizeError,
  InvalidAnchorError,
  InvalidTagError,
  InvalidTargetError,
  TagLimitError,
} from '../../../sdk/errors.js'
import { normalizeTags } from '../../../sdk/validation/normalizeTags.js'
import { validateMessage } from '../../../sdk/validation/validateMessage.js'
import { MAX_DATA_BYTES } from '../../../sdk/validation/limits.js'

const PID = 'x'.repeat(42) + 'w'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('sdk/validation', () => {
  describe('normalizeTags', () => {
    it('keeps list order and duplicates, and turns a map into a list', () => {
      expect(normalizeTags([{ name: 'A', value: '1' }, { name: 'A', value: '2' }])).to.deep.equal([
        { name: 'A', value: '1' },
        { name: 'A', value: '2' },
      ])
      expect(normalizeTags({ Action: 'Transfer', Recipient: PID })).to.deep.equal([
        { name: 'Action', value: 'Transfer' },
        { name: 'Recipient', value: PID },
      ])
      expect(normalizeTags(undefined)).to.deep.equal([])
    })

    it('converts numbers, booleans and bigints with String()', () => {
      expect(normalizeTags({ Quantity: 100, Flag: true, Big: 12345678901234567890n, F: 1.5 })).to.deep.equal([
        { name: 'Quantity', value: '100' },
        { name: 'Flag', value: 'true' },
        { name: 'Big', value: '12345678901234567890' },
        { name: 'F', value: '1.5' },
      ])
      expect(normalizeTags([{ name: 'N', value: 0 }])).to.deep.equal([{ name: 'N', value: '0' }])
    })

    for (const [label, value, shown] of [
      ['undefined', undefined, 'undefined'],
      ['null', null, 'null'],
      ['an object', { a: 1 }, 'an object'],
      ['an array', [1], 'an array'],
      ['a function', () => 1, 'function'],
    ] as const) {
      it(`rejects ${label} as a value with InvalidTagError naming the tag`, () => {
        const error = thrown(() => normalizeTags({ Quantity: value }))
        expect(error).to.be.instanceOf(InvalidTagError).and.instanceOf(AokitError)
        expect(error.name).to.equal('InvalidTagError')
        expect(error.message).to.equal(
          `Tag "Quantity" value is ${shown}; tag values must be strings, numbers, booleans or bigints.`,
        )
      })
    }

    it('rejects more than 128 tags with TagLimitError naming the limit', () => {
      const tags = Array.from({ length: 129 }, (_, i) => ({ name: `T${i}`, value: 'v' }))
      expect(normalizeTags(tags.slice(0, 128))).to.have.length(128)
      const error = thrown(() => normalizeTags(tags))
      expect(error).to.be.instanceOf(TagLimitError)
      expect(error.message).to.equal('Message has 129 tags; the limit is 128.')
    })

    it('limits values to 3072 UTF-8 bytes', () => {
      expect(normalizeTags({ Action: 'a'.repeat(3072) })[0]!.value).to.have.length(3072)
      const error = thrown(() => normalizeTags({ Action: 'a'.repeat(4000) }))
      expect(error).to.be.instanceOf(TagLimitError)
      expect(error.message).to.equal('Tag "Action" value is 4000 bytes; the limit is 3072.')
      // Counted in UTF-8 bytes, not characters: 1537 × "é" is 1537 chars but 3074 bytes.
      const multibyte = thrown(() => normalizeTags({ Name: 'é'.repeat(1537) }))
      expect(multibyte.message).to.equal('Tag "Name" value is 3074 bytes; the limit is 3072.')
    })

    it('limits names to 1024 UTF-8 bytes', () => {
      expect(normalizeTags({ ['n'.repeat(1024)]: 'v' })).to.have.length(1)
      const error = thrown(() => normalizeTags({ ['n'.repeat(1025)]: 'v' }))
      expect(error).to.be.instanceOf(TagLimitError)
      expect(error.message).to.equal(`Tag name "${'n'.repeat(40)}…" is 1025 bytes; the limit is 1024.`)
    })

    it('rejects empty names and values, and non-string names', () => {
      const emptyName = thrown(() => normalizeTags([{ name: '', value: 'v' }]))
      expect(emptyName).to.be.instanceOf(InvalidTagError)
      expect(emptyName.message).to.equal('Tag #0 name is empty; names must be 1 to 1024 bytes.')
      const emptyValue = thrown(() => normalizeTags({ Action: '' }))
      expect(emptyValue).to.be.instanceOf(InvalidTagError)
      expect(emptyValue.message).to.equal('Tag "Action" value is empty; values must be 1 to 3072 bytes.')
      // The problem as data, for code that reacts to it: which tag, what value, which limit.
      expect((emptyValue as InvalidTagError).problem).to.deep.equal({ name: 'Action', value: '', limit: 3072 })
      const numericName = thrown(() => normalizeTags([{ name: 5, value: 'v' }]))
      expect(numericName).to.be.instanceOf(InvalidTagError)
      expect(numericName.message).to.equal('Tag #0 name is number; tag names must be strings.')
      const notATag = thrown(() => normalizeTags([null as never]))
      expect(notATag.message).to.equal('Tag #0 is null; expected { name, value }.')
      expect((notATag as InvalidTagError).problem).to.deep.equal({ index: 0, entry: null })
      expect(thrown(() => normalizeTags('Action=Eval' as never)).message).to.equal('Tags are string; expected a tag list or a map of names to values.')
    })
  })

  describe('validateMessage', () => {
    it('returns normalized tags and data bytes', () => {
      const out = validateMessage({ target: PID, anchor: 'a'.repeat(32), tags: { Q: 1 }, data: 'hi' })
      expect(out.target).to.equal(PID)
      expect(out.anchor).to.equal('a'.repeat(32))
      expect(out.tags).to.deep.equal([{ name: 'Q', value: '1' }])
      expect([...out.data]).to.deep.equal([104, 105])
      expect(validateMessage({ tags: [] }).data).to.have.length(0)
    })

    it('requires target to be a 43-character base64url id', () => {
      // 'x' × 43 is 43 base64url characters but not a canonical 32-byte id (its last 2 bits are set).
      for (const target of ['short', PID + 'x', 'x'.repeat(42) + '+', 'x'.repeat(42) + '=', 'x'.repeat(43)]) {
        const error = thrown(() => validateMessage({ target, tags: [] }))
        expect(error).to.be.instanceOf(InvalidTargetError)
        expect(error.message).to.equal(`Target ${JSON.stringify(target)} is not a 43-character base64url id.`)
      }
      expect(validateMessage({ target: 'Ab-_' + '0'.repeat(39), tags: [] }).target).to.have.length(43)
    })

    it('limits the anchor to 32 bytes (and requires exactly 32, the fixed wire size)', () => {
      const long = thrown(() => validateMessage({ anchor: 'a'.repeat(33), tags: [] }))
      expect(long).to.be.instanceOf(InvalidAnchorError)
      expect(long.message).to.equal('Anchor is 33 bytes; the limit is 32.')
      const short = thrown(() => validateMessage({ anchor: 'abc', tags: [] }))
      expect(short).to.be.instanceOf(InvalidAnchorError)
      expect(short.message).to.equal('Anchor is 3 bytes; it must be exactly 32.')
    })

    it('bounds data at 10 MiB', () => {
      expect(validateMessage({ tags: [], data: new Uint8Array(MAX_DATA_BYTES) }).data).to.have.length(MAX_DATA_BYTES)
      const error = thrown(() => validateMessage({ tags: [], data: new Uint8Array(MAX_DATA_BYTES + 1) }))
      expect(error).to.be.instanceOf(DataSizeError)
      expect(error.message).to.equal('Data is 10485761 bytes; the limit is 10485760 (10 MiB).')
    })

    it('limits the encoded tag block to 4096 bytes (bundlers reject larger)', () => {
      const error = thrown(() => validateMessage({ tags: { A: 'a'.repeat(3000), B: 'b'.repeat(3000) } }))
      expect(error).to.be.instanceOf(TagLimitError)
      expect(error.message).to.match(/^Tags encode to 60\d\d bytes; the limit is 4096\.$/)
    })

    it('rejects an undefined tag value before signing', () => {
      expect(() => validateMessage({ tags: { Action: 'Transfer', Quantity: undefined } })).to.throw(
        InvalidTagError,
        'Tag "Quantity" value is undefined',
      )
    })
  })
})
