// `aokit init` into temp dirs: the files it lists are the files it wrote, the next steps, and a non-empty dir refused.
import { expect } from 'chai'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './support.js'

/** Every file under `dir`, '/'-separated, sorted. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/'))
    .sort()
}

describe('aokit init', () => {
  let root: string
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'aokit-cli-init-')))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('creates the project, lists each file it wrote and says what to run next', async () => {
    const dir = join(root, 'my-app')
    const { code, stdout, stderr } = await runCli(['init', dir])
    expect(code).to.equal(0)
    expect(stderr).to.equal('')
    const files = filesIn(dir)
    expect(files).to.include.members(['package.json', 'contracts/token.lua', 'test/token.test.ts'])
    expect(stdout).to.equal(
      `Created an AO project in ${dir}:\n` +
        files.map((file) => `  ${file}\n`).join('') +
        `\nNext steps:\n  cd ${dir} && npm install && npm test\n` +
        'Then README.md says how to run a local AO (npm run devnet) and deploy to it (npm run deploy).\n',
    )
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).to.equal('my-app')
  })

  it('names the package with --name', async () => {
    const dir = join(root, 'app')
    expect((await runCli(['init', dir, '--name', '@me/token'])).code).to.equal(0)
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).to.equal('@me/token')
  })

  it('writes into the current directory by default, with no cd in the next steps', async () => {
    const dir = join(root, 'here')
    mkdirSync(dir)
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const { code, stdout } = await runCli(['init'])
      expect(code).to.equal(0)
      expect(stdout).to.match(new RegExp(`^Created an AO project in ${dir}:\\n`))
      expect(stdout).to.contain('\nNext steps:\n  npm install && npm test\n')
    } finally {
      process.chdir(cwd)
    }
    expect(filesIn(dir)).to.include('package.json')
  })

  it('quotes a directory with spaces in the cd line', async () => {
    const { stdout } = await runCli(['init', join(root, 'my app')])
    expect(stdout).to.contain(`\n  cd '${join(root, 'my app')}' && npm install && npm test\n`)
  })

  it('refuses a non-empty directory without --force and writes nothing, exit 1', async () => {
    writeFileSync(join(root, 'notes.txt'), 'mine')
    const { code, stdout, stderr } = await runCli(['init', root])
    expect(code).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr.split('\n')[0]).to.equal(`aokit init: Directory ${root} is not empty; pass --force to write the project into it anyway.`)
    expect(stderr.split('\n')[1]).to.match(/^ {2}It holds notes\.txt\./)
    expect(filesIn(root)).to.deep.equal(['notes.txt'])
  })

  it('writes into a non-empty directory with --force, keeping the files already there', async () => {
    writeFileSync(join(root, 'notes.txt'), 'mine')
    const { code } = await runCli(['init', root, '--force'])
    expect(code).to.equal(0)
    expect(filesIn(root)).to.include.members(['notes.txt', 'package.json'])
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).to.equal('mine')
  })
})
