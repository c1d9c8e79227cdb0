// Small timing helpers: every duration is performance.now() milliseconds.

/** The q-quantile (0..1) of a list of numbers, by nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export const median = (values: number[]) => quantile(values, 0.5)

/** Runs `fn` `times` times and returns each run's duration. */
export async function timeEach(times: number, fn: (i: number) => unknown): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < times; i++) {
    const start = performance.now()
    await fn(i)
    out.push(performance.now() - start)
  }
  return out
}

/** Per second, from a count and milliseconds. */
export const perSecond = (count: number, ms: number) => (count * 1000) / ms
