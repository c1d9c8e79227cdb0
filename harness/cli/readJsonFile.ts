// Reading the JSON file a command was given (aokit replay, aokit diff).
import { readFileSync } from 'node:fs'
import type { CliIo } from './cliIo.js'

/**
 * The JSON in `file`, as `{ value }`; undefined once stderr says why it could not be read or parsed, and the
 * command then exits 2.
 */
export function readJsonFile(command: string, file: string, io: CliIo): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) }
  } catch (error) {
    io.stderr(`aokit ${command}: cannot read ${file} as JSON: ${(error as Error).message}\n`)
    return undefined
  }
}
