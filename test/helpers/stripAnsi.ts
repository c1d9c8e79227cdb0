// aos colours its prompts, errors and printed tables; tests compare the plain text.
const ANSI = /\u001b\[[0-9;]*m/g

/** The text without its ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}
