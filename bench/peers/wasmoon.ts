// Peer "the limit": wasmoon's own LuaFactory/LuaEngine with one Lua function doing the token's balance update
// (decimal-string balances, plain Lua integers instead of bint, no handlers, no messages), called once per transfer
// from JS. Same seeded transfer list as the harness row.
import { LuaFactory } from 'wasmoon'
import { perSecond } from '../stats.js'
import { MINT_QUANTITY, transferPlan } from '../workload.js'

const TRANSFER_LUA = `
Balances = { sender = "${MINT_QUANTITY}" }
function transfer(from, to, quantity)
  local q = tonumber(quantity)
  local have = tonumber(Balances[from] or "0")
  if have < q then return false end
  Balances[from] = tostring(have - q)
  Balances[to] = tostring(tonumber(Balances[to] or "0") + q)
  return true
end`

export type WasmoonOutput = { transfers: number; ms: number; perSecond: number }

export async function runWasmoon(count: number, warmup: number): Promise<WasmoonOutput> {
  const engine = await new LuaFactory().createEngine({ injectObjects: false })
  try {
    engine.doStringSync(TRANSFER_LUA)
    const transfer = engine.global.get('transfer') as (from: string, to: string, quantity: string) => boolean
    const plan = transferPlan(warmup + count)
    const recipients = ['receiver-0', 'receiver-1', 'receiver-2', 'receiver-3']
    let start = 0
    for (let i = 0; i < plan.length; i++) {
      if (i === warmup) start = performance.now()
      if (!transfer('sender', recipients[plan[i].recipient % recipients.length], plan[i].quantity)) throw new Error('wasmoon peer: insufficient balance')
    }
    const ms = performance.now() - start
    return { transfers: count, ms, perSecond: perSecond(count, ms) }
  } finally {
    engine.global.close()
  }
}
