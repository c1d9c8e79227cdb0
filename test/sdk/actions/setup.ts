// A test network with two scripted processes and a client signing (fakely) as alice.
import { createClient, type Client } from '../../../sdk/client.js'
import { local } from '../../../sdk/transports/local.js'
import { createTestNetwork, type TestNetwork } from '../../../harness/testing/testNetwork.js'
import { fakeSign, fakeSigner } from './fakeSign.js'

// Counter: Inc adds one and replies; Get replies the count. Relay: Ping forwards to Echo, which answers Origin.
export const COUNTER = `
Count = Count or 0
Handlers.add('inc', 'Inc', function(msg) Count = Count + 1; msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('get', 'Get', function(msg) msg.reply({ Action = 'Count', Data = tostring(Count) }) end)
Handlers.add('fail', 'Fail', function(msg) error('asked to fail') end)
`
export const relay = (echo: string) => `
Handlers.add('ping', 'Ping', function(msg) ao.send({ Target = '${echo}', Action = 'Forward', Origin = msg.From }) end)
`
export const ECHO = `
Handlers.add('forward', 'Forward', function(msg) ao.send({ Target = msg.Origin, Action = 'Pong', Data = 'pong' }) end)
`

export type Setup = { tn: TestNetwork; client: Client; alice: string; counter: string }

export async function setup(): Promise<Setup> {
  const tn = createTestNetwork()
  const alice = tn.wallet('alice')
  const counter = await tn.spawn({ name: 'counter', source: COUNTER })
  const client = createClient({ transport: local(tn), signer: fakeSigner(alice), sign: fakeSign(alice) })
  return { tn, client, alice, counter }
}
