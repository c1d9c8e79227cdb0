// What `aokit devnet` prints at start: the endpoints and a snippet to paste into an aoconnect script.
import type { DevnetServer } from './devnetServer.js'
import { AOS_MODULE } from '../../sdk/constants.js'

export function devnetBanner(server: DevnetServer, dataDir: string): string {
  return `aokit devnet listening on ${server.url}  (data: ${dataDir}, ${server.devnet.network.processIds.length} processes)

  MU        ${server.muUrl}
  CU        ${server.cuUrl}
  SU        ${server.suUrl}
  Gateway   ${server.gatewayUrl}  (GraphQL ${server.gatewayUrl}/graphql)
  Module    ${AOS_MODULE}  (aos, run by aokit's runtime)
  Scheduler ${server.scheduler}
  Authority ${server.devnet.network.messenger.address}  (the MU's address: name it in a process's Authority tag)

  import { connect, createDataItemSigner } from '@permaweb/aoconnect'
  const ao = connect({ MODE: 'legacy', MU_URL: '${server.muUrl}', CU_URL: '${server.cuUrl}', GATEWAY_URL: '${server.gatewayUrl}' })
  const processId = await ao.spawn({ module: '${AOS_MODULE}', scheduler: '${server.scheduler}', signer: createDataItemSigner(jwk),
    tags: [{ name: 'Authority', value: '${server.devnet.network.messenger.address}' }] })
`
}
