// Ids and records of AO's legacy network that both the SDK and the harness name: one place, so they cannot drift apart.

/** The aos module most processes run; any module id runs on aokit's aos runtime. */
export const AOS_MODULE = 'ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s'
/** The tags of that module's record on Arweave (what a compute unit hands a process as its Module). */
export const AOS_MODULE_TAGS: readonly { readonly name: string; readonly value: string }[] = Object.freeze([
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Variant', value: 'ao.TN.1' },
  { name: 'Type', value: 'Module' },
  { name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' },
  { name: 'Input-Encoding', value: 'JSON-V1' },
  { name: 'Output-Encoding', value: 'JSON-V1' },
  { name: 'Memory-Limit', value: '1-gb' },
  { name: 'Compute-Limit', value: '9000000000000' },
])
/** The scheduler unit of AO's legacy network, used when `scheduler` is not given. */
export const DEFAULT_SCHEDULER = '_GQ33BkPtZrqxA84vM8Zk-N2aO0toNNu_C-l-rawrBA'
/** The legacy network's messenger (MU) wallet: aos trusts messages it pushes only if a process names it Authority. */
export const DEFAULT_AUTHORITY = 'fcoN_xJeisVsPXA-trzVAuIiqO3ydLQxM-L4XbrQKzY'
