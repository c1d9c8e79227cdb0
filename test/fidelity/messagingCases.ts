// Cases for the ao module and message handling (aos-runtime.md §2, §3): send/spawn/assign shapes, reply and
// forward, trust and authorities, tag normalisation, Tags vs TagArray, JSON Data, os.time, process boot.
import { ALICE, MU, OTHER_PROCESS, OWNER, SELF, STRANGER, action, cron, evalMsg, id, msg, replayCase } from './builders.js'
import type { ReplayFile } from './replayFile.js'

const lua = String.raw
const BOB = id('wallet:bob')

export const messagingCases: Record<string, ReplayFile> = {
  'ao-send-shapes': replayCase(
    'ao-send-shapes',
    'ao.send: Anchor/Reference counter, top-level keys as tags with raw value types, Tags map and list, Data kinds',
    {},
    [
      evalMsg(lua`local _ = ao.send({ Target = "${OTHER_PROCESS}", Action = "Plain", Data = "text" })`),
      evalMsg(lua`local _ = ao.send({ Target = "${OTHER_PROCESS}", Data = 123, Count = 5, Ratio = 1.5, Flag = true, Tags = { Extra = "e" } })`),
      evalMsg(lua`local _ = ao.send({ Target = "${OTHER_PROCESS}", Tags = { { name = "Listed", value = "1" }, { name = "Listed", value = "2" } } })`),
      evalMsg(lua`local m = ao.send({ Target = "${OTHER_PROCESS}", Action = "Ret" }) return m.Anchor .. " " .. tostring(m.Target) .. " " .. type(m.onReply) .. " " .. type(m.receive)`),
      evalMsg('ao.reference'),
    ],
  ),

  'send-global-wrapper': replayCase(
    'send-global-wrapper',
    'Send(): table Data becomes JSON with Content-Type; no Target gives a warning print; its return value',
    {},
    [
      evalMsg(lua`local _ = Send({ Target = "${OTHER_PROCESS}", Action = "Json", Data = { 1, 2, 3 } })`),
      evalMsg(lua`local _ = Send({ Target = "${OTHER_PROCESS}", Data = { nested = { ok = true } } })`),
      evalMsg(lua`local _ = Send({ Action = "Nowhere", Data = "lost" })`),
      evalMsg(lua`return Send({ Target = "${OTHER_PROCESS}" }).output`),
    ],
  ),

  'spawn-shapes': replayCase(
    'spawn-shapes',
    'ao.spawn and Spawn(): NODATA default, From-Process/From-Module/Module tags, table Data, onReply on Spawned',
    {},
    [
      evalMsg(lua`local _ = ao.spawn(ao._module, { Tags = { Name = "child" } })`),
      evalMsg(lua`local _ = Spawn({ Data = "boot data", Role = "worker" })`),
      evalMsg(lua`local _ = Spawn("${id('module:other')}", { Data = { a = 1 } })`),
      evalMsg(lua`return Spawn({}).output`),
      evalMsg(lua`ao.spawn(ao._module, {}).onReply(function(m) print("spawned " .. m.Process) end)`),
      action('Spawned', { fromProcess: SELF, owner: MU, tags: { Reference: '5', Process: id('process:child') } }),
      evalMsg(lua`return pcall(ao.spawn, 42, {})`),
      evalMsg(lua`local ok, e = pcall(ao.spawn, 42, {}) return tostring(ok) .. " | " .. e`),
    ],
  ),

  'assign-shapes': replayCase(
    'assign-shapes',
    'ao.assign and Assign(): the Assignments outbox and the printed confirmation',
    {},
    [
      evalMsg(lua`ao.assign({ Processes = { "${OTHER_PROCESS}" }, Message = "${id('message:assigned')}" })`),
      evalMsg(lua`return Assign({ Processes = { "${OTHER_PROCESS}", "${id('process:third')}" }, Message = "${id('message:assigned-2')}" })`),
    ],
  ),

  'msg-reply-and-forward': replayCase(
    'msg-reply-and-forward',
    'msg.reply (Reply-To, X-Reference from Reference, X-Origin) and msg.forward (Reply-To, X-Origin, extra fields)',
    {},
    [
      evalMsg(lua`Handlers.add("Echo", "Echo", function(m) m.reply({ Data = "echo " .. m.Data, Extra = "1" }) end)
Handlers.add("Relay", "Relay", function(m) m.forward("${OTHER_PROCESS}", { Note = "relayed" }) end)`),
      action('Echo', { owner: ALICE, data: 'a' }),
      action('Echo', { owner: ALICE, data: 'b', tags: { 'Reply-To': BOB, Reference: '7', 'X-Origin': STRANGER } }),
      action('Echo', { owner: ALICE, data: 'c', tags: { 'X-Reference': '9', Reference: '8' } }),
      action('Relay', { owner: ALICE, data: 'payload', tags: { Custom: 'kept' } }),
      action('Relay', { fromProcess: OTHER_PROCESS, owner: MU, data: 'p2', tags: { 'Reply-To': BOB, 'X-Origin': ALICE } }),
    ],
  ),

  'trust-untrusted-sender': replayCase(
    'trust-untrusted-sender',
    'A message pushed with From-Process by a non-authority is not trusted: a print, no handler, no Inbox entry',
    {},
    [
      evalMsg(lua`Handlers.add("Hit", "Hit", function() print("handler ran") end)`),
      action('Hit', { fromProcess: OTHER_PROCESS, owner: STRANGER }),
      action('Hit', { fromProcess: OTHER_PROCESS, owner: MU }),
      msg({ fromProcess: OTHER_PROCESS, owner: STRANGER, data: 'x' }),
      evalMsg('#Inbox'),
    ],
  ),

  'trust-authority-list': replayCase(
    'trust-authority-list',
    'Authority tags: several tags and comma-separated values, all trusted; ao.isTrusted',
    { authorities: [MU, `${ALICE},${BOB}`] },
    [
      evalMsg(lua`return table.concat(ao.authorities, " ")`),
      action('Ping', { fromProcess: OTHER_PROCESS, owner: BOB }),
      action('Ping', { fromProcess: OTHER_PROCESS, owner: ALICE }),
      action('Ping', { fromProcess: OTHER_PROCESS, owner: STRANGER }),
      evalMsg(lua`return tostring(ao.isTrusted({ From = "${STRANGER}", Owner = "${BOB}" })) .. " " .. tostring(ao.isTrusted({ From = "${STRANGER}", Owner = "${STRANGER}" }))`),
      evalMsg('#Inbox'),
    ],
  ),

  'trust-no-authority': replayCase(
    'trust-no-authority',
    'A process with no Authority tag trusts nothing pushed by the messenger',
    { authorities: [] },
    [action('Ping', { fromProcess: OTHER_PROCESS, owner: MU }), evalMsg('#ao.authorities'), evalMsg('#Inbox')],
  ),

  'eval-from-owner-forwarded': replayCase(
    'eval-from-owner-forwarded',
    'An Eval pushed by the messenger with From-Process = owner runs; an Eval from anyone else lands in the Inbox',
    {},
    [
      evalMsg(lua`Forwarded = "yes" return "forwarded eval ran"`, { fromProcess: OWNER, owner: MU }),
      evalMsg(lua`Hacked = true return "should not run"`, { owner: ALICE }),
      evalMsg(lua`Hacked2 = true`, { fromProcess: OTHER_PROCESS, owner: MU }),
      evalMsg(lua`return tostring(Forwarded) .. " " .. tostring(Hacked) .. " " .. tostring(Hacked2) .. " " .. #Inbox`),
    ],
  ),

  'tag-name-normalisation': replayCase(
    'tag-name-normalisation',
    'Incoming tag names are Title-Cased with _ → - (action→Action, SDK→Sdk, x_custom_tag→X-Custom-Tag, TokenId→Tokenid)',
    { tags: { app_name: 'fidelity' } },
    [
      evalMsg(lua`Handlers.add("Echo", "Echo", function(m)
  local names = {}
  for _, t in ipairs(m.TagArray) do table.insert(names, t.name .. "=" .. t.value) end
  print(table.concat(names, ";"))
  print(tostring(m.Action) .. " " .. tostring(m.Sdk) .. " " .. tostring(m["X-Custom-Tag"]) .. " " .. tostring(m.Tokenid))
  print(tostring(m.Tags["X-Custom-Tag"]) .. " " .. tostring(m.Tags.x_custom_tag) .. " " .. tostring(m.Tags.SDK))
end)`),
      msg({ tags: [['action', 'Echo'], ['SDK', 'x'], ['x_custom_tag', 'v'], ['TokenId', 't'], ['content-TYPE', 'text/plain']] }),
      evalMsg(lua`local t = ao.env.Process.Tags return tostring(t["App-Name"]) .. " " .. tostring(t.app_name) .. " " .. tostring(t.Sdk) .. " " .. tostring(t.SDK)`),
    ],
  ),

  'from-owner-tags-stripped': replayCase(
    'from-owner-tags-stripped',
    'Tags named exactly From or Owner are removed by the compute unit before evaluation (no spoofing)',
    {},
    [
      evalMsg(lua`Handlers.add("Who", "Who", function(m)
  local names = {}
  for _, t in ipairs(m.TagArray) do table.insert(names, t.name) end
  print(m.From .. " " .. m.Owner .. " " .. table.concat(names, ","))
end)`),
      action('Who', { owner: ALICE, tags: [['From', STRANGER], ['Owner', STRANGER], ['from', 'lower-case-kept']] }),
    ],
  ),

  'tags-duplicates': replayCase(
    'tags-duplicates',
    'Duplicate tags: msg.Tags keeps the first, the top-level field the last, TagArray all of them',
    {},
    [
      evalMsg(lua`Handlers.add("Dup", "Dup", function(m)
  print(m.Tags.Color .. " " .. m.Color .. " " .. #m.TagArray)
  local vals = {}
  for _, t in ipairs(m.TagArray) do if t.name == "Color" then table.insert(vals, t.value) end end
  print(table.concat(vals, ","))
end)`),
      msg({ tags: [['Action', 'Dup'], ['Color', 'red'], ['Color', 'green'], ['Color', 'blue']] }),
    ],
  ),

  'reserved-tags-not-top-level': replayCase(
    'reserved-tags-not-top-level',
    'ao.normalize does not copy Data-Protocol/Variant/Type/From-Process/... tags to the top level',
    {},
    [
      evalMsg(lua`Handlers.add("Peek", "Peek", function(m)
  print(tostring(m.Variant) .. " " .. tostring(m["Data-Protocol"]) .. " " .. tostring(m.Type) .. " " .. tostring(m["From-Process"]))
  print(tostring(m.Tags.Variant) .. " " .. tostring(m.Tags.Type) .. " " .. tostring(m["Forwarded-By"]) .. " " .. m.From)
end)`),
      msg({
        fromProcess: OTHER_PROCESS,
        owner: MU,
        tags: [['Action', 'Peek'], ['Variant', 'ao.TN.1'], ['Data-Protocol', 'ao'], ['Type', 'Message']],
      }),
    ],
  ),

  'json-data-decoding': replayCase(
    'json-data-decoding',
    'Content-Type application/json decodes Data into a table before handlers; other types stay strings',
    {},
    [
      evalMsg(lua`Handlers.add("Json", "Json", function(m) print(type(m.Data)) if type(m.Data) == "table" then print(m.Data.a .. " " .. #m.Data.list) end end)`),
      action('Json', { tags: { 'Content-Type': 'application/json' }, data: '{"a":"x","list":[1,2,3]}' }),
      action('Json', { tags: { 'Content-Type': 'text/plain' }, data: '{"a":"x"}' }),
      action('Json', { tags: { 'Content-Type': 'application/json' }, data: '' }),
    ],
  ),

  'json-data-invalid': replayCase(
    'json-data-invalid',
    'Invalid JSON Data with Content-Type application/json fails before any handler; state is unchanged',
    {},
    [
      evalMsg(lua`Seen = 0 Handlers.add("Json", "Json", function() Seen = Seen + 1 end)`),
      action('Json', { tags: { 'Content-Type': 'application/json' }, data: '{"a": nope}' }),
      action('Unrelated', { tags: { 'Content-Type': 'application/json' }, data: '[1, 2' }),
      evalMsg('Seen'),
      evalMsg('#Inbox'),
    ],
  ),

  'os-time': replayCase(
    'os-time',
    'os.time() returns the message Timestamp (ms) whatever its arguments',
    {},
    [
      evalMsg('os.time()'),
      evalMsg('os.time({ year = 2020, month = 1, day = 1 })'),
      evalMsg(lua`Handlers.add("Clock", "Clock", function(m) print(os.time() == m.Timestamp) print(os.time()) end)`),
      action('Clock'),
      evalMsg('math.type(os.time())'),
    ],
  ),

  'process-name-and-boot': replayCase(
    'process-name-and-boot',
    'Name tag in the prompt; On-Boot=Data runs the Process Data as Lua; Inbox holds the Process message',
    { tags: { Name: 'fidelity-proc', 'On-Boot': 'Data' }, data: lua`Booted = "booted" print("booting " .. ao.id:sub(1, 4)) return 1 + 1` },
    [evalMsg('Booted'), evalMsg(lua`return #Inbox .. " " .. Inbox[1].Tags.Type .. " " .. Name .. " " .. Owner:sub(1, 4)`)],
  ),

  'process-message-shape': replayCase(
    'process-message-shape',
    'The plain Process message result (empty data, Inbox:1) and globals set on it (Owner, Name, ao.id, ao._module)',
    {},
    [
      evalMsg(lua`return Owner .. " " .. Name .. " " .. ao.id .. " " .. ao._module`),
      evalMsg(lua`return ao._version .. " " .. tostring(Handlers._version)`),
      evalMsg(lua`local names = {} for _, h in ipairs(Handlers.list) do table.insert(names, h.name) end return table.concat(names, ",")`),
    ],
  ),

  'cron-messages': replayCase(
    'cron-messages',
    'Cron ticks as the CU builds them (no Id, Nonce, Hash-Chain, Data, Anchor): handled, replied to, or put in the Inbox',
    {},
    [
      evalMsg(lua`Handlers.add("tick", function(m) return m.Cron == true and m.Action == "Cron" end, function(m)
  Ticks = (Ticks or 0) + 1
  print(table.concat({ tostring(m.Id), tostring(m.Nonce), tostring(m["Hash-Chain"]), m.Timestamp, m["Block-Height"],
    tostring(m.Data), tostring(m.Anchor), tostring(m.Epoch), tostring(m["Read-Only"]), m.From == Owner and "owner" or m.From }, " "))
  m.reply({ Data = "tock" })
end)`),
      cron({ tags: { Action: 'Cron' } }),
      cron(),
      cron({ tags: [['Action', 'Cron'], ['Extra', 'x']] }),
      evalMsg(lua`return Ticks .. " " .. #Inbox .. " " .. tostring(Inbox[#Inbox].Id) .. " " .. tostring(Inbox[#Inbox].Cron)`),
    ],
  ),
}
