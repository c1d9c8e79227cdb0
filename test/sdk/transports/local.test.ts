import { expect } from 'chai'
import { sha256 } from '@noble/hashes/sha2.js'
import { ResultNotFoundError } from '../../../sdk/actions/errors.js'
import { local, ownerAddress } from '../../../sdk/transports/local.js'
import { AoNetwork } from '../../../harness/network/network.js'
import { createTestNetwork } from '../../../harness/testing/testNetwork.js'
import type { SignedDataItem } from '../../../sdk/types.js'

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const item = (fields: Partial<SignedDataItem>): SignedDataItem => ({ id: 'item-1', raw: new Uint8Array(), owner: 'x', tags: [], data: new TextEncoder().encode(' '), ...fields })

describe('local transport', () => {
  it('accepts an AoNetwork as well as a TestNetwork', async () => {
    const net = new AoNetwork()
    const alice = net.wallet('alice')
    const pid = await net.spawn({ owner: alice })
    const transport = local(net)
    const { id } = await transport.message(item({ owner: alice, target: pid, tags: [{ name: 'Action', value: 'Eval' }], data: new TextEncoder().encode('return 1 + 1') }))
    expect(id).to.equal('item-1')
    const res = await transport.result({ process: pid, message: id })
    expect(res).to.have.all.keys('Messages', 'Spawns', 'Assignments', 'Output', 'GasUsed')
  })

  it('throws ResultNotFoundError for a message the process never saw', async () => {
    const tn = createTestNetwork()
    const pid = await tn.spawn()
    try {
      await local(tn).result({ process: pid, message: 'nope' })
      expect.fail('should throw')
    } catch (error) {
      expect(error).to.be.instanceOf(ResultNotFoundError)
    }
  })

  it('sends from the address of the item owner: sha256 of an Arweave key', async () => {
    const key = new Uint8Array(512).fill(7)
    expect(ownerAddress(item({ owner: b64url(key) }))).to.equal(b64url(sha256(key)))
  })

  it('derives an EIP-55 address from a 65-byte Ethereum key', async () => {
    // Public key of private key 0x…01 (the secp256k1 generator point).
    const key = Buffer.from('0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8', 'hex')
    expect(ownerAddress(item({ owner: b64url(key) }))).to.equal('0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf')
  })

  it('dry-runs from the request owner without touching the history', async () => {
    const tn = createTestNetwork()
    const pid = await tn.spawn({ source: `Handlers.add('who', 'Who', function(msg) msg.reply({ Data = msg.From }) end)` })
    const before = tn.net.process(pid).scheduler.messages.length
    const res = await local(tn).dryrun({ process: pid, owner: 'someone', tags: [{ name: 'Action', value: 'Who' }] })
    expect(res.Messages![0]).to.include({ Data: 'someone' })
    expect(tn.net.process(pid).scheduler.messages.length).to.equal(before)
  })
})
