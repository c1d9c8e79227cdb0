import { createClient } from '../../../sdk/client.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import { ETH_PRIVATE_KEY } from '../helpers/keys.js'
import { clientSuite } from './clientSuite.js'

clientSuite('local (in-memory network)', async () => {
  const network = createTestNetwork()
  return {
    client: createClient({ transport: local(network), signer: ethereumSigner(ETH_PRIVATE_KEY) }),
    scheduler: network.net.ids.scheduler,
    close: async () => {},
  }
})
