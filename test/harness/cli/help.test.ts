// `aokit --help`, `aokit help <command>`, `aokit <command> --help` and `aokit --version`: what a user reads.
import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { runCli } from './support.js'

const COMMANDS = ['init', 'devnet', 'deploy', 'export', 'replay', 'diff']

/** Each command's flags as its help shows them. */
const FLAGS: Record<string, string[]> = {
  init: ['--name <npm-name>', '--force', '-h, --help'],
  devnet: ['--port <n>', '--host <address>', '--data-dir <dir>', '--engine <wasmoon|aos>', '--cors <origin>[,<origin>]', '-h, --help'],
  deploy: ['--network devnet|mainnet|legacynet|local', '--eth-key <hex>', '--wallet <jwk.json>', '--url <url>', '--name <key>', '--tag Name=Value', '--respawn', '--dry-run', '--manifest <file>', '-h, --help'],
  export: ['--url <devnet|su-url>', '--gateway <url>', '--out <file.json>', '-h, --help'],
  replay: ['-h, --help'],
  diff: ['--exact', '--aos-module <file.wasm>', '-h, --help'],
}

describe('aokit help', () => {
  it('aokit --help (or -h, or help) lists every command with its arguments on stdout and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await runCli(argv)
      expect(code).to.equal(0)
      expect(stderr).to.equal('')
      expect(stdout).to.match(/^Usage: aokit <command> \[flags\]$/m)
      for (const line of [/^ {2}init \[dir\] +create an AO project/m, /^ {2}devnet +serve AO's/m, /^ {2}deploy <contract\.lua> +bundle/m, /^ {2}export <pid> +write a process's history/m, /^ {2}replay <file\.json> +evaluate/m, /^ {2}diff <replay-file> +/m]) {
        expect(stdout).to.match(line)
      }
      expect(stdout).to.match(/^ {2}-v, --version +print aokit's version$/m)
    }
  })

  it('aokit with no command prints the same usage on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([])
    expect(code).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal((await runCli(['--help'])).stdout)
  })

  for (const command of COMMANDS) {
    it(`aokit ${command} --help shows its usage, every flag and an example; aokit help ${command} says the same`, async () => {
      const { code, stdout, stderr } = await runCli([command, '--help'])
      expect(code).to.equal(0)
      expect(stderr).to.equal('')
      expect(stdout).to.match(new RegExp(`^Usage: aokit ${command}\\b`))
      const flagLines = stdout.split('\n').filter((line) => /^( {2}-\w, --| {6}--)/.test(line))
      expect(flagLines.map((line) => line.trim().split(/ {2,}/)[0])).to.deep.equal(FLAGS[command])
      expect(stdout).to.match(new RegExp(`^Examples?:\\n {2}aokit ${command}\\b`, 'm'))
      expect(await runCli(['help', command])).to.deep.equal({ code: 0, stdout, stderr: '' })
      expect((await runCli([command, '-h'])).stdout).to.equal(stdout)
    })
  }

  it('--help wins over any other mistake on the line', async () => {
    const { code, stdout } = await runCli(['devnet', '--prot', '1', '--help'])
    expect(code).to.equal(0)
    expect(stdout).to.match(/^Usage: aokit devnet /)
  })

  it('aokit --version prints the version in package.json, and nothing else', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
    for (const flag of ['--version', '-v']) {
      expect(await runCli([flag])).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })
})
