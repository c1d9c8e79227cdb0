// The help texts: `aokit --help` lists the commands; `aokit <command> --help` gives its flags and examples.
import type { Command, Flag } from './command.js'
import { HELP_FLAG } from './parseFlags.js'

/** `aokit --help` (and, on stderr, `aokit` alone). */
export function overviewHelp(commands: readonly Command[]): string {
  const rows: [string, string][] = commands.map((command) => [[command.name, ...command.args].join(' '), command.summary])
  rows.push(['help <command>', "show a command's flags and examples"])
  return `aokit: test, run and deploy AO processes from TypeScript.

Usage: aokit <command> [flags]

Commands:
${table(rows)}
Flags:
${table([
  ['-h, --help', 'show this help'],
  ['-v, --version', "print aokit's version"],
])}
Run aokit <command> --help for a command's flags and an example.

Example:
  aokit init my-app && cd my-app && npm install && npm test
`
}

/** `aokit <command> --help` and `aokit help <command>`: every flag and an example. */
export function commandHelp(command: Command): string {
  const flags = [...command.flags, HELP_FLAG]
  return `${synopsis(command)}

${command.description}

Flags:
${table(flags.map((flag) => [flagLabel(flag), flag.help]))}
${command.examples.length > 1 ? 'Examples' : 'Example'}:
${command.examples.map((example) => `  ${example}\n`).join('')}`
}

/** The usage lines alone, printed under a usage error. */
export function synopsis(command: Command): string {
  return command.usage.map((line, i) => (i === 0 ? `Usage: ${line}` : `       ${line}`)).join('\n')
}

function flagLabel(flag: Flag): string {
  const long = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`
}

/** Two columns, the second aligned; each row a line. */
function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 3
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}\n`).join('')
}
