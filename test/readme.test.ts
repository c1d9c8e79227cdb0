// The README's examples are real: its first-contract-test block is test/counter.test.ts, character for character.
import { expect } from 'chai'
import { readFileSync } from 'node:fs'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe('README', () => {
  it('shows test/counter.test.ts exactly as it is in the repository', () => {
    const block = /This is `test\/counter\.test\.ts`[\s\S]*?```ts\n([\s\S]*?)```/.exec(read('../README.md'))
    expect(block?.[1]).to.equal(read('./counter.test.ts'))
  })

  it('gives the two set-up commands and the test command', () => {
    expect(read('../README.md')).to.contain('npm ci && npm run demo').and.to.contain('npm test')
  })
})
