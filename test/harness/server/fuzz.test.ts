// Seeded fuzz of the devnet's HTTP face: a few thousand random methods, paths, encodings, headers and bodies
// from a fixed seed (the same requests every run). No answer may be a 5xx, the server must keep answering,
// and nothing may change: unsigned junk must never reach the log.
import { expect } from 'chai'
import { Agent, request as httpRequest } from 'node:http'
import { AOS_MODULE } from '../../../sdk/constants.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

const SEED = 0x12c0ffee
const REQUESTS = 2500

/** mulberry32: a small, fast PRNG; the fuzz depends on nothing but its seed. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!
  return { next, int, pick }
}

type Fuzzed = { method: string; path: string; headers: Record<string, string>; body?: Buffer }

const METHODS = ['GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND']
const PREFIXES = ['', 'mu', 'mu/monitor', 'cu', 'cu/result', 'cu/results', 'cu/dry-run', 'su', 'su/timestamp', 'graphql', 'raw']
const ESCAPES = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2F', '%25', '%20', '%E2%82%AC', '%ED%A0%80', '%F4%90%80%80', '+', '..', '.', '~']
const QUERY_NAMES = ['process-id', 'assign', 'from', 'to', 'limit', 'sort', '', 'x']
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '']
const JSON_BODIES = ['null', 'true', '0', '-1', '1e309', '""', '[]', '{}', '[null]', '{"Tags":null}', '{"Tags":{}}', '{"Tags":[{}]}', '{"Tags":[{"name":1,"value":"x"}]}', '{"Target":null}', '{"Owner":[]}', '{"Data":5}', '{"query":null}', '{"query":"q","variables":null}', '{"query":"q","variables":{"ids":"x"}}', '{"query":"q","variables":{"transactionIds":[1,{}]}}', '{"query":"Scheduler-Location","variables":{"owner":[]}}', '{"__proto__":{"x":1}}', '{"Tags":[{"name":"Action","value":"Eval"}],"Data":"return 1"}', '{', '\u0000', '\ufeff{}']

function fuzzed(r: ReturnType<typeof prng>, ids: string[]): Fuzzed {
  const segment = (): string => {
    switch (r.int(5)) {
      case 0:
        return r.pick(ids)
      case 1:
        return r.pick(ESCAPES)
      case 2:
        return `${r.pick(ids).slice(0, r.int(44))}${r.pick(ESCAPES)}`
      case 3:
        return Array.from({ length: r.int(12) }, () => String.fromCharCode(33 + r.int(94))).join('').replace(/[?#]/g, '')
      default:
        return 'timestamp'
    }
  }
  const parts = [r.pick(PREFIXES), ...Array.from({ length: r.int(3) }, segment)].filter(Boolean)
  let path = `/${parts.join('/')}`
  if (r.int(3) === 0) path += '/'
  if (r.int(2) === 0) {
    const pairs = Array.from({ length: 1 + r.int(4) }, () => {
      const name = r.pick(QUERY_NAMES)
      // Never a real message id for `assign`: assigning one is a legitimate, unsigned state change.
      const value = name === 'assign' ? r.pick([...ESCAPES, 'A'.repeat(43)]) : r.pick([...ids, ...ESCAPES, '0', '-1', '25', '1001', 'DESC', 'asc', '1.5', '1767225600000-0', 'undefined', ''])
      return r.int(6) === 0 ? name : `${name}=${value}`
    })
    path += `?${pairs.join(r.pick(['&', '&&', ';']))}`
  }
  if (r.int(20) === 0) path = r.pick(['*', 'http://devnet/su', 'https://x.example/mu?%ZZ', '//su/x', '/?', '/#frag'])
  const method = r.pick(METHODS)
  const headers: Record<string, string> = {}
  if (r.int(2) === 0) headers['Content-Type'] = r.pick(CONTENT_TYPES)
  if (r.int(4) === 0) headers.Origin = r.pick(['https://evil.example', 'null', 'http://localhost:5173', 'garbage', ''])
  if (r.int(8) === 0) headers.Accept = r.pick(['*/*', 'text/html', ''])
  let body: Buffer | undefined
  if (method !== 'GET' && method !== 'HEAD' && r.int(4) !== 0) {
    switch (r.int(3)) {
      case 0:
        body = Buffer.from(r.pick(JSON_BODIES))
        break
      case 1:
        body = Buffer.from(Array.from({ length: r.int(300) }, () => r.int(256)))
        break
      default:
        // Something shaped like a data item header: a signature type, then junk.
        body = Buffer.from([r.pick([1, 3, 0, 9]), 0, ...Array.from({ length: r.int(800) }, () => r.int(256))])
    }
  }
  return { method, path, headers, body }
}

describe('devnet: seeded fuzz of the HTTP API', function () {
  this.timeout(300_000)
  let devnet: TestDevnet
  let pid: string
  let messageId: string
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })

  function send(f: Fuzzed): Promise<{ status: number; body: string }> {
    const { hostname, port } = new URL(devnet.url)
    return new Promise((resolve, reject) => {
      // Content-Length always: Node's client sends a DELETE body unframed otherwise, which tests its parser, not ours.
      const headers = { ...f.headers, 'Content-Length': String(f.body?.length ?? 0) }
      const req = httpRequest({ hostname, port, method: f.method, path: f.path, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(f.body)
    })
  }

  /** What must not change: the log, the processes, their SU history and the monitored set. */
  async function state() {
    const history = await (await fetch(`${devnet.suUrl}/${pid}?limit=1000`)).json()
    return { log: devnet.devnet.logLength, processes: devnet.devnet.network.processIds, monitored: [...devnet.devnet.monitored], history }
  }

  before(async () => {
    devnet = await startTestDevnet()
    const eth = ethereumSigner(ETH_PRIVATE_KEY)
    const spawn = await rawItem({
      signer: eth,
      tags: processTags(devnet.scheduler),
    })
    pid = (await (await fetch(devnet.muUrl, { method: 'POST', body: spawn as BodyInit })).json()).id
    const message = await rawItem({ signer: eth, target: pid, tags: messageTags('Ping') })
    messageId = (await (await fetch(devnet.muUrl, { method: 'POST', body: message as BodyInit })).json()).id
  })
  after(async () => {
    agent.destroy()
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  it(`${REQUESTS} random requests: no 5xx, still answering, nothing changed`, async () => {
    const r = prng(SEED)
    const ids = [pid, messageId, 'A'.repeat(43), devnet.scheduler, AOS_MODULE, '', '0']
    const before = await state()
    const statuses = new Map<number, number>()
    const failures: string[] = []
    for (let i = 0; i < REQUESTS; i++) {
      const f = fuzzed(r, ids)
      let answer: { status: number; body: string }
      try {
        answer = await send(f)
      } catch (error) {
        // Node's own parser may refuse a request outright and close; that is still not a 5xx.
        answer = { status: 0, body: String(error) }
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
      if (answer.status >= 500) failures.push(`#${i} ${f.method} ${f.path} ${JSON.stringify(f.headers)} → ${answer.status} ${answer.body.slice(0, 200)}`)
      if (answer.status >= 400 && f.method !== 'HEAD' && answer.status !== 0) {
        let body: { error?: unknown; code?: unknown } = {}
        try {
          body = JSON.parse(answer.body)
        } catch {
          // left empty: reported below
        }
        if (typeof body.error !== 'string' || typeof body.code !== 'string') failures.push(`#${i} ${f.method} ${f.path}: no { error, code } in ${answer.body.slice(0, 200)}`)
      }
    }
    expect(failures, failures.slice(0, 10).join('\n')).to.deep.equal([])
    // Mostly refusals, but some requests must have been served, or the fuzz never got past the router.
    expect(statuses.get(200) ?? 0).to.be.greaterThan(50)
    expect(statuses.get(0) ?? 0, 'connection errors').to.be.lessThan(REQUESTS / 20)
    expect((await fetch(`${devnet.url}/`)).status).to.equal(200)
    expect(await state()).to.deep.equal(before)
  })
})
