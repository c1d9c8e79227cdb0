// Reads a command's flags and arguments with node:util's parser in its lenient mode, then checks each token here,
// so every mistake is named the way a user typed it (`unknown flag --prot`) rather than in the parser's words.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Command, Flag } from './command.js'
import { UsageError } from './errors.js'
import { suggest } from './suggest.js'

/** Every command takes it; the help lists it last. */
export const HELP_FLAG: Flag = { name: 'help', short: 'h', help: 'show this help' }

/** A checked command line: positionals in order, flag values by long name (the last one wins unless `multiple`). */
export type ParsedArgs = {
  positionals: string[]
  string(name: string): string | undefined
  strings(name: string): string[]
  has(name: string): boolean
}

/**
 * Parses `argv` (what follows the command's name) against its flags; 'help' when `--help` or `-h` is among them.
 *
 * @throws {UsageError} an unknown flag, a flag without its value or a switch with one, a missing or extra argument.
 */
export function parseFlags(command: Command, argv: string[]): ParsedArgs | 'help' {
  const flags = [...command.flags, HELP_FLAG]
  const options: ParseArgsConfig['options'] = {}
  for (const flag of flags) options[flag.name] = { type: flag.value ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) }
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true })
  // Help wins over any other mistake on the line: it is what the user asked for.
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return 'help'

  const values = new Map<string, string[]>()
  const positionals: string[] = []
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value)
    if (token.kind !== 'option') continue
    const flag = flags.find((f) => f.name === token.name)
    if (!flag) throw new UsageError(unknownFlag(token.rawName, flags))
    if (!flag.value) {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, got ${token.rawName}=${token.value}`)
      values.set(flag.name, ['true'])
      continue
    }
    // The lenient parser takes the next word as the value even when it is a flag: `--port --host x`.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-')) {
      throw new UsageError(`${token.rawName} needs a value: ${token.rawName} ${flag.value}${token.value === undefined ? '' : ` (write ${token.rawName}=${token.value} if that is the value)`}`)
    }
    values.set(flag.name, flag.multiple ? [...(values.get(flag.name) ?? []), token.value] : [token.value])
  }

  const required = command.args.filter((arg) => arg.startsWith('<')).length
  if (positionals.length < required) throw new UsageError(`missing ${command.args[positionals.length]}`)
  if (positionals.length > command.args.length) throw new UsageError(`unexpected argument ${positionals[command.args.length]}`)

  return {
    positionals,
    string: (name) => values.get(name)?.at(-1),
    strings: (name) => values.get(name) ?? [],
    has: (name) => values.has(name),
  }
}

function unknownFlag(rawName: string, flags: Flag[]): string {
  const long = rawName.startsWith('--')
  const near = long ? suggest(rawName.slice(2), flags.map((f) => f.name)) : undefined
  return `unknown flag ${rawName}${near ? `; did you mean --${near}?` : ''}`
}
