// Host side of `require('.crypto')` (spec §4): the digests aos's Lua crypto module computes, done in
// TypeScript. Each digest returns exactly what aos 2.0.6 returns, including the padding quirks of its
// pure-Lua implementations (which differ from the standards for some input lengths):
// - sha2_512 writes an 8-byte length after 128 - ((len + 9) % 128) zero bytes, so inputs whose
//   length mod 128 is 112..118 get a non-standard (short) padding;
// - sha3_* / keccak* add a whole extra block of padding when the input length is one short of a
//   multiple of the rate;
// - blake2b compresses a full last block as "not last" and then an empty final block (inputs whose
//   length is a non-zero multiple of 128, and every keyed hash of empty data).
import { createHash } from 'node:crypto'
import { Keccak } from '@noble/hashes/sha3.js'
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js'

/** The digest names crypto.lua passes (the keys of aos's `crypto.digest`). */
export const DIGESTS = [
  'md2', 'md4', 'md5', 'sha1', 'sha2_256', 'sha2_512',
  'sha3_256', 'sha3_512', 'keccak256', 'keccak512', 'blake2b',
] as const

/**
 * Digest of the bytes given as hex, as lower-case hex. `opts` is used by blake2b only:
 * `"<outlen>"` or `"<outlen>:<key hex>"` (outlen 1..64, default 64; key up to 64 bytes).
 */
export function hostDigest(alg: string, hexInput: string, opts?: string): string {
  const data = fromHex(hexInput)
  switch (alg) {
    case 'md2': return toHex(md2(data))
    case 'md4': return toHex(md4(data))
    case 'md5': return createHash('md5').update(data).digest('hex')
    case 'sha1': return createHash('sha1').update(data).digest('hex')
    case 'sha2_256': return createHash('sha256').update(data).digest('hex')
    case 'sha2_512': return toHex(aosSha512(data))
    case 'sha3_256': return toHex(aosKeccak(data, 136, 0x06, 32))
    case 'sha3_512': return toHex(aosKeccak(data, 72, 0x06, 64))
    case 'keccak256': return toHex(aosKeccak(data, 136, 0x01, 32))
    case 'keccak512': return toHex(aosKeccak(data, 72, 0x01, 64))
    case 'blake2b': {
      const { outlen, key } = blakeOpts(opts)
      return toHex(aosBlake2b(data, outlen, key))
    }
    default:
      throw new Error(`hostDigest: unknown algorithm '${alg}' (known: ${DIGESTS.join(', ')})`)
  }
}

function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('hostDigest: input is not a hex string')
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

function blakeOpts(opts: string | undefined): { outlen: number, key: Uint8Array } {
  const [len = '', keyHex = ''] = (opts ?? '').split(':')
  const outlen = len === '' ? 64 : Number(len)
  if (!Number.isInteger(outlen) || outlen < 1 || outlen > 64) throw new Error(`hostDigest: blake2b outlen must be 1..64, got '${len}'`)
  const key = fromHex(keyHex)
  if (key.length > 64) throw new Error('hostDigest: blake2b key longer than 64 bytes')
  return { outlen, key }
}

// ---- MD2 (RFC 1319) and MD4 (RFC 1320): node:crypto and @noble/hashes lack them ----

const MD2_S = Buffer.from(
  '292e43c9a2d87c013d3654a1ecf0061362a705f3c0c7738c98932bd9bc4c82ca1e9b573cfdd4e01667426f188a17e512be4ec4d6da9ede49a0fbf58ebb2fee7a' +
  'a968799115b2073f94c210890b225f21807f5d9a5a903227353ecce7bff79703ff1930b348a5b5d1d75e922aac56aac64fb838d296a47db676fc6be29c7404f1' +
  '459d705964718720865bcf65e62da8021b6025adaeb0b9f61c46616934407e0f5547a323dd51af3ac35cf9cebac5ea262c530d6e85288409d3dfcdf441814d52' +
  '6adc37c86cc1abfa24e17b080cbdb14a7888958be363e86de9cbd5fe3b001d39f2efb70e6658d0e4a67772f8eb754b0a314450b48fed1f1adb998d339f118314',
  'hex')

function md2(data: Uint8Array): Uint8Array {
  const padLen = 16 - (data.length % 16)
  const msg = new Uint8Array(data.length + padLen + 16)
  msg.set(data)
  msg.fill(padLen, data.length, data.length + padLen)
  const body = data.length + padLen
  const checksum = msg.subarray(body) // filled in place, then hashed as the last block
  let last = 0
  for (let i = 0; i < body; i += 16) {
    for (let j = 0; j < 16; j++) {
      checksum[j] ^= MD2_S[msg[i + j] ^ last]
      last = checksum[j]
    }
  }
  const x = new Uint8Array(48)
  for (let i = 0; i < msg.length; i += 16) {
    for (let j = 0; j < 16; j++) {
      x[16 + j] = msg[i + j]
      x[32 + j] = x[16 + j] ^ x[j]
    }
    let t = 0
    for (let j = 0; j < 18; j++) {
      for (let k = 0; k < 48; k++) t = x[k] ^= MD2_S[t]
      t = (t + j) & 0xff
    }
  }
  return x.slice(0, 16)
}

function md4(data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64)
  padded.set(data)
  padded[data.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, (data.length * 8) >>> 0, true)
  view.setUint32(padded.length - 4, Math.floor(data.length / 0x20000000), true)
  const rotl = (x: number, s: number): number => (x << s) | (x >>> (32 - s))
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
  const x = new Array<number>(16)
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(off + 4 * i, true)
    let [a, b, c, d] = h
    const f = (p: number, q: number, r: number): number => (p & q) | (~p & r)
    const g = (p: number, q: number, r: number): number => (p & q) | (p & r) | (q & r)
    const hh = (p: number, q: number, r: number): number => p ^ q ^ r
    for (const i of [0, 4, 8, 12]) {
      a = rotl((a + f(b, c, d) + x[i]) | 0, 3)
      d = rotl((d + f(a, b, c) + x[i + 1]) | 0, 7)
      c = rotl((c + f(d, a, b) + x[i + 2]) | 0, 11)
      b = rotl((b + f(c, d, a) + x[i + 3]) | 0, 19)
    }
    for (const i of [0, 1, 2, 3]) {
      a = rotl((a + g(b, c, d) + x[i] + 0x5a827999) | 0, 3)
      d = rotl((d + g(a, b, c) + x[i + 4] + 0x5a827999) | 0, 5)
      c = rotl((c + g(d, a, b) + x[i + 8] + 0x5a827999) | 0, 9)
      b = rotl((b + g(c, d, a) + x[i + 12] + 0x5a827999) | 0, 13)
    }
    for (const i of [0, 2, 1, 3]) {
      a = rotl((a + hh(b, c, d) + x[i] + 0x6ed9eba1) | 0, 3)
      d = rotl((d + hh(a, b, c) + x[i + 8] + 0x6ed9eba1) | 0, 9)
      c = rotl((c + hh(d, a, b) + x[i + 4] + 0x6ed9eba1) | 0, 11)
      b = rotl((b + hh(c, d, a) + x[i + 12] + 0x6ed9eba1) | 0, 15)
    }
    h[0] = (h[0] + a) | 0
    h[1] = (h[1] + b) | 0
    h[2] = (h[2] + c) | 0
    h[3] = (h[3] + d) | 0
  }
  const out = new Uint8Array(16)
  const outView = new DataView(out.buffer)
  h.forEach((w, i) => outView.setUint32(4 * i, w >>> 0, true))
  return out
}

// ---- SHA-512 with aos's padding ----

const MASK64 = (1n << 64n) - 1n
const SHA512_K = [
  '428a2f98d728ae22', '7137449123ef65cd', 'b5c0fbcfec4d3b2f', 'e9b5dba58189dbbc', '3956c25bf348b538', '59f111f1b605d019',
  '923f82a4af194f9b', 'ab1c5ed5da6d8118', 'd807aa98a3030242', '12835b0145706fbe', '243185be4ee4b28c', '550c7dc3d5ffb4e2',
  '72be5d74f27b896f', '80deb1fe3b1696b1', '9bdc06a725c71235', 'c19bf174cf692694', 'e49b69c19ef14ad2', 'efbe4786384f25e3',
  '0fc19dc68b8cd5b5', '240ca1cc77ac9c65', '2de92c6f592b0275', '4a7484aa6ea6e483', '5cb0a9dcbd41fbd4', '76f988da831153b5',
  '983e5152ee66dfab', 'a831c66d2db43210', 'b00327c898fb213f', 'bf597fc7beef0ee4', 'c6e00bf33da88fc2', 'd5a79147930aa725',
  '06ca6351e003826f', '142929670a0e6e70', '27b70a8546d22ffc', '2e1b21385c26c926', '4d2c6dfc5ac42aed', '53380d139d95b3df',
  '650a73548baf63de', '766a0abb3c77b2a8', '81c2c92e47edaee6', '92722c851482353b', 'a2bfe8a14cf10364', 'a81a664bbc423001',
  'c24b8b70d0f89791', 'c76c51a30654be30', 'd192e819d6ef5218', 'd69906245565a910', 'f40e35855771202a', '106aa07032bbd1b8',
  '19a4c116b8d2d0c8', '1e376c085141ab53', '2748774cdf8eeb99', '34b0bcb5e19b48a8', '391c0cb3c5c95a63', '4ed8aa4ae3418acb',
  '5b9cca4f7763e373', '682e6ff3d6b2b8a3', '748f82ee5defb2fc', '78a5636f43172f60', '84c87814a1f0ab72', '8cc702081a6439ec',
  '90befffa23631e28', 'a4506cebde82bde9', 'bef9a3f7b2c67915', 'c67178f2e372532b', 'ca273eceea26619c', 'd186b8c721c0c207',
  'eada7dd6cde0eb1e', 'f57d4f7fee6ed178', '06f067aa72176fba', '0a637dc5a2c898a6', '113f9804bef90dae', '1b710b35131c471b',
  '28db77f523047d84', '32caab7b40c72493', '3c9ebe0a15c9bebc', '431d67c49c100d4c', '4cc5d4becb3e42b6', '597f299cfc657e2a',
  '5fcb6fab3ad6faec', '6c44198c4a475817',
].map((h) => BigInt('0x' + h))
const SHA512_IV = [
  '6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1',
  '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179',
].map((h) => BigInt('0x' + h))

function aosSha512(data: Uint8Array): Uint8Array {
  // aos: msg .. "\128" .. ("\0"):rep(128 - ((len + 9) % 128)) .. (">I8"):pack(len * 8)
  const zeros = 128 - ((data.length + 9) % 128)
  const total = data.length + 1 + zeros + 8
  const standardTotal = Math.ceil((data.length + 17) / 128) * 128
  if (total === standardTotal) return createHash('sha512').update(data).digest() // same bytes
  const msg = new Uint8Array(total)
  msg.set(data)
  msg[data.length] = 0x80
  new DataView(msg.buffer).setBigUint64(total - 8, BigInt(data.length) * 8n)
  return sha512Blocks(msg)
}

function sha512Blocks(msg: Uint8Array): Uint8Array {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength)
  const rotr = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK64
  const h = SHA512_IV.slice()
  const w = new Array<bigint>(80)
  for (let off = 0; off < msg.length; off += 128) {
    for (let i = 0; i < 16; i++) w[i] = view.getBigUint64(off + 8 * i)
    for (let i = 16; i < 80; i++) {
      const s0 = rotr(w[i - 15], 1n) ^ rotr(w[i - 15], 8n) ^ (w[i - 15] >> 7n)
      const s1 = rotr(w[i - 2], 19n) ^ rotr(w[i - 2], 61n) ^ (w[i - 2] >> 6n)
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & MASK64
    }
    let [a, b, c, d, e, f, g, hh] = h
    for (let i = 0; i < 80; i++) {
      const t1 = (hh + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) + ((e & f) ^ (~e & MASK64 & g)) + SHA512_K[i] + w[i]) & MASK64
      const t2 = ((rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & MASK64
      hh = g; g = f; f = e; e = (d + t1) & MASK64
      d = c; c = b; b = a; a = (t1 + t2) & MASK64
    }
    ;[a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) & MASK64 })
  }
  const out = new Uint8Array(64)
  const outView = new DataView(out.buffer)
  h.forEach((v, i) => outView.setBigUint64(8 * i, v))
  return out
}

// ---- SHA-3 / Keccak with aos's padding ----

function aosKeccak(data: Uint8Array, rate: number, suffix: number, outLen: number): Uint8Array {
  if ((data.length + 1) % rate !== 0) return new Keccak(rate, suffix, outLen).update(data).digest()
  // aos pads data || suffix with a whole block of zeros whose last byte gets 0x80: the same as
  // absorbing data || suffix and finishing with an empty suffix.
  const msg = new Uint8Array(data.length + 1)
  msg.set(data)
  msg[data.length] = suffix
  return new Keccak(rate, 0x00, outLen).update(msg).digest()
}

// ---- BLAKE2b following aos's buffer handling ----

const BLAKE2B_IV = [
  '6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1',
  '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179',
].map((h) => BigInt('0x' + h))
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]

/** True when aos's BLAKE2b gives the standard result for this input (no extra empty block). */
export function blake2bIsStandard(dataLength: number, keyLength: number): boolean {
  if (keyLength > 0 && dataLength === 0) return false
  return dataLength === 0 || dataLength % 128 !== 0
}

function aosBlake2b(data: Uint8Array, outlen: number, key: Uint8Array): Uint8Array {
  if (blake2bIsStandard(data.length, key.length)) {
    return nobleBlake2b(data, { dkLen: outlen, key: key.length > 0 ? key : undefined })
  }
  return blake2bAos(data, outlen, key)
}

/** aos's algorithm step by step: a full buffer is compressed (not last) before more input is looked at. */
export function blake2bAos(data: Uint8Array, outlen: number, key: Uint8Array): Uint8Array {
  const h = BLAKE2B_IV.slice()
  h[0] ^= 0x01010000n ^ (BigInt(key.length) << 8n) ^ BigInt(outlen)
  let t = 0n
  let buf: Uint8Array = new Uint8Array(0)
  const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => { const r = new Uint8Array(a.length + b.length); r.set(a); r.set(b, a.length); return r }
  const update = (input: Uint8Array): void => {
    let i = 0
    for (;;) {
      if (buf.length === 128) {
        t += 128n
        compress(h, buf, t, false)
        buf = new Uint8Array(0)
      } else {
        const room = 128 - buf.length
        const left = input.length - i
        if (left < room) { buf = concat(buf, input.subarray(i)); break }
        buf = concat(buf, input.subarray(i, i + room))
        i += room
      }
    }
  }
  if (key.length > 0) {
    update(key)
    buf = concat(buf, new Uint8Array(128 - buf.length))
  }
  update(data)
  t += BigInt(buf.length)
  compress(h, concat(buf, new Uint8Array(128 - buf.length)), t, true)
  const out = new Uint8Array(64)
  const view = new DataView(out.buffer)
  h.forEach((v, i) => view.setBigUint64(8 * i, v, true))
  return out.slice(0, outlen)
}

function compress(h: bigint[], block: Uint8Array, t: bigint, last: boolean): void {
  const view = new DataView(block.buffer, block.byteOffset, 128)
  const m = Array.from({ length: 16 }, (_, i) => view.getBigUint64(8 * i, true))
  const v = [...h, ...BLAKE2B_IV]
  v[12] ^= t & MASK64
  v[13] ^= t >> 64n
  if (last) v[14] ^= MASK64
  const rotr = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK64
  const g = (a: number, b: number, c: number, d: number, x: bigint, y: bigint): void => {
    v[a] = (v[a] + v[b] + x) & MASK64; v[d] = rotr(v[d] ^ v[a], 32n)
    v[c] = (v[c] + v[d]) & MASK64; v[b] = rotr(v[b] ^ v[c], 24n)
    v[a] = (v[a] + v[b] + y) & MASK64; v[d] = rotr(v[d] ^ v[a], 16n)
    v[c] = (v[c] + v[d]) & MASK64; v[b] = rotr(v[b] ^ v[c], 63n)
  }
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r % 10]
    g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]])
    g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]])
    g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]])
    g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]])
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8]
}
