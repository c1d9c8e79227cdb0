// aos colours its prompts, errors and printed tables with ANSI escape codes; aokit's reports and comparisons read
// the plain text.
const ANSI = /\u001b\[[0-9;]*m/g

/** The text without its ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}
