import * as chai from 'chai'
import { expect } from 'chai'
import { aokitChai, createTestNetwork, SQLITE_MODULE, type SendResult, type TestNetwork } from '../../harness/index.js'

chai.use(aokitChai)

const CHATROOM = 'contracts/chatroom/chatroom.lua'

type Setup = { t: TestNetwork; chat: string; alice: string; bob: string; carol: string; room: string }

type Post = { id: number; author: string; body: string; posted_at: number }

const tag = (res: SendResult, name: string) => res.result.Messages?.[0]?.Tags.find((t) => t.name === name)?.value as string | undefined
const data = (res: SendResult) => JSON.parse(String(res.result.Messages?.[0]?.Data)) as unknown

/** A chat process where alice created room "general" and bob joined it. */
async function deploy(): Promise<Setup> {
  const t = createTestNetwork()
  const alice = t.wallet('alice')
  const bob = t.wallet('bob')
  const carol = t.wallet('carol')
  const chat = await t.spawn({ file: CHATROOM, module: SQLITE_MODULE, name: 'chat' })
  const created = await t.send(alice, chat, 'Create-Room', { Name: 'general' })
  const room = tag(created, 'Room-Id')!
  await t.send(bob, chat, 'Join', { 'Room-Id': room })
  return { t, chat, alice, bob, carol, room }
}

describe('chatroom: rooms and members', () => {
  it('creates a room with its creator as first member, and lists members in join order', async () => {
    const { t, chat, alice, bob, room } = await deploy()
    expect(room).to.equal('1')
    const members = await t.send(alice, chat, 'Members', { 'Room-Id': room })
    expect(data(members)).to.deep.equal([alice, bob])
  })

  it('refuses a second room with the same name', async () => {
    const { t, chat, bob } = await deploy()
    const res = await t.send(bob, chat, 'Create-Room', { Name: 'general' })
    expect(res.result.Error).to.include('Room general exists')
  })

  it('counts members per room, and a member who leaves is gone', async () => {
    const { t, chat, alice, bob, room } = await deploy()
    await t.send(bob, chat, 'Create-Room', { Name: 'random' })
    await t.send(bob, chat, 'Leave', { 'Room-Id': room })
    const rooms = await t.send(alice, chat, 'Rooms')
    expect(data(rooms)).to.deep.equal([
      { id: 1, name: 'general', members: 1 },
      { id: 2, name: 'random', members: 1 },
    ])
  })
})

describe('chatroom: posts and history', () => {
  it('lets members post and answers the new post id', async () => {
    const { t, chat, bob, room } = await deploy()
    const res = await t.send(bob, chat, 'Post', { 'Room-Id': room }, 'hello')
    expect(res).to.have.reply({ Action: 'Posted', 'Post-Id': '1' })
  })

  it('refuses a post from a non-member, and the room is unchanged', async () => {
    const { t, chat, alice, carol, room } = await deploy()
    const res = await t.send(carol, chat, 'Post', { 'Room-Id': room }, 'let me in')
    expect(res.result.Error).to.include('Only members of general may post')
    expect(data(await t.send(alice, chat, 'History', { 'Room-Id': room }))).to.deep.equal([])
  })

  it('pages through the history by id, with a cursor to the next page', async () => {
    const { t, chat, alice, bob, room } = await deploy()
    for (let i = 1; i <= 5; i++) await t.send(i % 2 ? alice : bob, chat, 'Post', { 'Room-Id': room }, `message ${i}`)
    const first = await t.send(alice, chat, 'History', { 'Room-Id': room, Limit: '2' })
    expect((data(first) as Post[]).map((p) => p.body)).to.deep.equal(['message 1', 'message 2'])
    expect(tag(first, 'Next-Cursor')).to.equal('2')
    const second = await t.send(alice, chat, 'History', { 'Room-Id': room, Limit: '2', After: '2' })
    expect((data(second) as Post[]).map((p) => p.id)).to.deep.equal([3, 4])
    const last = await t.send(alice, chat, 'History', { 'Room-Id': room, Limit: '2', After: tag(second, 'Next-Cursor')! })
    expect((data(last) as Post[]).map((p) => p.body)).to.deep.equal(['message 5'])
    expect(tag(last, 'Next-Cursor')).to.equal(undefined)
  })

  it('records each post with its author and the message Timestamp', async () => {
    const { t, chat, bob, room } = await deploy()
    await t.setTime(Date.UTC(2025, 0, 2))
    await t.send(bob, chat, 'Post', { 'Room-Id': room }, 'dated')
    const [post] = data(await t.send(bob, chat, 'History', { 'Room-Id': room })) as Post[]
    expect(post).to.deep.equal({ id: 1, author: bob, body: 'dated', posted_at: Date.UTC(2025, 0, 2) })
  })

  it('keeps posts in rooms apart', async () => {
    const { t, chat, alice, bob, room } = await deploy()
    const other = tag(await t.send(bob, chat, 'Create-Room', { Name: 'other' }), 'Room-Id')!
    await t.send(bob, chat, 'Post', { 'Room-Id': other }, 'elsewhere')
    await t.send(alice, chat, 'Post', { 'Room-Id': room }, 'here')
    expect((data(await t.send(alice, chat, 'History', { 'Room-Id': room })) as Post[]).map((p) => p.body)).to.deep.equal(['here'])
  })

  it('refuses a Limit above 100 and an unknown room', async () => {
    const { t, chat, alice, room } = await deploy()
    expect((await t.send(alice, chat, 'History', { 'Room-Id': room, Limit: '101' })).result.Error).to.include('Limit must be 1-100')
    expect((await t.send(alice, chat, 'History', { 'Room-Id': '9' })).result.Error).to.include('No room 9')
  })
})
