// A package registry on 127.0.0.1 for install tests that must run offline: it serves every package version the
// repository's package-lock.json names, with tarball bytes read from npm's local cache (filled by `npm ci`), plus
// extra packages given as tarballs (aokit's own packed tarball). `npm install --registry <url>` then resolves and
// installs exactly as a user's install from the public registry would, without leaving the machine.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

type LockEntry = {
  name?: string
  version?: string
  integrity?: string
  link?: boolean
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  bin?: Record<string, string>
  engines?: Record<string, string>
  os?: string[]
  cpu?: string[]
  license?: string
}

/** A package.json as far as a registry's version manifest needs it. */
export type Manifest = Omit<LockEntry, 'integrity' | 'link'> & { name: string; version: string }

export type ExtraPackage = { manifest: Manifest; tarball: string }

export type LocalRegistry = {
  url: string
  close(): Promise<void>
}

type Version = Manifest & { dist: { tarball: string; integrity: string } }

const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'license'] as const

/** The package name a lockfile path installs: the segment after its last `node_modules/` (scope included). */
function nameAt(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
}

/** Where cacache keeps the bytes of an sha512 integrity. */
function cachedPath(cacheDir: string, integrity: string): string {
  const hex = Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex')
  return join(cacheDir, '_cacache', 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4))
}

function pickManifest(name: string, version: string, entry: LockEntry): Manifest {
  const manifest: Manifest = { name, version }
  for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) (manifest as Record<string, unknown>)[field] = entry[field]
  return manifest
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  const [x, y] = [parts(a), parts(b)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === y[i]) continue
    if (x[i] === undefined) return 1 // a release sorts after its prereleases
    if (y[i] === undefined) return -1
    return typeof x[i] === 'number' && typeof y[i] === 'number' ? (x[i] as number) - (y[i] as number) : String(x[i]).localeCompare(String(y[i]))
  }
  return 0
}

export async function startLocalRegistry(params: { lockfile: string; cacheDir: string; extra?: ExtraPackage[] }): Promise<LocalRegistry> {
  const lock = JSON.parse(readFileSync(params.lockfile, 'utf8')) as { packages: Record<string, LockEntry> }
  const packages = new Map<string, Map<string, Version>>()
  const files = new Map<string, () => Buffer>()
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const add = (manifest: Manifest, integrity: string, bytes: () => Buffer) => {
    const key = `${createHash('sha256').update(integrity).digest('hex')}.tgz`
    files.set(key, bytes)
    const versions = packages.get(manifest.name) ?? new Map<string, Version>()
    versions.set(manifest.version, { ...manifest, dist: { tarball: `${url}/-/${key}`, integrity } })
    packages.set(manifest.name, versions)
  }

  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || !entry.version || !entry.integrity?.startsWith('sha512-')) continue
    const file = cachedPath(params.cacheDir, entry.integrity)
    // Platform builds for other machines were never downloaded; npm skips them by os/cpu before fetching.
    if (!existsSync(file) && !entry.os && !entry.cpu) continue
    add(pickManifest(entry.name ?? nameAt(path), entry.version, entry), entry.integrity, () => readFileSync(file))
  }
  for (const { manifest, tarball } of params.extra ?? []) {
    const bytes = readFileSync(tarball)
    add(manifest, `sha512-${createHash('sha512').update(bytes).digest('base64')}`, () => bytes)
  }

  server.on('request', (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', url).pathname)
    if (path.startsWith('/-/')) {
      const read = files.get(path.slice(3))
      if (!read) return void response.writeHead(404).end()
      return void response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(read())
    }
    const name = path.slice(1)
    const versions = packages.get(name)
    // Optional peers (ws's utf-8-validate, …) are asked for and may be absent, as on the public registry.
    if (!versions) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
    const latest = [...versions.keys()].filter((v) => !v.includes('-')).sort(compareVersions).at(-1) ?? [...versions.keys()][0]!
    const body = { name, 'dist-tags': { latest }, versions: Object.fromEntries(versions) }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })

  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
