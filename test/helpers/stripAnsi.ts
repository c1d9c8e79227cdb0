// aos colours its prompts, errors and printed tables; tests compare the plain text (harness/ansi.ts does it).
export { stripAnsi } from '../../harness/ansi.js'
