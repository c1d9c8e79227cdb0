import { createClient } from '../../../sdk/client.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { legacy } from '../../../sdk/transports/legacy.js'
import { ETH_PRIVATE_KEY } from '../helpers/keys.js'
import { loopbackFetch, removeDataDir, startTestDevnet } from '../../harness/server/support.js'
import { clientSuite } from './clientSuite.js'

clientSuite('legacy (HTTP, against the devnet)', async () => {
  const devnet = await startTestDevnet()
  return {
    client: createClient({
      transport: legacy({ muUrl: devnet.muUrl, cuUrl: devnet.cuUrl, gatewayUrl: devnet.gatewayUrl, fetch: loopbackFetch }),
      signer: ethereumSigner(ETH_PRIVATE_KEY),
    }),
    scheduler: devnet.scheduler,
    monitored: () => [...devnet.devnet.monitored],
    close: async () => {
      await devnet.close()
      removeDataDir(devnet.dataDir)
    },
  }
})
