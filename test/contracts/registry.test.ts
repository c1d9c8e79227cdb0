import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork, SQLITE_MODULE, type SendResult, type TestNetwork } from '../../harness/index.js'

chai.use(aokitChai)

const REGISTRY = 'contracts/registry/registry.lua'

type Setup = { t: TestNetwork; registry: string; alice: string; bob: string }

const data = (res: SendResult) => JSON.parse(String(res.result.Messages?.[0]?.Data)) as unknown

/** A registry where alice holds "alice" and "wiki", bob holds "bob". */
async function deploy(): Promise<Setup> {
  const t = createTestNetwork()
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const registry = await t.spawn({ file: REGISTRY, module: SQLITE_MODULE, name: 'registry' })
  await t.send(alice, registry, 'Register', { Name: 'alice' })
  await t.send(alice, registry, 'Register', { Name: 'wiki', 'Points-To': 'wiki-process' })
  await t.send(bob, registry, 'Register', { Name: 'bob' })
  return { t, registry, alice, bob }
}

describe('registry: registering and looking up', () => {
  it('registers a name to its sender, pointing at the sender unless Points-To is given', async () => {
    const { t, registry, alice } = await deploy()
    expect(await t.send(alice, registry, 'Lookup', { Name: 'alice' })).to.have.reply({ Name: 'alice', 'Name-Owner': alice, 'Points-To': alice })
    expect(await t.send(alice, registry, 'Lookup', { Name: 'wiki' })).to.have.reply({ 'Name-Owner': alice, 'Points-To': 'wiki-process' })
  })

  it('lists the names of an owner, in name order', async () => {
    const { t, registry, alice, bob } = await deploy()
    expect(data(await t.send(bob, registry, 'Names-Of', { 'Name-Owner': alice }))).to.deep.equal(['alice', 'wiki'])
    expect(data(await t.send(bob, registry, 'Names-Of'))).to.deep.equal(['bob'])
  })

  it('looks names up by owner through the owner index', async () => {
    const { t, registry } = await deploy()
    const res = await t.eval(registry, `local plan = {}
      for row in RegistryDb:nrows("EXPLAIN QUERY PLAN SELECT name FROM names WHERE owner = 'x' ORDER BY name") do plan[#plan + 1] = row.detail end
      return table.concat(plan, ';')`)
    expect((res.result.Output as { data: string }).data).to.include('USING INDEX names_by_owner (owner=?)')
  })

  it('refuses a name that is not lowercase letters, digits or -', async () => {
    const { t, registry, alice } = await deploy()
    expect((await t.send(alice, registry, 'Register', { Name: 'Bad Name' })).result.Error).to.include('Name must be 1-51 lowercase')
  })
})

describe('registry: a taken name', () => {
  it('fails on the UNIQUE constraint and says so', async () => {
    const { t, registry, bob } = await deploy()
    const res = await t.send(bob, registry, 'Register', { Name: 'alice' })
    expect(res.result.Error).to.include('Name alice is taken (UNIQUE constraint failed: names.name)')
  })

  it('rolls back the Lua counter and the history row written before the failing insert', async () => {
    const { t, registry, alice, bob } = await deploy()
    expect(await t.read(registry, 'Registrations')).to.equal(3)
    await t.send(bob, registry, 'Register', { Name: 'alice' })
    expect(await t.read(registry, 'Registrations')).to.equal(3)
    expect(data(await t.send(bob, registry, 'History', { Name: 'alice' }))).to.deep.equal([{ action: 'register', actor: alice }])
    expect(await t.send(bob, registry, 'Lookup', { Name: 'alice' })).to.have.reply({ 'Name-Owner': alice })
  })

  it('keeps working after the failure: the prepared statements are prepared again', async () => {
    const { t, registry, bob } = await deploy()
    await t.send(bob, registry, 'Register', { Name: 'alice' })
    expect(await t.send(bob, registry, 'Register', { Name: 'bob-2' })).to.have.reply({ Action: 'Registered', Name: 'bob-2' })
    expect(data(await t.send(bob, registry, 'Names-Of'))).to.deep.equal(['bob', 'bob-2'])
  })
})

describe('registry: transfers', () => {
  it('moves a name to its new owner, and only its owner may do it', async () => {
    const { t, registry, alice, bob } = await deploy()
    expect((await t.send(bob, registry, 'Transfer', { Name: 'wiki', Recipient: bob })).result.Error).to.include('Only the owner may transfer wiki')
    expect(await t.send(alice, registry, 'Transfer', { Name: 'wiki', Recipient: bob })).to.have.reply({ Action: 'Transferred', 'Name-Owner': bob })
    expect(data(await t.send(bob, registry, 'Names-Of'))).to.deep.equal(['bob', 'wiki'])
    expect(data(await t.send(bob, registry, 'History', { Name: 'wiki' }))).to.deep.equal([
      { action: 'register', actor: alice },
      { action: 'transfer', actor: alice },
    ])
  })
})
