// hostCrypto.ts: the host digests behind crypto.lua, including aos's padding quirks.
import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { blake2b } from '@noble/hashes/blake2.js'
import { blake2bAos, blake2bIsStandard, hostDigest } from '../../../harness/vm/hostCrypto.js'

const hex = (s: string): string => Buffer.from(s).toString('hex')
/** The bytes (i * 7 + 3) % 256, i = 1..n (the data used against the reference module). */
const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => ((i + 1) * 7 + 3) % 256))

describe('hostDigest', () => {
  it('sha2_256 of "abc" is ba7816bf…', () => {
    expect(hostDigest('sha2_256', hex('abc'))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  it('keccak512 of "" is 0eab42de…', () => {
    expect(hostDigest('keccak512', '')).to.equal('0eab42de4c3ceb9235fc91acffe746b29c29a8c366b7c60e4e67c466f36a4304c00fa9caf9d87976ba469bcbe06713b435f091ef2769fb160cdab33d3670680e')
  })
  it('sha2_512 follows the standard where aos\'s padding agrees (111 bytes)', () => {
    expect(hostDigest('sha2_512', pattern(111).toString('hex'))).to.equal(createHash('sha512').update(pattern(111)).digest('hex'))
  })
  it('sha2_512 departs from the standard at 112 bytes, as aos does', () => {
    expect(hostDigest('sha2_512', pattern(112).toString('hex')))
      .to.equal('8e63c38808e47ec888e377389df6f1d95a88e32c1e445335cc42da061e1896423dccd349b70c2d5cb519ccb0f3c657e2774091fac3a8df79e0424fb7dab75594')
  })
  it('sha3_512 departs from the standard at 71 bytes, as aos does', () => {
    expect(hostDigest('sha3_512', pattern(71).toString('hex')))
      .to.equal('99dd955f68a1df8f2d1c1a1aadcc19167e7a23c0d9b441d29d20423dc103c8547636f2d6c2ea1d18102042dc0294ce2351407c4953fe13cf2fd1ee9065b3d89e')
  })
  it('blake2b takes "outlen:keyhex" options', () => {
    expect(hostDigest('blake2b', hex('abc'), '16:' + hex('k'))).to.equal(Buffer.from(blake2b(Buffer.from('abc'), { dkLen: 16, key: Buffer.from('k') })).toString('hex'))
  })
  it('rejects an unknown algorithm', () => {
    expect(() => hostDigest('sha2_384', '')).to.throw("hostDigest: unknown algorithm 'sha2_384'")
  })
  it('rejects input that is not hex', () => {
    expect(() => hostDigest('md5', 'abc')).to.throw('hostDigest: input is not a hex string')
  })
  it('rejects a blake2b length above 64', () => {
    expect(() => hostDigest('blake2b', '', '65')).to.throw("hostDigest: blake2b outlen must be 1..64, got '65'")
  })
})

describe('blake2bAos (aos\'s step-by-step BLAKE2b)', () => {
  it('equals standard BLAKE2b for every length 0..300 but the non-zero multiples of 128 (unkeyed)', () => {
    // aos compresses a full 128-byte buffer as not last, then a final empty block: only those lengths differ.
    const differing: number[] = []
    for (let n = 0; n <= 300; n++) {
      const ours = Buffer.from(blake2bAos(pattern(n), 64, new Uint8Array(0))).toString('hex')
      if (ours !== Buffer.from(blake2b(pattern(n))).toString('hex')) differing.push(n)
    }
    expect(differing).to.deep.equal([128, 256])
    expect([0, 1, 127, 128, 129, 256, 300].filter((n) => !blake2bIsStandard(n, 0))).to.deep.equal([128, 256])
  })
  it('gives AO\'s value for 128 bytes, where the standard differs', () => {
    expect(Buffer.from(blake2bAos(pattern(128), 64, new Uint8Array(0))).toString('hex'))
      .to.equal('735ebaa61e6b01815def5ec99a6a52f5c3156aee5f37faa6746a9081fa6dc2344318635337f334b360e067c4b4f2b663d5ac14b8033094c32c03a43f9dcc15ac')
  })
})
