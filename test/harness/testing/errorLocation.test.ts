// Errors point at the contract: the test API maps aos's `[string "aos"]:N:` positions to the contract's files,
// beside the Error (thrown errors, traces, chai failures), while results keep aos's exact text.
import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai } from '../../../harness/testing/chai.js'
import { errorLocationOf } from '../../../harness/testing/luaLocation.js'
import { createTestNetwork, LuaEvalError } from '../../../harness/testing/testNetwork.js'

chai.use(aokitChai)

const ESCROW = 'test/harness/testing/fixtures/escrow/escrow.lua'
const MATHX = 'test/harness/testing/fixtures/escrow/lib/mathx.lua'

describe('testing: errors point at the contract file and line', function () {
  this.timeout(20_000)

  const setUp = async () => {
    const t = createTestNetwork({ seed: 'errors', onWarning: () => undefined })
    const escrow = await t.spawn({ file: ESCROW, name: 'escrow' })
    const alice = t.wallet('alice')
    await t.send(alice, escrow, 'Deposit', { Quantity: '10' })
    return { t, escrow, alice }
  }

  it('an assert in a handler is at its line in the contract; the Error text stays as aos writes it', async () => {
    const { t, escrow, alice } = await setUp()
    const res = await t.send(alice, escrow, 'Release')
    expect(res.result.Error).to.match(/\[string "aos"\]:\d+: Release needs a Seller$/)
    expect(Object.keys(res.result)).to.not.include('__aokit')
    expect(errorLocationOf(res.result)?.location).to.equal(`${ESCROW}:42`)
    expect(t.trace(res, { colors: false }).split('\n')).to.deep.equal([`alice → escrow Release ✗ ${res.result.Error!.replace(/\u001b\[[0-9;]*m/g, '').split('\n').pop()}`, `  at ${ESCROW}:42`])
  })

  it('an error raised in a required module is at its line there, with the contract frames that called it', async () => {
    const { t, escrow, alice } = await setUp()
    const res = await t.send(alice, escrow, 'Split', { Parts: '0' })
    const located = errorLocationOf(res.result)!
    expect(located.location).to.equal(`${MATHX}:3`)
    expect(located.frames).to.deep.equal([`${MATHX}:3: in function 'lib.mathx.share'`, `${ESCROW}:21: in function <${ESCROW}:19>`])
  })

  it('a failing chai assertion names the location and the Lua stack', async () => {
    const { t, escrow, alice } = await setUp()
    const res = await t.send(alice, escrow, 'Split', { Parts: '0' })
    const failure = (() => {
      try {
        expect(res).to.have.reply({ Action: 'Split-Notice' })
      } catch (error) {
        return (error as Error).message
      }
    })()
    expect(failure).to.contain(`Lua error at ${MATHX}:3\nLua stack:\n  ${MATHX}:3: in function 'lib.mathx.share'\n  ${ESCROW}:21:`)
  })

  it('a dry-run error is located too', async () => {
    const { t, escrow, alice } = await setUp()
    const result = await t.dryrun(alice, escrow, 'Release')
    expect(errorLocationOf(result)?.location).to.equal(`${ESCROW}:42`)
  })

  it('code that fails to load throws LuaEvalError at its file and line', async () => {
    const t = createTestNetwork({ seed: 'errors' })
    const error = await t.spawn({ file: 'test/harness/testing/fixtures/broken/broken.lua', name: 'broken' }).then(() => undefined, (e: unknown) => e)
    expect(error).to.be.instanceOf(LuaEvalError)
    expect((error as LuaEvalError).location).to.equal('test/harness/testing/fixtures/broken/broken.lua:3')
    expect((error as LuaEvalError).shortMessage).to.equal('Lua failed while loading the code of broken at test/harness/testing/fixtures/broken/broken.lua:3')
  })

  it('a later Eval that defines functions is where its own lines point', async () => {
    const { t, escrow, alice } = await setUp()
    await t.eval(escrow, "Handlers.add('Fail', 'Fail', function()\n  error('from an eval')\nend)")
    const res = await t.send(alice, escrow, 'Fail')
    // Lines 1-3 are now the Eval's, a Lua string: no file to name, so nothing is made up.
    expect(errorLocationOf(res.result)).to.deep.equal({ location: undefined, frames: [`[string "aos"]:2: in function <[string "aos"]:1>`] })
    // Lines past the Eval's are still the contract's.
    expect(errorLocationOf((await t.send(alice, escrow, 'Release')).result)?.location).to.equal(`${ESCROW}:42`)
  })
})
