// `aokit init [dir]`: writes a new AO project (a token contract, its tests, devnet and deploy scripts) and says what
// to run next.
import { resolve } from 'node:path'
import type { Command } from './command.js'

export const initCommand: Command = {
  name: 'init',
  summary: 'create an AO project: a token contract, its mocha tests, devnet and deploy scripts',
  args: ['[dir]'],
  usage: ['aokit init [dir] [--name <npm-name>] [--force]'],
  description: `Writes a ready project into dir (default: the current directory; created if missing): a Lua token
contract, its tests on aokit's in-memory AO network, and npm scripts for the devnet and deploy. A directory
that holds files (other than .git) is refused unless --force is given.`,
  flags: [
    { name: 'name', value: '<npm-name>', help: "package.json's name (default: the directory's name)" },
    { name: 'force', help: "write into a non-empty directory: files of the template's names are overwritten, others kept" },
  ],
  examples: ['aokit init my-app', 'aokit init . --force'],
  async run(args, io) {
    const dir = args.positionals[0] ?? '.'
    // Loaded here: only this command needs the template.
    const { initProject } = await import('../../scripts/init.js')
    const project = await initProject({ dir, force: args.has('force'), name: args.string('name') })
    // The dir as the user typed it, so the line can be pasted as is.
    const into = resolve(dir) === process.cwd() ? '' : dir
    io.stdout(
      `Created an AO project in ${project.dir}:\n` +
        project.files.map((file) => `  ${file}\n`).join('') +
        `\nNext steps:\n  ${into === '' ? '' : `cd ${shellWord(into)} && `}npm install && npm test\n` +
        `Then README.md says how to run a local AO (npm run devnet) and deploy to it (npm run deploy).\n`,
    )
    return 0
  },
}

/** A path as a shell reads it back: quoted when it holds anything but plain path characters. */
function shellWord(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}
