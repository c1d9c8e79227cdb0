import { expect } from 'chai'
import { LEGACYNET_ADDRESSES } from '../../../harness/server/devnet.js'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { spawn } from '../../../sdk/actions/spawn.js'
import { createClient } from '../../../sdk/client.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { mainnet } from '../../../sdk/transports/mainnet.js'
import { ETH_PRIVATE_KEY } from '../helpers/keys.js'
import { loopbackFetch, removeDataDir, startTestDevnet } from '../../harness/server/support.js'
import { clientSuite } from './clientSuite.js'

// The same suite over the devnet's HyperBEAM API: the same network and results the legacy API serves.
clientSuite(
  'mainnet (HTTP, against the devnet\'s HyperBEAM API)',
  async () => {
    const devnet = await startTestDevnet()
    return {
      client: createClient({ transport: mainnet({ url: devnet.url, fetch: loopbackFetch }), signer: ethereumSigner(ETH_PRIVATE_KEY) }),
      scheduler: devnet.scheduler,
      close: async () => {
        await devnet.close()
        removeDataDir(devnet.dataDir)
      },
    }
  },
  { results: 'latest', assign: false, messageSlot: true },
)

describe('mainnet transport: spawn on the devnet\'s HyperBEAM API', () => {
  it('names the node as Scheduler and Authority with the process@1.0 devices, so the messenger is trusted too', async () => {
    const devnet = await startTestDevnet()
    try {
      const client = createClient({ transport: mainnet({ url: devnet.url, fetch: loopbackFetch }), signer: ethereumSigner(ETH_PRIVATE_KEY) })
      const pid = await spawn(client, { module: AOS_MODULE })
      const tags = devnet.devnet.network.process(pid).env.Process.Tags as { name: string; value: string }[]
      expect(tags).to.deep.include({ name: 'Scheduler', value: devnet.scheduler })
      expect(tags).to.deep.include({ name: 'device', value: 'process@1.0' })
      expect(tags).to.deep.include({ name: 'execution-device', value: 'genesis-wasm@1.0' })
      expect(tags.filter((t) => t.name === 'Authority').map((t) => t.value)).to.deep.equal([devnet.scheduler, LEGACYNET_ADDRESSES.messenger])
    } finally {
      await devnet.close()
      removeDataDir(devnet.dataDir)
    }
  })
})
