// replay() under the VM's limits: a gigantic output or a C-library bomb is that message's Error result (state
// rolled back), never a thrown RangeError or a hang.
import { expect } from 'chai'
import { replay, type ReplayFile } from '../../harness/replay.js'
import { evalMsg, replayCase } from '../fidelity/builders.js'

const file = (name: string, codes: string[]): ReplayFile =>
  replayCase(name, 'limits', {}, codes.map((code) => evalMsg(code))) as unknown as ReplayFile

describe('harness/replay: limits', function () {
  this.timeout(60_000)

  it('turns an output past maxOutput into an Error result and carries on from the state before it', async () => {
    const { results } = await replay(file('replay-output', ['Kept = "before"', 'Kept = "after" return string.rep("x", 3 * 1024 * 1024)', 'return Kept']), {
      maxOutput: 1024 * 1024,
    })
    expect(results).to.have.length(4)
    expect(results[2]!.Error).to.equal(`Output limit exceeded: the message's result is larger than maxOutput = ${1024 * 1024} bytes.`)
    expect((results[3]!.Output as { data: string }).data).to.equal('before')
  })

  it('ends a C-library bomb at the compute limit and carries on', async () => {
    const { results } = await replay(file('replay-bomb', ['Kept = "before"', 'Kept = "after" table.move({}, 1, 1e12, 1, {})', 'return Kept']), {
      computeLimit: 200_000_000,
    })
    expect(results[2]!.Error).to.match(/^Compute limit exceeded: .* computeLimit = 200000000 gas/)
    expect((results[3]!.Output as { data: string }).data).to.equal('before')
  })
})
