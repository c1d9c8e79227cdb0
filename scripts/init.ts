// `aokit init`: scaffolds a ready AO project (as `forge init` does): a token contract, its mocha test on the
// in-memory network, and scripts for the devnet and deploy. The template folder is copied as-is; package.json is
// generated so its version ranges are aokit's own. Deterministic: the same aokit and parameters give the same bytes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AokitPackageError, InvalidProjectNameError, ProjectDirNotEmptyError } from './errors.js'

export type InitProjectParameters = {
  /** Where to create the project; created when missing. */
  dir: string
  /** Write into a non-empty directory: files of the template's names are overwritten, others are kept. */
  force?: boolean
  /** package.json's name (default: the directory's name, made a valid npm name). */
  name?: string
}
export type InitProjectReturnType = {
  /** The project directory, absolute. */
  dir: string
  /** Files written, relative to `dir`, '/'-separated, sorted. */
  files: string[]
}

// Both hold from scripts/ in the repository and from dist/scripts/ in the package (the build copies them there).
const TEMPLATE_DIR = fileURLToPath(new URL('./template/', import.meta.url))
const TOKEN_CONTRACT = fileURLToPath(new URL('../contracts/token.lua', import.meta.url))

// What a project's tests, devnet and deploy need; each gets the range aokit itself uses.
const DEV_DEPENDENCIES = ['@types/chai', '@types/mocha', '@types/node', 'better-sqlite3', 'chai', 'mocha', 'tsx', 'typescript']

const NPM_NAME = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/
const NPM_NAME_MAX = 214
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico'])
const FALLBACK_NAME = 'ao-project'

type PackageJson = {
  name?: string
  version?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** Writes a new AO project into `params.dir` and returns the files it wrote. */
export async function initProject(params: InitProjectParameters): Promise<InitProjectReturnType> {
  const dir = resolve(params.dir)
  const name = params.name ?? npmName(basename(dir))
  if (!isValidNpmName(name)) throw new InvalidProjectNameError(name)

  // Checked before anything is written, so a refusal leaves the directory as it was.
  if (existsSync(dir) && !params.force) {
    // A fresh `git init` (or a worktree's .git file) is not content.
    const entries = readdirSync(dir).filter((entry) => entry !== '.git').sort()
    if (entries.length > 0) throw new ProjectDirNotEmptyError(dir, entries)
  }

  const files = new Map<string, string | Buffer>()
  for (const path of templateFiles(TEMPLATE_DIR)) files.set(projectPath(path), readFileSync(join(TEMPLATE_DIR, path)))
  files.set('contracts/token.lua', readFileSync(TOKEN_CONTRACT))
  files.set('package.json', packageJson(name, aokitPackage()))

  for (const [path, content] of files) {
    const target = join(dir, ...path.split('/'))
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, content)
  }
  return { dir, files: [...files.keys()].sort() }
}

/** Every file under the template folder, '/'-separated, relative to it. */
function templateFiles(root: string, under = ''): string[] {
  return readdirSync(join(root, under), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = under ? `${under}/${entry.name}` : entry.name
      return entry.isDirectory() ? templateFiles(root, path) : [path]
    })
}

// npm drops `.gitignore` (and may drop other dotfiles) from a package tarball, so the template stores
// dotfiles with a leading `_` (`_gitignore`); each becomes `.` in the project.
function projectPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((segment) => segment.replace(/^_/, '.'))
    .join('/')
}

function packageJson(name: string, aokit: PackageJson): string {
  const devDependencies: Record<string, string> = { aokit: `^${aokit.version}` }
  for (const dependency of DEV_DEPENDENCIES) devDependencies[dependency] = rangeOf(aokit, dependency)
  const sorted = Object.fromEntries(Object.entries(devDependencies).sort(([a], [b]) => (a < b ? -1 : 1)))
  const project = {
    name,
    private: true,
    type: 'module',
    scripts: {
      test: 'mocha',
      devnet: 'aokit devnet',
      // wallet.json: an Arweave key; the project README says how to make one.
      deploy: 'aokit deploy contracts/token.lua --network devnet --wallet wallet.json',
    },
    devDependencies: sorted,
    // npm 11 runs install scripts only for packages listed here; better-sqlite3 builds its native add-on in one.
    allowScripts: { 'better-sqlite3': true },
  }
  return JSON.stringify(project, null, 2) + '\n'
}

/** The range aokit declares for a package, wherever it declares it (peer ranges last: they are the widest). */
function rangeOf(aokit: PackageJson, dependency: string): string {
  const range = aokit.dependencies?.[dependency] ?? aokit.devDependencies?.[dependency] ?? aokit.peerDependencies?.[dependency]
  if (range === undefined) throw new AokitPackageError(`aokit's package.json declares no version range for ${dependency}.`)
  return range
}

/** aokit's own package.json: the first one named "aokit" above this module (scripts/ or dist/scripts/). */
function aokitPackage(): PackageJson {
  const start = dirname(fileURLToPath(import.meta.url))
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json')
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as PackageJson
      if (pkg.name === 'aokit') {
        if (typeof pkg.version !== 'string') throw new AokitPackageError(`aokit's package.json at ${path} has no version.`)
        return pkg
      }
    }
    if (dirname(dir) === dir) throw new AokitPackageError(`No package.json named "aokit" above ${start}.`)
  }
}

/** A directory name made a valid npm name: lowercase ASCII, other characters as '-'. */
function npmName(text: string): string {
  const name = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, NPM_NAME_MAX)
    .replace(/^[-._~]+|[-.]+$/g, '')
  return isValidNpmName(name) ? name : FALLBACK_NAME
}

function isValidNpmName(name: string): boolean {
  return name.length <= NPM_NAME_MAX && NPM_NAME.test(name) && !RESERVED_NAMES.has(name)
}
