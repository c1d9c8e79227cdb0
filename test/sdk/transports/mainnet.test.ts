// The mapping onto aoconnect's mainnet client, against an injected fake (no HyperBEAM node is reachable here).
import { expect } from 'chai'
import { createDataItem } from '../../../sdk/dataItem/createDataItem.js'
import { AokitError } from '../../../sdk/errors.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { MainnetError, UnsupportedOperationError } from '../../../sdk/transports/errors.js'
import { mainnet, type MainnetClient } from '../../../sdk/transports/mainnet.js'

const PROCESS = Buffer.alloc(32, 7).toString('base64url')
const signer = ethereumSigner('0x' + '11'.repeat(32))
const RESULT = { Output: 'ok', Messages: [], Assignments: [], Spawns: [], Error: undefined }

function fakeClient() {
  const calls: { op: string; args: unknown }[] = []
  const record = (op: string, answer: unknown) => async (args: unknown) => (calls.push({ op, args }), answer)
  const client: MainnetClient = {
    spawn: record('spawn', 'new-pid'),
    message: record('message', 'msg-id'),
    result: record('result', RESULT),
    results: record('results', { edges: [{ cursor: '7', node: RESULT }] }),
    dryrun: record('dryrun', RESULT),
  }
  return { client, calls }
}

describe('mainnet transport (mapping only; untested against a real node)', () => {
  it('message: re-sends target, tags and data as text; returns the node id', async () => {
    const { client, calls } = fakeClient()
    const item = await createDataItem({ signer, target: PROCESS, tags: { Action: 'Ping' }, data: 'hi' })
    expect(await mainnet({ url: 'http://node', signer: {}, client }).message(item)).to.deep.equal({ id: 'msg-id' })
    expect(calls).to.deep.equal([{ op: 'message', args: { process: PROCESS, tags: [{ name: 'Action', value: 'Ping' }], data: 'hi', returnMessageId: true } }])
  })

  it('spawn: takes the module from the Module tag', async () => {
    const { client, calls } = fakeClient()
    const item = await createDataItem({ signer, tags: { Type: 'Process', Module: 'mod-1' }, data: '1984' })
    expect(await mainnet({ url: 'http://node', signer: {}, client }).spawn(item)).to.deep.equal({ id: 'new-pid' })
    expect(calls[0]).to.deep.equal({ op: 'spawn', args: { module: 'mod-1', tags: item.tags, data: '1984' } })
  })

  it('result, results and dryrun pass through', async () => {
    const { client, calls } = fakeClient()
    const transport = mainnet({ url: 'http://node', signer: {}, client })
    expect(await transport.result({ process: PROCESS, message: 'm' })).to.deep.equal(RESULT)
    expect((await transport.results({ process: PROCESS, limit: 3 })).edges[0].cursor).to.equal('7')
    expect(await transport.dryrun({ process: PROCESS, tags: [{ name: 'Action', value: 'Info' }], data: 'q' })).to.deep.equal(RESULT)
    expect(calls.map((c) => c.op)).to.deep.equal(['result', 'results', 'dryrun'])
    expect(calls[2].args).to.deep.equal({ process: PROCESS, tags: [{ name: 'Action', value: 'Info' }], data: 'q' })
  })

  it('assign, monitor and unmonitor throw UnsupportedOperationError', async () => {
    const transport = mainnet({ url: 'http://node', signer: {}, client: fakeClient().client })
    const item = await createDataItem({ signer, target: PROCESS })
    for (const run of [() => transport.assign({ process: PROCESS, message: 'm' }), () => transport.monitor(item), () => transport.unmonitor(item)]) {
      const error = await run().catch((e: unknown) => e)
      expect(error).to.be.instanceOf(UnsupportedOperationError).and.instanceOf(AokitError)
    }
  })

  it("wraps aoconnect's plain errors in MainnetError", async () => {
    const client = { ...fakeClient().client, result: async () => { throw new Error('Error getting result') } }
    const error = await mainnet({ url: 'http://node', signer: {}, client }).result({ process: PROCESS, message: 'm' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(MainnetError)
    expect((error as MainnetError).message).to.contain('Error getting result')
  })

  it('loads the real aoconnect mainnet client on first use; a failure is a MainnetError', async () => {
    const transport = mainnet({ url: 'http://127.0.0.1:1', signer: undefined })
    const error = await transport.result({ process: PROCESS, message: 'm' }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(MainnetError)
    expect((error as MainnetError).cause).to.not.be.instanceOf(TypeError)
  })
})
