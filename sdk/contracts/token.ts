// A client for tokens following the aos token blueprint (specs/aos-runtime.md §8). Quantities are bigint
// in the token's smallest unit (Denomination says where the point goes).
import type { OutboxMessage } from '../actions/sendAndWait.js'
import { action, defineContract, tagOf } from './defineContract.js'
import { InvalidQuantityError } from './errors.js'

export type TokenInfo = { name?: string; ticker?: string; logo?: string; denomination?: number }

const quantity = (text: string | undefined, what: string): bigint => {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) throw new InvalidQuantityError(what, text, 'an integer quantity')
  return BigInt(text.trim())
}
const dataOf = (reply: OutboxMessage | undefined) => (reply?.Data === undefined ? undefined : String(reply.Data))

export const token = defineContract({
  info: action({
    action: 'Info',
    kind: 'read',
    parse: ({ reply }): TokenInfo => {
      const denomination = tagOf(reply, 'Denomination')
      return { name: tagOf(reply, 'Name'), ticker: tagOf(reply, 'Ticker'), logo: tagOf(reply, 'Logo'), denomination: denomination === undefined ? undefined : Number(denomination) }
    },
  }),
  /** Balance of `account` (default: the caller). */
  balance: action({
    action: 'Balance',
    kind: 'read',
    tags: (params: { account?: string } | void): Record<string, string> => (params?.account ? { Recipient: params.account } : {}),
    parse: ({ reply }) => quantity(tagOf(reply, 'Balance') ?? dataOf(reply), 'Balance'),
  }),
  balances: action({
    action: 'Balances',
    kind: 'read',
    parse: ({ reply }): Record<string, bigint> => {
      const raw = JSON.parse(dataOf(reply) ?? '{}') as Record<string, string | number>
      return Object.fromEntries(Object.entries(raw).map(([account, value]) => [account, quantity(String(value), `Balance of ${account}`)]))
    },
  }),
  totalSupply: action({
    action: 'Total-Supply',
    kind: 'read',
    parse: ({ reply }) => quantity(dataOf(reply), 'Total-Supply'),
  }),
  /** Throws ContractActionError (Transfer-Error) when the balance is short. Returns the message id. */
  transfer: action({
    action: 'Transfer',
    kind: 'write',
    tags: (params: { recipient: string; quantity: bigint; cast?: boolean }): Record<string, string> => ({
      Recipient: params.recipient,
      Quantity: positive(params.quantity),
      ...(params.cast ? { Cast: 'true' } : {}),
    }),
    parse: ({ id }) => id!,
  }),
  /** Only the token process itself may mint; others get ContractActionError (Mint-Error). */
  mint: action({
    action: 'Mint',
    kind: 'write',
    tags: (params: { quantity: bigint }): Record<string, string> => ({ Quantity: positive(params.quantity) }),
    parse: ({ id }) => id!,
  }),
  burn: action({
    action: 'Burn',
    kind: 'write',
    tags: (params: { quantity: bigint }): Record<string, string> => ({ Quantity: positive(params.quantity) }),
    parse: ({ id }) => id!,
  }),
})

function positive(value: bigint): string {
  if (value <= 0n) throw new InvalidQuantityError('Quantity', value.toString(), 'greater than 0')
  return value.toString()
}
