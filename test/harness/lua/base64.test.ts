// harness/lua/base64.lua must behave like the lbase64 copy aos ships (require('.base64')): RFC 4648 output,
// custom alphabets, and the same lenient decoding and errors. Expected values were checked against the reference.
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

const run = (code: string) => runLua(`local b64 = require('.base64') ${code}`, { '.base64': 'base64' })
/** The error message `body` raises, or 'no error'. */
const errorOf = (body: string) =>
  run(`local ok, err = pcall(function() ${body} end) if ok then return 'no error' end return err`)

describe('harness/lua/base64', () => {
  it('encodes the RFC 4648 test vectors', async () => {
    expect(await run('local out = {} for _, s in ipairs({"", "f", "fo", "foo", "foob", "fooba", "foobar"}) do out[#out + 1] = b64.encode(s) end return table.concat(out, " ")')).to.equal(
      ' Zg== Zm8= Zm9v Zm9vYg== Zm9vYmE= Zm9vYmFy',
    )
  })

  it('encodes arbitrary bytes', async () => {
    expect(await run('return b64.encode("\\0\\255\\128\\251\\255")')).to.equal('AP+A+/8=')
  })

  it('decodes what it encodes, for every byte value', async () => {
    expect(await run('local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end local s = table.concat(t) return b64.decode(b64.encode(s)) == s')).to.equal(true)
  })

  it('decodes padded input', async () => {
    expect(await run('return b64.decode("Zm9vYg==") .. "|" .. b64.decode("Zm9vYmE=")')).to.equal('foob|fooba')
  })

  it('ignores characters outside the alphabet', async () => {
    expect(await run('return b64.decode("Zm 9v\\nYg==!")')).to.equal('foob')
  })

  it('decodes "=" inside the data as the value 64, as aos does', async () => {
    expect(await run('return b64.decode("Zm=v")')).to.equal('fp/')
  })

  it('fails on unpadded input whose length is not a multiple of four', async () => {
    expect(await errorOf('b64.decode("Zm9vY")')).to.equal(".base64:281: attempt to perform arithmetic on a nil value (field '?')")
  })

  it('fails on a lone padding character', async () => {
    expect(await errorOf('b64.decode("=")')).to.equal(".base64:297: attempt to perform arithmetic on a nil value (field '?')")
  })

  it('reports the missing byte by name on the caching path', async () => {
    expect(await errorOf('b64.decode("Zm9vY", nil, true)')).to.equal(".base64:265: attempt to perform arithmetic on a nil value (local 'b')")
  })

  it('encodes and decodes with a URL-safe alphabet', async () => {
    expect(await run('local e, d = b64.makeencoder("-", "_"), b64.makedecoder("-", "_") return b64.encode("\\251\\255", e) .. " " .. tostring(b64.decode("-_8=", d) == "\\251\\255")')).to.equal(
      '-_8= true',
    )
  })

  it('builds encoder tables from code to byte, padding at 64', async () => {
    expect(await run('local e = b64.makeencoder() return e[0] .. "," .. e[25] .. "," .. e[62] .. "," .. e[64]')).to.equal('65,90,43,61')
  })
})
