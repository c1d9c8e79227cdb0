import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork } from 'aokit/testing'

chai.use(aokitChai)

const COUNTER = `
Count = Count or 0
Handlers.add('inc', 'Increment', function(msg)
  Count = Count + tonumber(msg.By)
  msg.reply({ Action = 'Count', Data = tostring(Count) })
end)`

describe('counter', () => {
  it('counts and replies to the sender', async () => {
    const t = createTestNetwork()
    const alice = t.wallet('alice')                         // any address can send: no keys needed
    const counter = await t.spawn({ source: COUNTER, name: 'counter' })   // or { file: 'counter.lua' }
    const res = await t.send(alice, counter, 'Increment', { By: '2' })
    expect(res).to.have.reply({ Action: 'Count', Data: '2' })
    expect(await t.read(counter, 'Count')).to.equal(2)
    expect(t.trace(res, { colors: false })).to.equal('alice → counter Increment\n└─ counter ⇢ alice Count')
  })

  it('rolls back a failing message', async () => {
    const t = createTestNetwork()
    const counter = await t.spawn({ source: COUNTER })
    const res = await t.send(t.wallet('bob'), counter, 'Increment', { By: 'lots' })
    expect(res).to.have.errored(/attempt to perform arithmetic/)
    expect(await t.read(counter, 'Count')).to.equal(0)
  })
})
