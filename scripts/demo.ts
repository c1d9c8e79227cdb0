// `npm run demo`: an end-to-end run of the embedded aos runtime. A process boots, loads a small token by Eval,
// moves balances, fails a transfer (its state rolls back), and its history is replayed to the same results.
import { replay, type ReplayFile, type ReplayMessage } from '../harness/replay.js'

const AOS_MODULE = 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s'
const id = (n: number) => ('m' + n).padStart(43, '0')
const PROCESS = 'demo-token-process-00000000000000000000000'.slice(0, 43)
const ALICE = 'alice-wallet-0000000000000000000000000000000'.slice(0, 43)
const BOB = 'bob-wallet-000000000000000000000000000000000'.slice(0, 43)

const TOKEN = `
local bint = require('.bint')(256)
Balances = Balances or { [Owner] = "1000" }
Handlers.add("Transfer", function(msg)
  local qty = bint(msg.Quantity)
  assert(bint.__lt(0, qty), "Quantity must be positive")
  local from = bint(Balances[msg.From] or "0")
  assert(bint.__le(qty, from), "Insufficient Balance!")
  Balances[msg.From] = tostring(from - qty)
  Balances[msg.Recipient] = tostring(bint(Balances[msg.Recipient] or "0") + qty)
  msg.reply({ Action = "Debit-Notice", Recipient = msg.Recipient, Quantity = msg.Quantity })
  Send({ Target = msg.Recipient, Action = "Credit-Notice", Sender = msg.From, Quantity = msg.Quantity })
end)
Handlers.add("Balance", function(msg)
  msg.reply({ Action = "Balance", Account = msg.Tags.Target or msg.From, Data = Balances[msg.Tags.Target or msg.From] or "0" })
end)
return "token loaded"`

let nonce = 0
function message(from: string, tags: Record<string, string>, data = ''): ReplayMessage {
  nonce += 1
  return {
    Id: id(nonce), Owner: from, From: from, Target: PROCESS, Anchor: '', Data: data,
    Tags: Object.entries(tags).map(([name, value]) => ({ name, value })),
    Epoch: 0, Nonce: nonce, Timestamp: 1_750_000_000_000 + nonce * 1000, 'Block-Height': 1_600_000 + nonce,
    'Hash-Chain': id(1000 + nonce), Cron: false, 'Read-Only': false,
  }
}

const file: ReplayFile = {
  format: 'ao-replay/1',
  name: 'demo-token',
  module: { Id: AOS_MODULE, Owner: ALICE, Tags: [{ name: 'Type', value: 'Module' }] },
  process: {
    Id: PROCESS, Owner: ALICE, From: ALICE, Target: PROCESS, Anchor: '', Data: '',
    Tags: [{ name: 'Type', value: 'Process' }, { name: 'Module', value: AOS_MODULE }, { name: 'Name', value: 'demo-token' }],
    Epoch: 0, Nonce: 0, Timestamp: 1_750_000_000_000, 'Block-Height': 1_600_000, 'Hash-Chain': id(999), Cron: false, 'Read-Only': false,
  },
  messages: [
    message(ALICE, { Action: 'Eval' }, TOKEN),
    message(ALICE, { Action: 'Transfer', Recipient: BOB, Quantity: '250' }),
    message(ALICE, { Action: 'Transfer', Recipient: BOB, Quantity: '99999' }),
    message(ALICE, { Action: 'Balance', Target: BOB }),
    message(ALICE, { Action: 'Eval' }, 'return require("json").encode(Balances)'),
  ],
}

const plain = (text: unknown) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '')
const labels = ['Process message', 'Eval token code', 'Transfer 250 to bob', 'Transfer 99999 (too much)', 'Balance of bob', 'Eval Balances']
const started = performance.now()
const { results } = await replay(file)
const elapsed = performance.now() - started
results.forEach((result, i) => {
  console.log(`\n# ${labels[i]}`)
  if (result.Error) console.log(`  Error: ${plain(result.Error).split('\n').filter(Boolean).slice(-1)[0]}`)
  const output = result.Output as { data?: string } | undefined
  if (output?.data) console.log(`  Output: ${plain(output.data)}`)
  for (const m of result.Messages ?? []) {
    const tags = Object.fromEntries(m.Tags.map((t) => [t.name, t.value]))
    console.log(`  → ${m.Target?.slice(0, 8)}… ${tags.Action} ${tags.Quantity ?? ''}${m.Data ? ` Data=${m.Data}` : ''}`)
  }
})
const again = await replay(file)
const identical = JSON.stringify(again) === JSON.stringify({ results })
console.log(`\n${results.length} messages evaluated in ${elapsed.toFixed(0)} ms; replaying gives identical results: ${identical}`)
if (!identical) process.exitCode = 1
