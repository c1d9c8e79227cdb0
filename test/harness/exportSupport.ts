// A devnet holding a token's history for the export tests: the token (contracts/token.lua) loaded by Eval, good and
// bad transfers, and a relay process whose messages reach the token through the MU (From-Process, Forwarded-By).
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { message } from '../../sdk/actions/message.js'
import { result } from '../../sdk/actions/result.js'
import { spawn } from '../../sdk/actions/spawn.js'
import { createClient, type Client } from '../../sdk/client.js'
import { ethereumSigner } from '../../sdk/signers/ethereumSigner.js'
import { legacy } from '../../sdk/transports/legacy.js'
import type { AoResult } from '../../sdk/types.js'
import { AOS_MODULE } from '../../sdk/constants.js'
import { ETH_PRIVATE_KEY } from '../sdk/helpers/keys.js'
import { loopbackFetch, removeDataDir, startTestDevnet, type TestDevnet } from './server/support.js'

export type TokenHistory = {
  devnet: TestDevnet
  client: Client
  token: string
  /** Every message the token was sent, in order (the Process message not included). */
  sent: string[]
  /** The devnet CU's result of a message at the token. */
  cuResult(id: string): Promise<AoResult>
  close(): Promise<void>
}

const RELAY = `Handlers.add('relay', 'Relay', function(msg)
  ao.send({ Target = msg.Token, Action = 'Transfer', Recipient = msg.From, Quantity = msg.Quantity })
end)`

export async function startTokenHistory(): Promise<TokenHistory> {
  const devnet = await startTestDevnet()
  const client = createClient({ transport: legacy({ muUrl: devnet.muUrl, cuUrl: devnet.cuUrl, gatewayUrl: devnet.gatewayUrl, fetch: loopbackFetch }), signer: ethereumSigner(ETH_PRIVATE_KEY) })
  const me = client.signer!.address
  const token = await spawn(client, { module: AOS_MODULE, scheduler: devnet.scheduler, tags: { Name: 'Export Coin' } })
  const relay = await spawn(client, { module: AOS_MODULE, scheduler: devnet.scheduler, tags: { Name: 'relay' } })
  const sent: string[] = []
  const send = async (process: string, tags: Record<string, string>, data?: string) => {
    devnet.clock.now += 1000
    const id = await message(client, { process, tags, data })
    if (process === token) sent.push(id)
    return id
  }
  const source = readFileSync(new URL('../../contracts/token.lua', import.meta.url), 'utf8')
  const loaded = await send(token, { Action: 'Eval' }, source)
  expect((await result(client, { process: token, message: loaded })).Error, 'loading the token').to.equal(undefined)
  const relayLoaded = await send(relay, { Action: 'Eval' }, RELAY)
  expect((await result(client, { process: relay, message: relayLoaded })).Error, 'loading the relay').to.equal(undefined)
  // The token holds the supply: give the relay and the user some, by Eval from the owner.
  await send(token, { Action: 'Eval' }, `Balances['${relay}'] = '500'; Balances['${me}'] = '1000'`)
  await send(token, { Action: 'Transfer', Recipient: relay, Quantity: '250', 'X-Note': 'first' })
  await send(token, { Action: 'Transfer', Recipient: relay, Quantity: '999999' })
  await send(token, { Action: 'Transfer', Recipient: relay, Quantity: '-5' })
  await send(token, { Action: 'Balance', Recipient: relay })
  await send(token, { Action: 'Eval' }, "error('boom')")
  // Arrives at the token as the MU's message for the relay: not in `sent`, read back from the SU.
  await send(relay, { Action: 'Relay', Token: token, Quantity: '7' })
  await send(token, { Action: 'Balances' })
  return {
    devnet,
    client,
    token,
    sent,
    cuResult: (id) => result(client, { process: token, message: id }),
    close: async () => {
      await devnet.close()
      removeDataDir(devnet.dataDir)
    },
  }
}
