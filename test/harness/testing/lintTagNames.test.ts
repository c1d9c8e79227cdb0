// Tag-name lint: a read of `msg.VoteID` when the message carried VoteID, which aos renamed to Voteid.
import { expect } from 'chai'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'

const ESCROW = 'test/harness/testing/fixtures/escrow/escrow.lua'
const output = (result: { Output?: unknown }) => (result.Output as { data: string }).data

describe('testing: tag-name lint', function () {
  this.timeout(20_000)

  it('warns once per contract line and name, and the handler still sees nil as on AO', async () => {
    const warnings: string[] = []
    const t = createTestNetwork({ seed: 'lint', onWarning: (w) => warnings.push(w) })
    const escrow = await t.spawn({ file: ESCROW, name: 'escrow' })
    const alice = t.wallet('alice')
    const first = await t.send(alice, escrow, 'Lookup', { EscrowID: '7' })
    await t.send(alice, escrow, 'Lookup', { EscrowID: '8' })
    expect(first.result.Messages![0]!.Data).to.equal('7') // msg.EscrowID was nil; msg.Escrowid answered
    expect(warnings).to.deep.equal([`aokit: ${ESCROW}:27 reads msg.EscrowID, but aos renames the tag to Escrowid`])
    expect(t.warnings).to.deep.equal(warnings)
  })

  it('says nothing when the message carried the name aos uses', async () => {
    const warnings: string[] = []
    const t = createTestNetwork({ seed: 'lint', onWarning: (w) => warnings.push(w) })
    const escrow = await t.spawn({ file: ESCROW, name: 'escrow' })
    await t.send(t.wallet('alice'), escrow, 'Lookup', { Escrowid: '7' })
    expect(warnings).to.deep.equal([])
  })

  it('covers msg.Tags, names with _ (TTL_Seconds → Ttl-Seconds), code from a string and Handlers patterns', async () => {
    const warnings: string[] = []
    const t = createTestNetwork({ seed: 'lint', onWarning: (w) => warnings.push(w) })
    const vote = await t.spawn({
      name: 'vote',
      source: [
        "Handlers.add('Tally', { VoteID = '_' }, function() print('never') end)",
        "Handlers.add('Vote', 'Vote', function(msg)",
        '  print(tostring(msg.Tags.VoteID) .. tostring(msg.TTL_Seconds))',
        'end)',
      ].join('\n'),
    })
    const res = await t.send(t.wallet('alice'), vote, 'Vote', { VoteID: '1', TTL_Seconds: '60' })
    expect(output(res.result)).to.equal('nilnil')
    expect(warnings).to.deep.equal([
      'aokit: vote (a Handlers pattern or library call) reads msg.VoteID, but aos renames the tag to Voteid',
      'aokit: vote (a Handlers pattern or library call) reads msg.Tags.VoteID, but aos renames the tag to Voteid',
      'aokit: vote (line 3 of its loaded code) reads msg.Tags.VoteID, but aos renames the tag to Voteid',
      'aokit: vote (line 3 of its loaded code) reads msg.TTL_Seconds, but aos renames the tag to Ttl-Seconds',
    ])
  })

  it('warns on stderr (console.warn) by default', async () => {
    const t = createTestNetwork({ seed: 'lint' })
    const escrow = await t.spawn({ file: ESCROW, name: 'escrow' })
    const warn = console.warn
    const seen: unknown[] = []
    console.warn = (...args: unknown[]) => seen.push(...args)
    try {
      await t.dryrun(t.wallet('alice'), escrow, 'Lookup', { EscrowID: '7' })
    } finally {
      console.warn = warn
    }
    expect(seen).to.deep.equal([`aokit: ${ESCROW}:27 reads msg.EscrowID, but aos renames the tag to Escrowid`])
  })
})
