// Cases for token behaviour (aos-runtime.md §8): our own token contract (contracts/token.lua) loaded by Eval,
// then Info, Balance, Transfer with and without funds, Cast, X-* forwarding, Mint, Total-Supply, Burn.
import { readFileSync } from 'node:fs'
import { ALICE, MU, SELF, STRANGER, action, evalMsg, id, replayCase } from './builders.js'
import type { ReplayFile } from './replayFile.js'

const TOKEN = readFileSync(new URL('./contracts/token.lua', import.meta.url), 'utf8')
const BOB = id('wallet:bob')
/** A message the process sends itself arrives through the messenger with From-Process = its own id. */
const fromSelf = { fromProcess: SELF, owner: MU }

export const tokenCases: Record<string, ReplayFile> = {
  'token-info-and-balances': replayCase(
    'token-info-and-balances',
    'Token loaded by Eval: Info, Balance (From, Recipient, Target), Balances, Total-Supply',
    {},
    [
      evalMsg(TOKEN),
      action('Info', { owner: ALICE }),
      action('Balance', { owner: ALICE }),
      action('Balance', { owner: ALICE, tags: { Recipient: SELF } }),
      action('Balance', { owner: ALICE, tags: { Target: SELF } }),
      action('Balances', { owner: STRANGER }),
      action('Total-Supply', { owner: STRANGER }),
      action('Total-Supply', fromSelf),
    ],
  ),

  'token-transfer': replayCase(
    'token-transfer',
    'Transfer with funds (Debit/Credit notices copying X-* tags), with Cast, without funds, and invalid quantities',
    {},
    [
      evalMsg(TOKEN),
      action('Transfer', { ...fromSelf, tags: { Recipient: ALICE, Quantity: '5000', 'X-Note': 'first', 'X-Order-Id': '17' } }),
      action('Balance', { owner: ALICE }),
      action('Transfer', { owner: ALICE, tags: { Recipient: BOB, Quantity: '1000', Cast: 'true' } }),
      action('Transfer', { owner: ALICE, tags: { Recipient: BOB, Quantity: '999999' } }),
      action('Transfer', { owner: ALICE, tags: { Recipient: BOB, Quantity: '0' } }),
      action('Transfer', { owner: ALICE, tags: { Quantity: '1' } }),
      action('Balance', { owner: BOB }),
      action('Balance', { owner: ALICE }),
      evalMsg('Balances["' + ALICE + '"] .. " " .. Balances["' + BOB + '"]'),
    ],
  ),

  'token-mint-and-burn': replayCase(
    'token-mint-and-burn',
    'Mint from a stranger (Mint-Error), Mint from the process itself, Burn within and beyond the balance',
    {},
    [
      evalMsg(TOKEN),
      action('Mint', { owner: STRANGER, tags: { Quantity: '100' } }),
      action('Mint', { ...fromSelf, tags: { Quantity: '100' } }),
      evalMsg('TotalSupply'),
      action('Burn', { ...fromSelf, tags: { Quantity: '50' } }),
      action('Burn', { owner: ALICE, tags: { Quantity: '1' } }),
      evalMsg('TotalSupply .. " " .. Balances[ao.id]'),
    ],
  ),
}
