// harness/lua/bint.lua must behave like lua-bint 0.5.1 as aos ships it (`require('.bint')(256)`): two's complement
// wrap-around at 256 bits, float fallback when mixed with Lua floats, errors with aos's line numbers.
// Bulk results are checked against exact BigInt arithmetic on seeded pseudo-random operands.
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

const run = (code: string) =>
  runLua(`local B = require('.bint')(256) local json = require('json') ${code}`, { '.bint': 'bint', json: 'json' })
/** The error message `body` raises, or 'no error'. */
const errorOf = (body: string) =>
  run(`local ok, err = pcall(function() ${body} end) if ok then return 'no error' end return err`)

const MOD = 1n << 256n
const HALF = 1n << 255n
/** A BigInt reduced to a signed 256-bit value, as bint stores it. */
const wrap = (v: bigint) => {
  const r = ((v % MOD) + MOD) % MOD
  return r >= HALF ? r - MOD : r
}
const floorDiv = (a: bigint, b: bigint) => {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

/** Deterministic operands: zero, ±1, the extremes, and random values of every bit length. */
function operands(count: number, seed: number): bigint[] {
  let s = BigInt(seed)
  const next = () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) % (1n << 64n)
    return s
  }
  const fixed = [0n, 1n, -1n, HALF - 1n, -HALF, 1n << 64n, (1n << 64n) - 1n, -(1n << 63n), 1n << 128n, 10n ** 18n]
  const out = [...fixed]
  while (out.length < count) {
    const bits = Number(next() % 256n) + 1
    let v = 0n
    for (let i = 0; i < 4; i++) v = (v << 64n) | next()
    v &= (1n << BigInt(bits)) - 1n
    out.push(next() % 2n === 0n ? v : -v)
  }
  return out.map(wrap)
}

/** Applies a binary Lua expression over `a` and `b` to operand pairs and returns the results as strings. */
async function luaPairs(expr: string, xs: bigint[], ys: bigint[]): Promise<string[]> {
  const list = (vs: bigint[]) => '{' + vs.map((v) => `"${v}"`).join(',') + '}'
  const text = await run(
    `local xs, ys, out = ${list(xs)}, ${list(ys)}, {}
     for i = 1, #xs do local a, b = B(xs[i]), B(ys[i]) out[i] = tostring(${expr}) end
     return table.concat(out, " ")`,
  )
  return String(text).split(' ')
}

const xs = operands(120, 7)
const ys = operands(120, 99).reverse()
const nonZeroYs = ys.map((y) => (y === 0n ? 3n : y))

describe('harness/lua/bint: construction and printing', () => {
  it('parses and prints a negative decimal string', async () => {
    expect(await run("return tostring(B('-123'))")).to.equal('-123')
  })

  it('parses hexadecimal and binary strings with an optional sign', async () => {
    expect(await run("return tostring(B('0xff')) .. ' ' .. tostring(B('-0X1f')) .. ' ' .. tostring(B('0b101'))")).to.equal('255 -31 5')
  })

  it('parses decimal strings longer than 64 bits', async () => {
    expect(await run("return tostring(B('123456789012345678901234567890123'))")).to.equal('123456789012345678901234567890123')
  })

  it('wraps a decimal string beyond 256 bits modulo 2^256', async () => {
    const big = (1n << 256n) + 5n
    expect(await run(`return tostring(B('${big}'))`)).to.equal('5')
  })

  it('accepts integers and whole floats', async () => {
    expect(await run('return tostring(B(42)) .. " " .. tostring(B(-7.0)) .. " " .. tostring(B(math.mininteger))')).to.equal('42 -7 -9223372036854775808')
  })

  it('refuses a fractional float', async () => {
    expect(await errorOf('B(1.5)')).to.equal('.bint:787: value cannot be represented by a bint')
  })

  it('refuses a string that is not an integer', async () => {
    expect(await errorOf("B('12a')")).to.equal('.bint:787: value cannot be represented by a bint')
  })

  it('returns nil from fromstring and tobint for values without an integer form', async () => {
    expect(await run("return B.fromstring('1.5') == nil and B.fromstring(' 5') == nil and B.tobint(2.5) == nil and B.tobint({}) == nil")).to.equal(true)
  })

  it('falls back to a Lua number in parse', async () => {
    expect(await run("return B.parse(2.5) .. ' ' .. B.type(B.parse('7'))")).to.equal('2.5 bint')
  })

  it('creates zero, one and the extreme values', async () => {
    expect(await run('return table.concat({tostring(B.zero()), tostring(B.one()), tostring(B.maxinteger()), tostring(B.mininteger())}, " ")')).to.equal(
      `0 1 ${HALF - 1n} ${-HALF}`,
    )
  })

  it('clones with new and returns the same object from tobint', async () => {
    expect(await run('local a = B(5) return tostring(rawequal(B.new(a), a)) .. tostring(rawequal(B.tobint(a), a))')).to.equal('falsetrue')
  })

  it('creates a bint by calling frominteger with a numeric string', async () => {
    expect(await run("return tostring(B.frominteger('12')) .. ' ' .. tostring(B.fromuinteger(-1))")).to.equal('12 18446744073709551615')
  })

  it('parses any base from 2 to 36 with frombase', async () => {
    expect(await run("return tostring(B.frombase('zz', 36)) .. ' ' .. tostring(B.frombase('ZZZZZZZZZZZZZZZZZZZZZZ', 36))")).to.equal(
      `1295 ${36n ** 22n - 1n}`,
    )
  })

  it('prints in other bases, unsigned by default except base 10', async () => {
    expect(await run("return B.tobase(B(255), 16) .. ' ' .. B.tobase(B(-255), 16, false) .. ' ' .. B.tobase(B(5), 2) .. ' ' .. B(-1):tobase(16)")).to.equal(
      'ff -ff 101 ' + 'f'.repeat(64),
    )
  })

  it('prints a negative value as unsigned in base 10 on request', async () => {
    expect(await run('return B.tobase(B(-1), 10, true)')).to.equal(String(MOD - 1n))
  })

  it('returns nothing from tobase for a base outside 2..36', async () => {
    expect(await run('return select("#", B.tobase(B(5), 37)) .. select("#", B.tobase(B(5), 36))')).to.equal('01')
  })

  it('is stored as eight little-endian 32-bit words, as print and json.encode reveal', async () => {
    expect(await run('return json.encode(B(5)) .. json.encode(B(-1))')).to.equal('[5,0,0,0,0,0,0,0]' + JSON.stringify(Array(8).fill(4294967295)))
  })

  it('converts to and from little- and big-endian byte strings', async () => {
    expect(await run("return B.tole(B(258), true) == '\\2\\1' and B.tobe(B(258), true) == '\\1\\2' and tostring(B.frombe('\\1\\2')) .. tostring(B.fromle('\\2\\1'))")).to.equal('258258')
  })

  it('keeps string.unpack\'s position as a ninth element in fromle, like lua-bint 0.5.1', async () => {
    expect(await run("return json.encode(B.fromle('ab'))")).to.equal('[25185,0,0,0,0,0,0,0,33]')
  })

  it('memoises the module per bit size', async () => {
    expect(await run("return rawequal(require('.bint')(256), B) and not rawequal(require('.bint')(128), B)")).to.equal(true)
  })

  it('works at other widths, such as 64 bits', async () => {
    expect(await run("local B64 = require('.bint')(64) return tostring(B64.maxinteger() + 1) .. ' ' .. B64.bits")).to.equal('-9223372036854775808 64')
  })

  it('refuses a width below 64 bits', async () => {
    expect(await errorOf("require('.bint')(32)")).to.equal('.bint:289: bitsize must be >= 64')
  })
})

describe('harness/lua/bint: arithmetic', () => {
  it('wraps 2^255 around to the most negative value', async () => {
    expect(await run('return tostring(B.ipow(2, 255)) .. " " .. tostring(B.ipow(2, 256))')).to.equal(`${-HALF} 0`)
  })

  it('wraps the maximum plus one to the minimum', async () => {
    expect(await run('return B.maxinteger() + 1 == B.mininteger()')).to.equal(true)
  })

  it('adds like exact integers modulo 2^256', async () => {
    expect(await luaPairs('a + b', xs, ys)).to.deep.equal(xs.map((x, i) => String(wrap(x + ys[i]))))
  })

  it('subtracts like exact integers modulo 2^256', async () => {
    expect(await luaPairs('a - b', xs, ys)).to.deep.equal(xs.map((x, i) => String(wrap(x - ys[i]))))
  })

  it('multiplies like exact integers modulo 2^256', async () => {
    expect(await luaPairs('a * b', xs, ys)).to.deep.equal(xs.map((x, i) => String(wrap(x * ys[i]))))
  })

  it('floor-divides like exact integers (// rounds towards minus infinity)', async () => {
    expect(await luaPairs('a // b', xs, nonZeroYs)).to.deep.equal(xs.map((x, i) => String(wrap(floorDiv(x, nonZeroYs[i])))))
  })

  it('takes the floor modulo, with the sign of the divisor', async () => {
    expect(await luaPairs('a % b', xs, nonZeroYs)).to.deep.equal(
      xs.map((x, i) => String(wrap(x - nonZeroYs[i] * floorDiv(x, nonZeroYs[i])))),
    )
  })

  it('truncates towards zero in tdivmod', async () => {
    const expected = xs.map((x, i) => {
      if (x === -HALF && nonZeroYs[i] === -1n) return 'overflow'
      return `${wrap(x / nonZeroYs[i])},${wrap(x % nonZeroYs[i])}`
    })
    expect(
      await luaPairs('(function() local ok, q, r = pcall(B.tdivmod, a, b) return ok and tostring(q) .. "," .. tostring(r) or "overflow" end)()', xs, nonZeroYs),
    ).to.deep.equal(expected)
  })

  it('divides as unsigned values in udivmod', async () => {
    const u = (v: bigint) => ((v % MOD) + MOD) % MOD
    const expected = xs.map((x, i) => `${wrap(u(x) / u(nonZeroYs[i]))},${wrap(u(x) % u(nonZeroYs[i]))}`)
    expect(await luaPairs('(function() local q, r = B.udivmod(a, b) return tostring(q) .. "," .. tostring(r) end)()', xs, nonZeroYs)).to.deep.equal(expected)
  })

  it('divides by a divisor wider than one word', async () => {
    expect(await run("return tostring(B('123456789012345678901234567890') // B('98765432109876543210'))")).to.equal('1249999988')
  })

  it('fails to divide by zero', async () => {
    expect(await errorOf('return B(1) // 0')).to.equal('.bint:2383: attempt to divide by zero')
  })

  it('fails to take a modulo by zero', async () => {
    expect(await errorOf('return B(1) % B(0)')).to.equal('.bint:2383: attempt to divide by zero')
  })

  it('reports division overflow in tdivmod of the minimum by -1', async () => {
    expect(await errorOf('return B.tdivmod(B.mininteger(), -1)')).to.equal('.bint:2593: division overflow')
  })

  it('wraps the minimum floor-divided by -1 back to the minimum', async () => {
    expect(await run('return B.mininteger() // -1 == B.mininteger()')).to.equal(true)
  })

  it('negates with two\'s complement', async () => {
    expect(await luaPairs('-a', xs, ys)).to.deep.equal(xs.map((x) => String(wrap(-x))))
  })

  it('raises to an integer power modulo 2^256 with ipow', async () => {
    expect(await run('return tostring(B.ipow(B(10), 30)) .. " " .. tostring(B.ipow(-3, 3)) .. " " .. tostring(B.ipow(7, 0))')).to.equal(`${10n ** 30n} -27 1`)
  })

  it('computes a modular power with upowmod', async () => {
    expect(await run('return tostring(B.upowmod(4, 13, 497))')).to.equal('445')
  })

  it('gives a float for ^ and /', async () => {
    expect(await run('return tostring(B(2) ^ 255) .. " " .. tostring(B(7) / 2)')).to.equal('5.7896044618658e+76 3.5')
  })

  it('falls back to float arithmetic with a fractional operand', async () => {
    expect(await run('local r = B(7) + 1.5 return math.type(r) .. " " .. tostring(r)')).to.equal('float 8.5')
  })

  it('converts numeric strings used as operands', async () => {
    expect(await run('local r = B(5) + "10" return B.isbint(r) and tostring(r)')).to.equal('15')
  })

  it('keeps a whole float divisor as a bint division', async () => {
    expect(await run('local r = B(7) // 2.0 return B.isbint(r) and tostring(r)')).to.equal('3')
  })

  it('computes abs, max and min', async () => {
    expect(await run('return tostring(B.abs(B(-5))) .. tostring(B.max(B(-5), 3)) .. tostring(B.min(B(-5), 3)) .. tostring(B.max(1.5, B(1)))')).to.equal('53-51.5')
  })

  it('increments and decrements in place through the underscore methods', async () => {
    expect(await run('local a = B(-1) a:_inc() local b = B(0) b:_dec() return tostring(a) .. " " .. tostring(b)')).to.equal('0 -1')
  })
})

describe('harness/lua/bint: bitwise operations', () => {
  it('ands, ors and xors like exact two\'s complement integers', async () => {
    const expected = xs.map((x, i) => `${wrap(x & ys[i])},${wrap(x | ys[i])},${wrap(x ^ ys[i])},${wrap(~x)}`)
    expect(await luaPairs('tostring(a & b) .. "," .. tostring(a | b) .. "," .. tostring(a ~ b) .. "," .. tostring(~a)', xs, ys)).to.deep.equal(expected)
  })

  it('shifts left and right logically, negative counts reversing the direction', async () => {
    const u = (v: bigint) => ((v % MOD) + MOD) % MOD
    const counts = xs.map((_, i) => (i * 37) % 300 - 20)
    const shl = (v: bigint, n: number): bigint => (n >= 256 || n <= -256 ? 0n : n < 0 ? shr(v, -n) : wrap(v << BigInt(n)))
    const shr = (v: bigint, n: number): bigint => (n >= 256 || n <= -256 ? 0n : n < 0 ? shl(v, -n) : wrap(u(v) >> BigInt(n)))
    const text = await run(
      `local xs, counts, out = {${xs.map((v) => `"${v}"`).join(',')}}, {${counts.join(',')}}, {}
       for i = 1, #xs do local a = B(xs[i]) out[i] = tostring(a << counts[i]) .. "," .. tostring(a >> counts[i]) end
       return table.concat(out, " ")`,
    )
    expect(String(text).split(' ')).to.deep.equal(xs.map((x, i) => `${shl(x, counts[i])},${shr(x, counts[i])}`))
  })

  it('refuses a fractional shift count', async () => {
    expect(await errorOf('return B(1) << 1.5')).to.equal('.bint:995: value has no integer representation')
  })

  it('keeps the low bits with bwrap and rotates with brol', async () => {
    expect(await run('return tostring(B.bwrap(B(0xff), 4)) .. " " .. tostring(B.brol(B.mininteger(), 1))')).to.equal('15 1')
  })
})

describe('harness/lua/bint: comparison and conversion', () => {
  it('orders values with sign, like exact integers', async () => {
    const expected = xs.map((x, i) => `${x < ys[i]},${x <= ys[i]},${x === ys[i]}`)
    expect(await luaPairs('tostring(a < b) .. "," .. tostring(a <= b) .. "," .. tostring(a == b)', xs, ys)).to.deep.equal(expected)
  })

  it('orders values as unsigned in ult and ule', async () => {
    expect(await run('return tostring(B.ult(B(-1), B(1))) .. tostring(B.ule(B(1), B(-1))) .. tostring(B.ult(1, 1))')).to.equal('falsetruefalse')
  })

  it('compares with Lua numbers through the metamethods', async () => {
    expect(await run('return tostring(B(5) < 6) .. tostring(B(5) <= 4.5) .. tostring(1 < B(2))')).to.equal('truefalsetrue')
  })

  it('is never == to a Lua number, but eq compares values', async () => {
    expect(await run('return tostring(B(5) == 5) .. tostring(B.eq(B(5), 5)) .. tostring(B.eq(5, 5.0))')).to.equal('falsetruetrue')
  })

  it('answers the predicates for bints and numbers', async () => {
    expect(
      await run(
        'return table.concat({tostring(B.iszero(B(0))), tostring(B.isone(B(1))), tostring(B.isminusone(B(-1))), tostring(B.isneg(B(-2))), tostring(B.ispos(B(0))), tostring(B.iseven(B(-4))), tostring(B.isodd(3)), tostring(B.isbint(5)), tostring(B.isintegral(5)), tostring(B.isnumeric(B(1)))}, ",")',
      ),
    ).to.equal('true,true,true,true,false,true,true,false,true,true')
  })

  it('names the number type of a value', async () => {
    expect(await run("return B.type(B(1)) .. B.type(1) .. B.type(1.0) .. tostring(B.type('1'))")).to.equal('bintintegerfloatnil')
  })

  it('converts to a Lua integer when the value fits, else to the nearest float', async () => {
    expect(await run("local a, b = B.tonumber(B(-5)), B.tonumber(B('1' .. string.rep('0', 30))) return math.type(a) .. a .. ' ' .. math.type(b) .. ' ' .. tostring(b)")).to.equal(
      'integer-5 float 1e+30',
    )
  })

  it('keeps the low 64 bits in tointeger and touinteger', async () => {
    expect(await run('return B.tointeger(B.ipow(2, 64) + 5) .. " " .. B.touinteger(B(-1))')).to.equal('5 -1')
  })

  it('prints random values exactly in decimal and hexadecimal', async () => {
    const u = (v: bigint) => ((v % MOD) + MOD) % MOD
    expect(await luaPairs('tostring(a) .. "," .. B.tobase(a, 16)', xs, ys)).to.deep.equal(xs.map((x) => `${x},${u(x).toString(16)}`))
  })

  it('moves a balance exactly through 5000 transfer-like steps', async () => {
    const text = await run(
      `local bal = {from = '1000000000000000000000', to = '0'}
       for i = 1, 5000 do
         local q = B('1000000000000')
         if q <= B(bal.from) then bal.from = tostring(B(bal.from) - q) bal.to = tostring(B(bal.to) + q) end
       end
       return bal.from .. ' ' .. bal.to`,
    )
    expect(text).to.equal('999995000000000000000 5000000000000000')
  })
})
