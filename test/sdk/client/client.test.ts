import { expect } from 'chai'
import { createClient } from '../../../sdk/client.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { fakeSigner } from '../actions/fakeSign.js'

describe('createClient', () => {
  it('holds the transport and signer as plain fields', () => {
    const transport = local(createTestNetwork())
    const signer = fakeSigner('alice')
    const client = createClient({ transport, signer })
    expect(client.transport).to.equal(transport)
    expect(client.signer).to.equal(signer)
  })

  it('extend adds members bound to the client and can be chained', () => {
    const client = createClient({ transport: local(createTestNetwork()) })
      .extend((c) => ({ transportName: () => c.transport.name }))
      .extend((c) => ({ shout: () => c.transportName().toUpperCase() }))
    expect(client.transportName()).to.equal('local')
    expect(client.shout()).to.equal('LOCAL')
  })
})
