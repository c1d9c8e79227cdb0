// How many fast-check runs a contract property test makes. On the real aos module (AOKIT_ENGINE=aos) every message
// costs 50–200 ms in a child process, so the same properties run with fewer, still seeded, sequences there.
const AOS_RUNS = 3

export function propertyRuns(runs: number): number {
  return process.env.AOKIT_ENGINE === 'aos' ? Math.min(runs, AOS_RUNS) : runs
}
