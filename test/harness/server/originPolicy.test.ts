// Which browser origins may call the devnet: this machine's pages always, listed origins, '*' for any.
import { expect } from 'chai'
import { InvalidOriginError, normalizeOrigin, originPolicy } from '../../../harness/server/originPolicy.js'

describe('devnet: origin policy', () => {
  describe('normalizeOrigin', () => {
    it('writes an origin as browsers send it: lower case, no default port, no trailing slash', () => {
      expect(normalizeOrigin(' HTTPS://App.Example:443/ ')).to.equal('https://app.example')
      expect(normalizeOrigin('http://localhost:80')).to.equal('http://localhost')
      expect(normalizeOrigin('http://localhost:5173')).to.equal('http://localhost:5173')
      expect(normalizeOrigin('*')).to.equal('*')
      expect(normalizeOrigin('null')).to.equal('null')
    })

    it('refuses what is not an http(s) origin, naming the entry', () => {
      for (const value of ['app.example', 'ftp://app.example', 'https://app.example/path', 'https://user:pw@app.example', 'https://app.example?x=1', 'https://app.example#top', '']) {
        const error = (() => {
          try {
            normalizeOrigin(value)
          } catch (e) {
            return e
          }
        })()
        expect(error, value).to.be.instanceOf(InvalidOriginError).and.include({ value })
        expect((error as InvalidOriginError).message).to.equal(`cors: ${JSON.stringify(value)} is not an origin; expected e.g. https://app.example or http://localhost:5173, 'null' or '*'`)
      }
    })
  })

  describe('allows', () => {
    it("allows this machine's pages on any port, over http or https", () => {
      const policy = originPolicy()
      for (const origin of ['http://localhost', 'http://localhost:5173', 'https://localhost:8443', 'http://app.localhost:3000', 'http://127.0.0.1:8080', 'http://127.255.0.9', 'http://[::1]:3000']) {
        expect(policy.allows(origin), origin).to.equal(true)
      }
    })

    it('refuses look-alikes, other schemes, file pages and public sites when nothing is listed', () => {
      const policy = originPolicy()
      for (const origin of ['http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'http://128.0.0.1', 'http://[::2]', 'ws://localhost', 'null', 'https://app.example', 'http://localhost:5173/path', 'not an origin']) {
        expect(policy.allows(origin), origin).to.equal(false)
      }
    })

    it('allows a listed origin exactly: not another port or a subdomain', () => {
      const policy = originPolicy(['https://App.Example'])
      expect(policy.allows('https://app.example')).to.equal(true)
      expect(policy.allows('https://app.example:8443')).to.equal(false)
      expect(policy.allows('https://www.app.example')).to.equal(false)
      expect(policy.allows('http://app.example')).to.equal(false)
    })

    it("allows 'null' (file:// and sandboxed pages) only when listed, and anything with '*'", () => {
      expect(originPolicy(['null']).allows('null')).to.equal(true)
      const any = originPolicy(['*'])
      for (const origin of ['null', 'https://evil.example', 'http://localhost:1']) expect(any.allows(origin), origin).to.equal(true)
    })

    it("allows the devnet's own origin once the server adds it", () => {
      const policy = originPolicy()
      expect(policy.allows('http://devnet.test:4000')).to.equal(false)
      policy.own.add('http://devnet.test:4000')
      expect(policy.allows('http://devnet.test:4000')).to.equal(true)
    })

    it('refuses a bad entry when the policy is made, before any request', () => {
      expect(() => originPolicy(['https://ok.example', 'nope'])).to.throw(InvalidOriginError, 'cors: "nope" is not an origin')
    })
  })
})
