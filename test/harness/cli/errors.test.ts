// Mistakes and failures: one line naming the command and what is wrong, exit 2 for the command line, 1 for a
// failure; a stack only with AOKIT_DEBUG=1.
import { expect } from 'chai'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './support.js'

describe('aokit errors', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aokit-cli-errors-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('an unknown command is named, with the command it looks like, exit 2', async () => {
    expect(await runCli(['devnt'])).to.deep.equal({ code: 2, stdout: '', stderr: 'aokit: unknown command devnt; did you mean devnet? (see aokit --help)\n' })
    expect((await runCli(['frobnicate'])).stderr).to.equal('aokit: unknown command frobnicate (see aokit --help)\n')
    expect((await runCli(['help', 'frobnicate'])).code).to.equal(2)
  })

  it('an unknown flag is named, with the flag it looks like and where help is, exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['devnet', '--prot', '4001'])
    expect(code).to.equal(2)
    expect(stdout).to.equal('')
    const [line, usage] = stderr.split('\n')
    expect(line).to.equal('aokit devnet: unknown flag --prot; did you mean --port? (see aokit devnet --help)')
    expect(usage).to.equal('Usage: aokit devnet [--port <n>] [--host <address>] [--data-dir <dir>] [--cors <origin>[,<origin>]] [--engine <wasmoon|aos>]')
    expect((await runCli(['deploy', 'x.lua', '--zzz'])).stderr).to.match(/^aokit deploy: unknown flag --zzz \(see aokit deploy --help\)\n/)
    expect((await runCli(['init', '-x'])).stderr).to.match(/^aokit init: unknown flag -x \(see aokit init --help\)\n/)
  })

  it('a flag before the command is named as such, exit 2', async () => {
    const { code, stderr } = await runCli(['--port', '4000'])
    expect(code).to.equal(2)
    expect(stderr).to.equal('aokit: unknown flag --port; flags go after the command: aokit <command> --port (see aokit --help)\n')
  })

  const mistakes: [string, string[], string][] = [
    ['a flag without its value', ['devnet', '--port'], 'aokit devnet: --port needs a value: --port <n> (see aokit devnet --help)'],
    ['a switch given a value', ['init', '--force=yes'], 'aokit init: --force takes no value, got --force=yes (see aokit init --help)'],
    ['a port out of range', ['devnet', '--port', '70000'], 'aokit devnet: --port must be 0 to 65535, got 70000 (see aokit devnet --help)'],
    ['a missing argument', ['replay'], 'aokit replay: missing <file.json> (see aokit replay --help)'],
    ['an extra argument', ['devnet', '4000'], 'aokit devnet: unexpected argument 4000 (see aokit devnet --help)'],
    ['a bad --network', ['deploy', 'x.lua', '--network', 'testnet', '--eth-key', '0x1'], 'aokit deploy: --network must be devnet, mainnet, legacynet or local, got testnet (see aokit deploy --help)'],
    ['a --tag without =', ['deploy', 'x.lua', '--network', 'local', '--eth-key', '0x1', '--tag', 'Shard'], 'aokit deploy: --tag must be Name=Value, got Shard (see aokit deploy --help)'],
  ]
  for (const [what, argv, line] of mistakes) {
    it(`${what} is named on one line, followed by the usage, exit 2`, async () => {
      const { code, stdout, stderr } = await runCli(argv)
      expect(code).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr.split('\n')[0]).to.equal(line)
      expect(stderr.split('\n')[1]).to.match(/^Usage: aokit \w+ /)
    })
  }

  it('a --wallet file that is not JSON is named, exit 2', async () => {
    const wallet = join(dir, 'wallet.json')
    writeFileSync(wallet, 'not json')
    const { code, stderr } = await runCli(['deploy', 'x.lua', '--network', 'devnet', '--wallet', wallet])
    expect(code).to.equal(2)
    expect(stderr).to.match(new RegExp(`^aokit deploy: --wallet: cannot read ${wallet} as a JSON key file: `))
  })

  describe('a failure inside a command', () => {
    // init under a regular file: mkdir fails with ENOTDIR, an error aokit did not foresee.
    const argv = () => {
      writeFileSync(join(dir, 'a-file'), '')
      return ['init', join(dir, 'a-file', 'app')]
    }

    it('prints the command and the message, no stack, exit 1', async () => {
      const { code, stdout, stderr } = await runCli(argv())
      expect(code).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.match(/^aokit init: ENOTDIR: not a directory, mkdir '[^']+'\n\(set AOKIT_DEBUG=1 to see where it failed\)\n$/)
    })

    it('adds the stack when AOKIT_DEBUG=1', async () => {
      const { code, stderr } = await runCli(argv(), { env: { AOKIT_DEBUG: '1' } })
      expect(code).to.equal(1)
      const [line, ...stack] = stderr.split('\n')
      expect(line).to.match(/^aokit init: ENOTDIR/)
      expect(stack[0]).to.match(/^Error: ENOTDIR/)
      expect(stack.some((frame) => /^ +at .*init\.ts/.test(frame))).to.equal(true)
    })
  })
})
