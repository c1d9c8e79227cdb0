// Issue 12: malformed requests get 4xx (never 500), SU cursors page through ties, spawns whose tags cannot apply
// are refused before they are logged, and web pages on foreign origins cannot drive the devnet.
import { expect } from 'chai'
import { request as httpRequest } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnetServer } from '../../../harness/server/devnetServer.js'
import { InvalidOriginError } from '../../../harness/server/originPolicy.js'
import { ethereumSigner } from '../../../sdk/signers/ethereumSigner.js'
import { ETH_PRIVATE_KEY } from '../../sdk/helpers/keys.js'
import { runCli, startCliDevnet } from '../cli/support.js'
import { messageTags, processTags, rawItem } from './rawItem.js'
import { removeDataDir, startTestDevnet, type TestDevnet } from './support.js'

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A request with the path sent exactly as written (fetch would re-encode it). */
function send(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('devnet: requests (issue 12)', function () {
  const eth = ethereumSigner(ETH_PRIVATE_KEY)
  let devnet: TestDevnet
  let pid: string

  const post = (raw: Uint8Array, headers: Record<string, string> = {}) =>
    send(devnet.url, 'POST', '/mu', { headers: { 'Content-Type': 'application/octet-stream', ...headers }, body: raw })

  before(async () => {
    devnet = await startTestDevnet()
    const spawn = await rawItem({ signer: eth, tags: processTags(devnet.scheduler) })
    const answer = await post(spawn)
    expect(answer.status, answer.body).to.equal(202)
    pid = JSON.parse(answer.body).id
  })
  after(async () => {
    await devnet.close()
    removeDataDir(devnet.dataDir)
  })

  describe('bad requests are 4xx', () => {
    it('bad percent-encoding in a path or query is 400 bad-encoding, naming where', async () => {
      for (const path of ['/raw/%E0%A4%A', '/su/%ZZ', '/cu/result/%C0%AF', `/cu/result/x?process-id=%E0%A4%A`, `/su/${pid}?from=%FF`, '/%']) {
        const answer = await send(devnet.url, 'GET', path)
        expect(answer.status, path).to.equal(400)
        const body = JSON.parse(answer.body)
        expect(body.code, path).to.equal('bad-encoding')
        expect(body.error, path).to.match(/^(path|query)\b.*not valid percent-encoding/)
      }
    })

    it('a dry-run body that is not a JSON object, or has fields of the wrong type, is 400 naming the field', async () => {
      const dry = (body: string) => send(devnet.url, 'POST', `/cu/dry-run?process-id=${pid}`, { headers: { 'Content-Type': 'application/json' }, body })
      for (const body of ['null', '[]', '5', '"x"', 'true']) {
        const answer = await dry(body)
        expect(answer.status, body).to.equal(400)
        expect(JSON.parse(answer.body)).to.deep.equal({ error: 'body: must be a JSON object (a dry-run message)', code: 'bad-dry-run' })
      }
      expect(JSON.parse((await dry('{"Owner":5}')).body).error).to.match(/^Owner: must be a string/)
      expect(JSON.parse((await dry('{"Data":{}}')).body).error).to.match(/^Data: must be a string/)
      expect(JSON.parse((await dry('{"Tags":[null]}')).body).code).to.equal('bad-tags')
      expect(JSON.parse((await dry('{"Target":{}}')).body).code).to.equal('bad-target')
    })

    it('graphql bodies of the wrong shape are 400', async () => {
      for (const body of ['null', '{"query":"q","variables":5}', '{"query":"q","variables":{"ids":[{"toString":1}]}}', '{"query":"Scheduler-Location","variables":{"owner":{"toString":1}}}']) {
        const answer = await send(devnet.url, 'POST', '/graphql', { headers: { 'Content-Type': 'application/json' }, body })
        if (body.includes('Scheduler-Location')) expect(answer.status, body).to.equal(200)
        else expect(answer.status, body).to.equal(400)
      }
    })

    it("what Node's HTTP parser refuses gets the same JSON shape (400 bad-http)", async () => {
      const { hostname, port } = new URL(devnet.url)
      const reply = await new Promise<string>((resolve, reject) => {
        let text = ''
        const socket = connect({ host: hostname, port: Number(port) }, () => socket.write('GET /su HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n'))
        socket.on('data', (chunk) => (text += chunk))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
      expect(reply).to.match(/^HTTP\/1\.1 400 /)
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).code).to.equal('bad-http')
    })

    it('an unknown path is 404; a known path with another method is 405 with Allow', async () => {
      expect((await send(devnet.url, 'GET', '/nowhere')).status).to.equal(404)
      const wrong = await send(devnet.url, 'GET', '/mu')
      expect(wrong.status).to.equal(405)
      expect(wrong.headers.allow).to.equal('POST')
      expect(JSON.parse(wrong.body).code).to.equal('method-not-allowed')
      const put = await send(devnet.url, 'PUT', `/mu/monitor/${pid}`)
      expect(put.status).to.equal(405)
      expect(put.headers.allow).to.equal('POST, DELETE')
      expect((await send(devnet.url, 'DELETE', `/su/${pid}`)).status).to.equal(405)
      expect((await send(devnet.url, 'HEAD', `/su/${pid}`)).status).to.equal(200)
    })
  })

  describe('SU paging', () => {
    it('pages through more than a page of messages sharing one timestamp, each exactly once', async () => {
      const clock = devnet.clock.now
      const sent: string[] = [pid]
      // More than the default page (25), all at one instant: the clock does not move.
      for (let i = 0; i < 30; i++) {
        const answer = await post(await rawItem({ signer: eth, target: pid, tags: messageTags('Tick'), data: String(i) }))
        expect(answer.status).to.equal(202)
        sent.push(JSON.parse(answer.body).id)
      }
      expect(devnet.clock.now).to.equal(clock)
      /** Follows the last cursor of each page to the end; at most 100 pages, so a stall fails instead of hanging. */
      const walk = async (limit: string) => {
        const seen: string[] = []
        const cursors: string[] = []
        let from = ''
        for (let pages = 0; pages < 100; pages++) {
          const query = [limit, from && `from=${from}`].filter(Boolean).join('&')
          const page = JSON.parse((await send(devnet.url, 'GET', `/su/${pid}?${query}`)).body)
          for (const edge of page.edges) {
            seen.push(edge.node.message.id)
            cursors.push(edge.cursor)
          }
          if (!page.page_info.has_next_page) break
          from = page.edges.at(-1).cursor
        }
        return { seen, cursors }
      }
      for (const limit of ['', 'limit=7', 'limit=1']) {
        const { seen, cursors } = await walk(limit)
        expect(seen, limit).to.deep.equal(sent)
        expect(new Set(cursors).size, limit).to.equal(cursors.length)
      }
      const { cursors } = await walk('limit=1000')
      // A bare timestamp still bounds by time, as AO's CU passes it: every message at that instant.
      const byTime = JSON.parse((await send(devnet.url, 'GET', `/su/${pid}?limit=1000&from=${clock}&to=${clock}`)).body)
      expect(byTime.edges).to.have.length(31)
      // `to` as an exact cursor is inclusive.
      const upTo = JSON.parse((await send(devnet.url, 'GET', `/su/${pid}?limit=1000&to=${cursors[9]}`)).body)
      expect(upTo.edges.map((e: { cursor: string }) => e.cursor)).to.deep.equal(cursors.slice(0, 10))
      expect((await send(devnet.url, 'GET', `/su/${pid}?from=1-2-3`)).status).to.equal(400)
    })
  })

  describe('spawn tags are checked when accepted', () => {
    it('a Cron-Interval the network cannot schedule (unreadable, under its minimum) is 400 naming the tag, and is not logged', async () => {
      for (const interval of ['every-tuesday', '0-seconds', '500-milliseconds', '']) {
        const log = devnet.devnet.logLength
        const processes = devnet.devnet.network.processIds.length
        const answer = await post(await rawItem({ signer: eth, tags: processTags(devnet.scheduler, [{ name: 'Cron-Interval', value: interval || ' ' }]) }))
        expect(answer.status, answer.body).to.equal(400)
        const body = JSON.parse(answer.body)
        expect(body.code).to.equal('bad-spawn-tag')
        expect(body.error).to.match(/^tags\.Cron-Interval: /)
        expect(devnet.devnet.logLength).to.equal(log)
        expect(devnet.devnet.network.processIds).to.have.length(processes)
      }
      const good = await post(await rawItem({ signer: eth, tags: processTags(devnet.scheduler, [{ name: 'Cron-Interval', value: '5-minutes' }]) }))
      expect(good.status, good.body).to.equal(202)
    })
  })

  describe('cross-origin policy', () => {
    const evil = 'https://evil.example'
    const evalBody = JSON.stringify({ Tags: [{ name: 'Action', value: 'Eval' }], Data: 'return 1' })

    it('refuses a foreign page everywhere with 403 and no CORS grant: dry-run, MU post, reads, preflight', async () => {
      const log = devnet.devnet.logLength
      const dry = await send(devnet.url, 'POST', `/cu/dry-run?process-id=${pid}`, { headers: { Origin: evil, 'Content-Type': 'text/plain' }, body: evalBody })
      expect(dry.status).to.equal(403)
      expect(JSON.parse(dry.body)).to.deep.include({ code: 'origin-not-allowed' })
      expect(JSON.parse(dry.body).error).to.match(/^Origin: https:\/\/evil\.example may not call this devnet/)
      expect(dry.headers['access-control-allow-origin']).to.equal(undefined)
      const message = await rawItem({ signer: eth, target: pid, tags: messageTags('Tick') })
      expect((await post(message, { Origin: evil })).status).to.equal(403)
      expect((await send(devnet.url, 'POST', `/mu/monitor/${pid}`, { headers: { Origin: evil }, body: message })).status).to.equal(403)
      expect((await send(devnet.url, 'GET', `/su/${pid}`, { headers: { Origin: evil } })).status).to.equal(403)
      expect((await send(devnet.url, 'GET', `/su/${pid}`, { headers: { Origin: 'null' } })).status).to.equal(403)
      const preflight = await send(devnet.url, 'OPTIONS', '/mu', { headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' } })
      expect(preflight.status).to.equal(403)
      expect(preflight.headers['access-control-allow-origin']).to.equal(undefined)
      expect(devnet.devnet.logLength).to.equal(log)
      expect(devnet.devnet.monitored.size).to.equal(0)
    })

    it("serves this machine's pages (a dApp's dev server) and clients that send no Origin", async () => {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', devnet.url]) {
        const dry = await send(devnet.url, 'POST', `/cu/dry-run?process-id=${pid}`, { headers: { Origin: origin, 'Content-Type': 'application/json' }, body: evalBody })
        expect(dry.status, origin).to.equal(200)
        expect(dry.headers['access-control-allow-origin']).to.equal(origin)
        expect(dry.headers.vary).to.equal('Origin')
        const preflight = await send(devnet.url, 'OPTIONS', '/mu', { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Private-Network': 'true' } })
        expect(preflight.status).to.equal(204)
        expect(preflight.headers['access-control-allow-origin']).to.equal(origin)
        expect(preflight.headers['access-control-allow-methods']).to.include('POST')
        expect(preflight.headers['access-control-allow-private-network']).to.equal('true')
      }
      const plain = await send(devnet.url, 'POST', `/cu/dry-run?process-id=${pid}`, { body: evalBody })
      expect(plain.status).to.equal(200)
      expect(plain.headers['access-control-allow-origin']).to.equal(undefined)
    })

    it('cors allows listed origins (and only those), or any with *', async () => {
      const listed = await startTestDevnet({ cors: ['https://app.example', 'null'] })
      const any = await startTestDevnet({ cors: ['*'] })
      try {
        const spawn = await rawItem({ signer: eth, tags: processTags(listed.scheduler) })
        const res = await send(listed.url, 'POST', '/mu', { headers: { Origin: 'https://app.example', 'Content-Type': 'application/octet-stream' }, body: spawn })
        expect(res.status, res.body).to.equal(202)
        expect(res.headers['access-control-allow-origin']).to.equal('https://app.example')
        expect((await send(listed.url, 'GET', '/su', { headers: { Origin: 'null' } })).status).to.equal(200)
        expect((await send(listed.url, 'GET', '/su', { headers: { Origin: evil } })).status).to.equal(403)
        expect((await send(listed.url, 'OPTIONS', '/mu', { headers: { Origin: 'https://app.example.evil.example' } })).status).to.equal(403)
        const open = await send(any.url, 'OPTIONS', '/cu/dry-run', { headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' } })
        expect(open.status).to.equal(204)
        expect(open.headers['access-control-allow-origin']).to.equal(evil)
      } finally {
        for (const d of [listed, any]) {
          await d.close()
          removeDataDir(d.dataDir)
        }
      }
    })

    it('a cors entry that is not an origin is refused before the store opens; the CLI says which', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'aokit-devnet-'))
      try {
        for (const bad of ['app.example', 'ftp://app.example', 'https://app.example/path']) {
          let error: unknown
          await startDevnetServer({ port: 0, dataDir, cors: [bad] }).catch((e: unknown) => (error = e))
          expect(error, bad).to.be.instanceOf(InvalidOriginError)
        }
      } finally {
        removeDataDir(dataDir)
      }
      const run = await runCli(['devnet', '--port', '0', '--cors', 'https://ok.example,nope'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.match(/--cors: "nope" is not an origin/)
    })

    it('aokit devnet --cors a,b allows exactly those origins', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'aokit-devnet-'))
      const cli = await startCliDevnet(['--port', '0', '--data-dir', dataDir, '--cors', 'https://a.example,https://b.example:8443'])
      try {
        for (const origin of ['https://a.example', 'https://b.example:8443']) {
          expect((await send(cli.url, 'GET', '/su', { headers: { Origin: origin } })).headers['access-control-allow-origin'], origin).to.equal(origin)
        }
        expect((await send(cli.url, 'GET', '/su', { headers: { Origin: 'https://b.example' } })).status).to.equal(403)
      } finally {
        expect((await cli.stop()).code).to.equal(0)
        removeDataDir(dataDir)
      }
    })
  })
})
