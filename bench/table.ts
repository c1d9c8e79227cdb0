// The printed table: one row per measurement, as Markdown (so it pastes into the README as is).

export type Row = {
  measurement: string
  aokit: string
  peer: string
  peerValue: string
  /** How many times better aokit is (> 1: aokit better), with the formula, e.g. "7.9× (aokit/peer)". */
  ratio: string
  /** The target and whether it was met, or "—". */
  target: string
}

const HEADER: Row = {
  measurement: 'measurement',
  aokit: 'aokit',
  peer: 'peer',
  peerValue: 'peer value',
  ratio: 'ratio (>1× = aokit better)',
  target: 'target / met?',
}

const escape = (cell: string) => cell.replace(/\|/g, '\\|')

export function formatTable(rows: Row[]): string {
  const keys = Object.keys(HEADER) as (keyof Row)[]
  const line = (row: Row) => `| ${keys.map((key) => escape(row[key])).join(' | ')} |`
  return [line(HEADER), `|${keys.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/** A number with thousands separators and `digits` decimals. */
export function num(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A ratio in "N×" form with enough digits to read small and large values. */
export function times(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  return `${value >= 10 ? num(value, 0) : value >= 1 ? num(value, 1) : num(value, 3)}×`
}

export const mib = (bytes: number) => `${num(bytes / 2 ** 20, 0)} MiB`
export const gib = (bytes: number) => `${num(bytes / 2 ** 30, 2)} GiB`
export const kib = (bytes: number) => `${num(bytes / 1024, 1)} KiB`
export const ms = (value: number, digits = 2) => `${num(value, digits)} ms`

/** "≤ 5 ms: met" style target cells. */
export function target(text: string, met: boolean): string {
  return `${text}: ${met ? 'met' : 'MISSED'}`
}
