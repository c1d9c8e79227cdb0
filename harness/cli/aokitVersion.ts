// `aokit --version`: the version in aokit's own package.json, found from this file wherever it runs:
// harness/cli/ in the repository, dist/harness/cli/ in the published package.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AokitError } from '../../sdk/errors.js'

/** The first package.json above `from` named "aokit" (others, like a build's `{"type": "module"}`, are passed). */
export function aokitVersion(from: string | URL = import.meta.url): string {
  const start = dirname(fileURLToPath(from))
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json')
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'aokit' && typeof pkg.version === 'string') return pkg.version
    }
    if (dirname(dir) === dir) throw new AokitError(`No package.json named "aokit" with a version above ${start}.`)
  }
}
