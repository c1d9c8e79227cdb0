// The differential corpus: every case by name. Each is an ao-replay/1 file evaluated both by the real aos module
// (reference.ts) and by aokit's harness (fidelity.test.ts); write-cases.ts also writes them out as examples.
import { evalCases } from './evalCases.js'
import { handlerCases } from './handlerCases.js'
import { knownDifferenceCases, knownDifferences } from './knownDifferenceCases.js'
import { messagingCases } from './messagingCases.js'
import type { ReplayFile } from './replayFile.js'
import { tokenCases } from './tokenCases.js'

export { knownDifferences }

export const cases: Record<string, ReplayFile> = {
  ...handlerCases,
  ...messagingCases,
  ...evalCases,
  ...tokenCases,
  ...knownDifferenceCases,
}
