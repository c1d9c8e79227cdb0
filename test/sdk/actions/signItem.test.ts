import { expect } from 'chai'
import { message } from '../../../sdk/actions/message.js'
import { result } from '../../../sdk/actions/result.js'
import { createClient } from '../../../sdk/client.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { COUNTER } from './setup.js'

describe('signItem with a real signer (createDataItem)', () => {
  it('signs, sends from the signer address, and the result is found by the item id', async () => {
    const tn = createTestNetwork()
    const counter = await tn.spawn({ source: COUNTER })
    const signer = ethereumSigner('0x' + '1'.padStart(64, '0'))
    const client = createClient({ transport: local(tn), signer })
    const id = await message(client, { process: counter, tags: { Action: 'Inc' } })
    expect(id).to.match(/^[A-Za-z0-9_-]{43}$/)
    const res = await result(client, { process: counter, message: id })
    expect(res.Messages![0]).to.include({ Target: signer.address, Data: '1' })
  })
})
