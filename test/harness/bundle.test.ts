import { expect } from 'chai'
import { fileURLToPath } from 'node:url'
import { bundleLua } from '../../harness/bundle.js'
import { spawnTestProcess } from '../helpers/aosProcess.js'

const main = fileURLToPath(new URL('./fixtures/bundle/main.lua', import.meta.url))

describe('harness/bundle: aos .load bundles', () => {
  it('orders local modules depth-first, each once, and leaves built-in requires alone', () => {
    expect(bundleLua(main).modules.map((m) => m.name)).to.deep.equal(['lib.math2', 'greet'])
  })

  it('wraps each module in _loaded_mod_<name> and stores its result in package.loaded', () => {
    const { source } = bundleLua(main)
    expect(source).to.contain('-- module: "lib.math2"\nlocal function _loaded_mod_lib_math2()\n')
    expect(source).to.contain('\n_G.package.loaded["lib.math2"] = _loaded_mod_lib_math2()')
    expect(source.trimEnd().endsWith('return Result')).to.equal(true)
  })

  it('runs as one Eval in a process, with the required modules resolved', async () => {
    const p = await spawnTestProcess()
    expect(await p.evalText(bundleLua(main).source)).to.equal('[5,"hi ao 2"]')
  })
})
