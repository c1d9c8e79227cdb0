// This repository's contract tests, run again with AOKIT_ENGINE=aos: the same test files must pass on the real aos
// module. A child mocha, because the engine is chosen by environment when a network is created.
import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const FILES = ['test/contracts/token.test.ts', 'test/contracts/staking.test.ts', 'test/counter.test.ts']

describe('contract tests on the aos engine (AOKIT_ENGINE=aos)', function () {
  // Every message runs on the real module in a child process: several minutes for the three files.
  this.timeout(40 * 60_000)

  it(`passes ${FILES.join(', ')}`, async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(
        'npx',
        ['mocha', '--timeout', '900000', '--reporter', 'dot', ...FILES],
        { cwd: ROOT, env: { ...process.env, AOKIT_ENGINE: 'aos' }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      )
      child.stdin?.end()
    })
    expect(output).to.match(/\d+ passing/)
    expect(code, output).to.equal(0)
  })
})
