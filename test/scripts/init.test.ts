// `initProject` into temp directories: the files it writes, the generated package.json, and when it refuses.
import { expect } from 'chai'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidProjectNameError, ProjectDirNotEmptyError } from '../../scripts/errors.js'
import { initProject } from '../../scripts/init.js'
import { AokitError } from '../../sdk/errors.js'
import { rejection } from '../helpers/rejection.js'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const FILES = ['.gitignore', '.mocharc.json', 'README.md', 'contracts/token.lua', 'package.json', 'test/token.test.ts', 'tsconfig.json']

type Manifest = {
  name: string
  version: string
  private?: boolean
  type?: string
  scripts: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies: Record<string, string>
  peerDependencies?: Record<string, string>
  allowScripts?: Record<string, boolean>
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest
const aokit = () => readJson(join(REPO, 'package.json'))
const rangeInAokit = (dependency: string) => {
  const pkg = aokit()
  return pkg.dependencies?.[dependency] ?? pkg.devDependencies?.[dependency] ?? pkg.peerDependencies?.[dependency]
}


describe('scripts/init', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'aokit-init-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('creates the directory and writes the template, returning the sorted file list', async () => {
    const dir = join(root, 'my-app')
    const res = await initProject({ dir })
    expect(res).to.deep.equal({ dir, files: FILES })
    expect(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).to.have.length(FILES.length)
    for (const file of FILES) expect(existsSync(join(dir, file)), file).to.equal(true)
  })

  it('returns an absolute dir for a relative one', async () => {
    const dir = join(root, 'relative')
    expect((await initProject({ dir: relative(process.cwd(), dir) })).dir).to.equal(dir)
  })

  it('copies aokit contracts/token.lua byte for byte', async () => {
    const { dir } = await initProject({ dir: join(root, 'app') })
    expect(readFileSync(join(dir, 'contracts/token.lua'))).to.deep.equal(readFileSync(join(REPO, 'contracts/token.lua')))
  })

  it('restores the dotfiles the template stores without their dot', async () => {
    const { dir } = await initProject({ dir: join(root, 'app') })
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).to.match(/^node_modules\/$/m).and.match(/^wallet\.json$/m)
    expect(JSON.parse(readFileSync(join(dir, '.mocharc.json'), 'utf8'))).to.deep.include({ spec: ['test/**/*.test.ts'], 'node-option': ['import=tsx'] })
  })

  it('generates package.json with the scripts and aokit own version ranges', async () => {
    const { dir } = await initProject({ dir: join(root, 'my-app') })
    const pkg = readJson(join(dir, 'package.json'))
    expect(pkg).to.deep.include({ name: 'my-app', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } })
    expect(pkg.scripts).to.deep.equal({
      test: 'mocha',
      devnet: 'aokit devnet',
      deploy: 'aokit deploy contracts/token.lua --network devnet --wallet wallet.json',
    })
    const names = ['@types/chai', '@types/mocha', '@types/node', 'aokit', 'better-sqlite3', 'chai', 'mocha', 'tsx', 'typescript']
    expect(Object.keys(pkg.devDependencies)).to.deep.equal(names)
    expect(pkg.devDependencies.aokit).to.equal(`^${aokit().version}`)
    expect(pkg.devDependencies.mocha).to.be.a('string').and.equal(rangeInAokit('mocha'))
    for (const name of names.filter((n) => n !== 'aokit')) expect(pkg.devDependencies[name], name).to.equal(rangeInAokit(name))
  })

  it('is deterministic: two projects of the same name are byte-identical', async () => {
    const a = await initProject({ dir: join(root, 'a'), name: 'same' })
    const b = await initProject({ dir: join(root, 'b'), name: 'same' })
    for (const file of a.files) expect(readFileSync(join(b.dir, file)), file).to.deep.equal(readFileSync(join(a.dir, file)))
  })

  it('makes the directory name a valid npm name', async () => {
    const cases: [string, string][] = [
      ['My Cool App!', 'my-cool-app'],
      ['Élan_Vital', 'elan_vital'],
      ['.hidden', 'hidden'],
      ['---', 'ao-project'],
      ['node_modules', 'ao-project'],
    ]
    for (const [dirName, expected] of cases) {
      const { dir } = await initProject({ dir: join(root, dirName) })
      expect(readJson(join(dir, 'package.json')).name, dirName).to.equal(expected)
    }
  })

  it('uses a name given, scoped or not, and refuses one npm would not accept', async () => {
    const { dir } = await initProject({ dir: join(root, 'x'), name: '@me/token-app' })
    expect(readJson(join(dir, 'package.json')).name).to.equal('@me/token-app')
    const error = await rejection(initProject({ dir: join(root, 'y'), name: 'Bad Name' }))
    expect(error).to.be.instanceOf(InvalidProjectNameError).and.instanceOf(AokitError)
    expect(existsSync(join(root, 'y'))).to.equal(false)
  })

  it('accepts an existing empty directory, and one holding only .git', async () => {
    const empty = join(root, 'empty')
    mkdirSync(empty)
    expect((await initProject({ dir: empty })).files).to.deep.equal(FILES)

    const repo = join(root, 'repo')
    mkdirSync(join(repo, '.git'), { recursive: true })
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n')
    expect((await initProject({ dir: repo })).files).to.deep.equal(FILES)
    expect(readFileSync(join(repo, '.git', 'HEAD'), 'utf8')).to.equal('ref: refs/heads/main\n')
  })

  it('refuses a non-empty directory, naming it and --force, and writes nothing', async () => {
    const dir = join(root, 'busy')
    mkdirSync(dir)
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    const error = await rejection(initProject({ dir }))
    expect(error).to.be.instanceOf(ProjectDirNotEmptyError).and.instanceOf(AokitError)
    expect((error as ProjectDirNotEmptyError).dir).to.equal(dir)
    expect((error as ProjectDirNotEmptyError).shortMessage).to.include(dir).and.include('--force')
    expect(readdirSync(dir)).to.deep.equal(['notes.txt'])
  })

  it('with force, overwrites files of the same name and keeps the others', async () => {
    const dir = join(root, 'busy')
    mkdirSync(join(dir, 'contracts'), { recursive: true })
    writeFileSync(join(dir, 'README.md'), 'old readme')
    writeFileSync(join(dir, 'contracts', 'token.lua'), '-- old')
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    const res = await initProject({ dir, force: true })
    expect(res.files).to.deep.equal(FILES)
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).to.not.equal('old readme')
    expect(readFileSync(join(dir, 'contracts', 'token.lua'))).to.deep.equal(readFileSync(join(REPO, 'contracts/token.lua')))
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).to.equal('mine')
  })
})
