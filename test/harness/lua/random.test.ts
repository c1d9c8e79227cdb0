// random.lua: aos's MT19937 randomness. Sequences were checked against the reference module
// (aos 2.0.6), whose first message had Block-Height 1000, Owner "OWNER", Module "MOD", Id "PROC".
import { expect } from 'chai'
import { runLua } from '../../helpers/lua.js'

/** Runs `code` with `R` bound to a fresh random.lua instance. */
function withRandom(code: string): Promise<unknown> {
  return runLua(`local R = require("random")\n${code}`, { random: 'random' })
}

const REFERENCE_MSG = `{ ["Block-Height"] = "1000", Owner = "OWNER", Module = "MOD", Id = "PROC" }`

describe('random.lua: MT19937 as aos uses it', () => {
  it('seed 12345 gives the spec\'s test vector to 17 significant digits', async () => {
    expect(await withRandom('R.seed(12345) return string.format("%.17g %.17g", R.random(), R.random())'))
      .to.equal('0.92961608665063977 0.89015471306629479')
  })

  it('random() is a float', async () => {
    expect(await withRandom('R.seed(1) return math.type(R.random())')).to.equal('float')
  })

  it('an unseeded generator starts from the reference default seed 5489', async () => {
    expect(await withRandom('return R.random() * 2^32')).to.equal(3499211612)
  })

  it('seedFromMessage joins Block-Height and the byte sum of Owner .. Module .. Id', async () => {
    expect(await withRandom(`return R.seedFromMessage(${REFERENCE_MSG})`)).to.equal(1000927)
  })

  it('seedFromMessage becomes a float once the digits pass 2^63', async () => {
    expect(await withRandom('return math.type(R.seedFromMessage({ ["Block-Height"] = math.tointeger(10^17), Owner = "abc", Module = "d", Id = "e" }))'))
      .to.equal('float')
  })

  it('seeding with such a float fails as on AO', async () => {
    expect(await withRandom('local ok, err = pcall(R.seed, 1.0e20) return err'))
      .to.match(/: number \(local 's'\) has no integer representation$/)
  })

  it('reproduces the reference module\'s first draws after seeding from its process message', async () => {
    expect(await withRandom(`R.seed(R.seedFromMessage(${REFERENCE_MSG})) local r = R.random
      local t = {} for i = 1, 5 do t[i] = string.format("%.17g", r()) end
      t[6] = r(10) t[7] = r(5, 9) t[8] = r(3, nil) t[9] = string.format("%.17g", r(1, 2, 3)) t[10] = r(2.5)
      return table.concat(t, " ")`))
      .to.equal('0.37152587622404099 0.21236354135908186 0.18138114106841385 0.1695329041685909 0.9608330309856683 9 5 2 0.044186670798808336 2')
  })

  it('stays in step with the reference across the 624-word regeneration', async () => {
    // the reference drew these in the message after the ten draws above
    expect(await withRandom(`R.seed(1000927) for i = 1, 10 do R.random() end
      local t = {} for i = 1, 700 do t[i] = R.random(1000) end
      return table.concat(t, ",", 690, 700)`)).to.equal('433,351,334,942,524,982,25,688,135,649,405')
  })

  it('random(n) is an integer', async () => {
    expect(await withRandom('R.seed(7) return math.type(R.random(6))')).to.equal('integer')
  })

  it('random(a, b) is floor(r * (b - a + 1) + a)', async () => {
    expect(await withRandom('R.seed(99) local r = R.random() R.seed(99) return R.random(10, 20) == math.floor(r * 11 + 10)'))
      .to.equal(true)
  })

  it('random(a, b) with b < a fails with the message AO gives', async () => {
    expect(await withRandom('R.seed(1) local ok, err = pcall(R.random, 5, 1) return err'))
      .to.equal('[string ".chance"]:201: max must bigger than min')
  })

  it('random(0) fails the same way (an empty range)', async () => {
    expect(await withRandom('R.seed(1) local ok, err = pcall(R.random, 0) return err'))
      .to.equal('[string ".chance"]:201: max must bigger than min')
  })

  it('three arguments give a float, as aos\'s replacement does', async () => {
    expect(await withRandom('R.seed(1) return math.type(R.random(1, 2, 3))')).to.equal('float')
  })

  it('restore(state()) replays the same draws', async () => {
    expect(await withRandom(`R.seed(5) R.random() local s = R.state() local a = R.random(1000000)
      R.random() R.restore(s) return a == R.random(1000000)`)).to.equal(true)
  })
})
