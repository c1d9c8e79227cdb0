// crypto.lua + hostCrypto.ts: `require('.crypto')` as aos ships it. Values marked "AO" were
// produced by the reference module (aos 2.0.6); the others are the standard test vectors.
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { LuaFactory } from 'wasmoon'
import { hostDigest } from '../../../harness/vm/hostCrypto.js'
import { compatSource as joinedCompatFiles } from '../../../harness/vm/runtimeImage.js'

const factory = new LuaFactory()
const luaDir = new URL('../../../harness/lua/', import.meta.url)
const compatSource = joinedCompatFiles()
const cryptoSource = readFileSync(new URL('crypto.lua', luaDir), 'utf8')

/**
 * Runs `code` with `crypto` = the module and `S` = crypto.utils.stream; returns its first result,
 * or "ERROR: <message>" when it raises.
 */
async function withCrypto(code: string): Promise<unknown> {
  const engine = await factory.createEngine()
  try {
    engine.global.set('__compat', compatSource)
    engine.global.set('__crypto', cryptoSource)
    engine.global.set('__code', code)
    engine.global.set('__host', (alg: string, hex: string, opts?: string) => hostDigest(alg, hex, opts))
    return await engine.doString(`
      assert(load(__compat))(_G)
      local crypto = assert(load(__crypto, "@crypto.lua"))(__host)
      local f = assert(load("local crypto, S = ...\\n" .. __code, "=aos"))
      local ok, res = pcall(f, crypto, crypto.utils.stream)
      if not ok then return "ERROR: " .. tostring(res) end
      return res`)
  } finally {
    engine.global.close()
  }
}

/** Lua expression for the bytes (i * 7 + 3) % 256, i = 1..n (the data used against the reference). */
const pattern = (n: number): string =>
  `(function() local t = {} for i = 1, ${n} do t[i] = string.char((i * 7 + 3) % 256) end return table.concat(t) end)()`

describe('crypto.lua: digests', () => {
  it('md5 of an empty stream is d41d8cd9…', async () => {
    expect(await withCrypto('return crypto.digest.md5(S.fromString("")).asHex()')).to.equal('d41d8cd98f00b204e9800998ecf8427e')
  })
  it('md2 and md4 of "abc" are the RFC values', async () => {
    expect(await withCrypto('return crypto.digest.md2(S.fromString("abc")).asHex() .. " " .. crypto.digest.md4(S.fromString("abc")).asHex()'))
      .to.equal('da853b0d3f88d99b30283a69e6ded6bb a448017aaf21d8525fc10ae87aa6729d')
  })
  it('sha1 of "abc" is a9993e36…', async () => {
    expect(await withCrypto('return crypto.digest.sha1(S.fromString("abc")).asHex()')).to.equal('a9993e364706816aba3e25717850c26c9cd0d89d')
  })
  it('sha2_256 of "abc" is ba7816bf…', async () => {
    expect(await withCrypto('return crypto.digest.sha2_256(S.fromString("abc")).asHex()'))
      .to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  it('sha2_512 takes a string: "abc" is ddaf35a1…', async () => {
    expect(await withCrypto('return crypto.digest.sha2_512("abc").asHex()'))
      .to.equal('ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f')
  })
  it('sha3_256 of "" is a7ffc6f8…', async () => {
    expect(await withCrypto('return crypto.digest.sha3_256("").asHex()'))
      .to.equal('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a')
  })
  it('keccak256 of "" is c5d24601…', async () => {
    expect(await withCrypto('return crypto.digest.keccak256("").asHex()'))
      .to.equal('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
  })
  it('blake2b defaults to 64 bytes', async () => {
    expect(await withCrypto('return crypto.digest.blake2b("abc").asHex()'))
      .to.equal('ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923')
  })
  it('blake2b takes an output length', async () => {
    expect(await withCrypto('return crypto.digest.blake2b("abc", 32).asHex()'))
      .to.equal('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319')
  })
  it('blake2b with an illegal length returns nil, "illegal parameters" (AO)', async () => {
    expect(await withCrypto('local r, e = crypto.digest.blake2b("x", 65) return tostring(r) .. " " .. e')).to.equal('nil illegal parameters')
  })
})

describe('crypto.lua: aos\'s non-standard padding is reproduced', () => {
  it('sha2_512 of 112 bytes matches AO, not the standard', async () => {
    expect(await withCrypto(`return crypto.digest.sha2_512(${pattern(112)}).asHex()`))
      .to.equal('8e63c38808e47ec888e377389df6f1d95a88e32c1e445335cc42da061e1896423dccd349b70c2d5cb519ccb0f3c657e2774091fac3a8df79e0424fb7dab75594')
  })
  it('keccak256 of 135 bytes (one short of the rate) matches AO', async () => {
    expect(await withCrypto(`return crypto.digest.keccak256(${pattern(135)}).asHex()`))
      .to.equal('a576c1a377d2448b7f8a308a5925e5b5ab8142c82d071960b4b69757a861c4c2')
  })
  it('blake2b of 128 bytes matches AO', async () => {
    expect(await withCrypto(`return crypto.digest.blake2b(${pattern(128)}).asHex()`))
      .to.equal('735ebaa61e6b01815def5ec99a6a52f5c3156aee5f37faa6746a9081fa6dc2344318635337f334b360e067c4b4f2b663d5ac14b8033094c32c03a43f9dcc15ac')
  })
  it('keyed blake2b of empty data matches AO', async () => {
    expect(await withCrypto('return crypto.digest.blake2b("", 20, "secret-key").asHex()')).to.equal('0ef98c6abb3bcca24a8da61d2f8d7fd90af33d25')
  })
})

describe('crypto.lua: result shapes', () => {
  it('md5 asBytes is 16 integers and asString 16 bytes', async () => {
    expect(await withCrypto('local r = crypto.digest.md5(S.fromString("abc")) return #r.asBytes() .. " " .. r.asBytes()[1] .. " " .. #r.asString()'))
      .to.equal('16 144 16')
  })
  it('sha2_512 asBytes is eight signed 64-bit words (AO)', async () => {
    expect(await withCrypto('local w = crypto.digest.sha2_512("abc").asBytes() return #w .. " " .. w[1]')).to.equal('8 -2472698702324467014')
  })
  it('blake2b asBytes is a list of one-character strings (AO)', async () => {
    expect(await withCrypto('local b = crypto.digest.blake2b("abc", 4).asBytes() return #b .. type(b[1]) .. b[1]:byte()')).to.equal('4string99')
  })
  it('sha3 results have no asBytes (AO)', async () => {
    expect(await withCrypto('return crypto.digest.sha3_256("abc").asBytes == nil')).to.equal(true)
  })
  it('sha2_256 update after finish continues from the padded message (AO)', async () => {
    expect(await withCrypto('local r = crypto.digest.sha2_256(S.fromString("abc")) r.update(S.fromString("abc")) r.finish() return r.asHex()'))
      .to.equal('9647229f07227b1df6212f89f8f56014c03e638cbdc92da85109c748f063e64f')
  })
  it('sha2_256 init() restarts from the initial state', async () => {
    expect(await withCrypto('local r = crypto.digest.sha2_256(S.fromString("x")) r.init() r.update(S.fromString("abc")) r.finish() return r.asHex()'))
      .to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('crypto.lua: bad input fails as on AO', () => {
  it('md5 of a string (not a stream) raises AO\'s error', async () => {
    expect(await withCrypto('return crypto.digest.md5("abc")')).to.equal('ERROR: [string ".crypto.digest.md5"]:231: attempt to call a string value')
  })
  it('sha2_512 of nil raises AO\'s error', async () => {
    expect(await withCrypto('return crypto.digest.sha2_512(nil)'))
      .to.equal('ERROR: [string ".crypto.digest.sha2_512"]:79: attempt to get length of a nil value (local \'msg\')')
  })
  it('keccak256 of a table raises AO\'s error', async () => {
    expect(await withCrypto('return crypto.digest.keccak256({})'))
      .to.equal('ERROR: [string ".crypto.digest.sha3"]:279: attempt to concatenate a table value (local \'buffer\')')
  })
})

describe('crypto.lua: mac and utils', () => {
  it('createHmac with sha256 gives AO\'s value (32-byte key block, not RFC 2104)', async () => {
    expect(await withCrypto('return crypto.mac.createHmac(S.fromString("The quick brown fox"), crypto.utils.array.fromString("key"), "sha256").asHex()'))
      .to.equal('35ebc78c74895471241abaac82642e4669e31a5e041ded51a89dfb1dc56d44a5')
  })
  it('createHmac defaults to sha1 (AO)', async () => {
    expect(await withCrypto('return crypto.mac.createHmac(S.fromString("The quick brown fox"), crypto.utils.array.fromString("key")).asHex()'))
      .to.equal('b09261ed05c328fbe985739227ee2b3a32ddd633')
  })
  it('createHmac rejects other algorithms with AO\'s error', async () => {
    expect(await withCrypto('return crypto.mac.createHmac(S.fromString("x"), {}, "md5")'))
      .to.equal('ERROR: [string ".crypto.mac.hmac"]:217: Unsupported algorithm: md5')
  })
  it('stream.toHex is upper case', async () => {
    expect(await withCrypto('return S.toHex(S.fromString("ab\\255"))')).to.equal('6162FF')
  })
  it('hex.stringToHex breaks lines and separates bytes', async () => {
    expect(await withCrypto('return crypto.utils.hex.stringToHex("ab\\255", 2, ":")')).to.equal('61:62\nff')
  })
  it('hex.hexToString ignores white space', async () => {
    expect(await withCrypto('return crypto.utils.hex.hexToString("61 62\\n63")')).to.equal('abc')
  })
  it('hex.hexToString rejects an odd length with AO\'s error', async () => {
    expect(await withCrypto('return crypto.utils.hex.hexToString("6")')).to.equal('ERROR: [string ".crypto.util.hex"]:71: invalid hex string')
  })
  it('utils.bit is bit32', async () => {
    expect(await withCrypto('return crypto.utils.bit == bit32')).to.equal(true)
  })
  it('cipher (not implemented in aokit) fails loudly', async () => {
    expect(await withCrypto('return crypto.cipher.aes')).to.equal('ERROR: aos:2: aokit: crypto.cipher.aes is not available in aokit')
  })
})
