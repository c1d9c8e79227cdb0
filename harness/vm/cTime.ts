// The C library's calendar functions that emscripten leaves to the host (gmtime, mktime, strftime), in UTC only.
// Results follow emscripten's own host implementation, which real aos modules run with: `%c` is
// "%a %b %d %H:%M:%S %Y", `%Ec` stays "%c", `%Y` is not padded, `%y` and `%g` drop the year's first two digits.

/** A `struct tm` as wasm32 musl lays it out (all int32 but tm_zone, a pointer). */
export type Tm = { sec: number; min: number; hour: number; mday: number; mon: number; year: number; wday: number; yday: number; isdst: number; gmtoff: number }

const FIELDS = ['sec', 'min', 'hour', 'mday', 'mon', 'year', 'wday', 'yday', 'isdst', 'gmtoff'] as const
/** Byte offset of tm_zone. */
export const TM_ZONE = 40

export function readTm(memory: ArrayBuffer, ptr: number): Tm {
  const view = new DataView(memory)
  const tm = {} as Tm
  FIELDS.forEach((field, i) => (tm[field] = view.getInt32(ptr + 4 * i, true)))
  return tm
}

export function writeTm(memory: ArrayBuffer, ptr: number, tm: Partial<Tm>): void {
  const view = new DataView(memory)
  FIELDS.forEach((field, i) => {
    const value = tm[field]
    if (value !== undefined) view.setInt32(ptr + 4 * i, value, true)
  })
}

/** The broken-down UTC time of `date` (tm_isdst and tm_gmtoff 0: the only zone is UTC). */
export function tmOf(date: Date): Tm {
  return {
    sec: date.getUTCSeconds(),
    min: date.getUTCMinutes(),
    hour: date.getUTCHours(),
    mday: date.getUTCDate(),
    mon: date.getUTCMonth(),
    year: date.getUTCFullYear() - 1900,
    wday: date.getUTCDay(),
    yday: Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000),
    isdst: 0,
    gmtoff: 0,
  }
}

/** Seconds since the epoch as a Date; NaN's Date for values a double cannot hold exactly. */
export function dateOfSeconds(seconds: bigint): Date {
  const n = seconds < -(2n ** 53n) || seconds > 2n ** 53n ? NaN : Number(seconds)
  return new Date(n * 1000)
}

/** mktime in UTC: the fields normalised (31 January + 1 day is 1 February), or undefined when out of range. */
export function mktimeUtc(tm: Tm): { seconds: number; tm: Tm } | undefined {
  // As in emscripten's host code, years 0–99 mean 1900–1999 (JavaScript's Date rule).
  const date = new Date(Date.UTC(tm.year + 1900, tm.mon, tm.mday, tm.hour, tm.min, tm.sec))
  const time = date.getTime()
  if (Number.isNaN(time)) return undefined
  return { seconds: time / 1000, tm: tmOf(date) }
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** Conversions that stand for others (E and O modifiers change nothing in the C locale). */
const COMPOSITE: Record<string, string> = {
  c: '%a %b %d %H:%M:%S %Y',
  D: '%m/%d/%y',
  F: '%Y-%m-%d',
  h: '%b',
  r: '%I:%M:%S %p',
  R: '%H:%M',
  T: '%H:%M:%S',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
}

const pad = (value: number, width: number, fill = '0') => String(value).padStart(width, fill)

/** ISO 8601 week-based year and week number of a date given by its fields. */
function isoWeek(tm: Tm): { year: number; week: number } {
  const year = tm.year + 1900
  const mondayBased = (tm.wday + 6) % 7
  const week = Math.floor((tm.yday - mondayBased + 10) / 7)
  if (week < 1) return { year: year - 1, week: isoWeeksIn(year - 1) }
  if (week > isoWeeksIn(year)) return { year: year + 1, week: 1 }
  return { year, week }
}

/** 53 when the year ends on a Thursday or the year before ended on a Wednesday (it starts on a Thursday); else 52. */
function isoWeeksIn(year: number): number {
  const dec31 = (y: number) => (((y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7) + 7) % 7
  return dec31(year) === 4 || dec31(year - 1) === 3 ? 53 : 52
}

function convert(spec: string, tm: Tm, zone: string): string {
  const year = tm.year + 1900
  switch (spec) {
    case 'a':
      return DAYS[tm.wday]!.slice(0, 3)
    case 'A':
      return DAYS[tm.wday]!
    case 'b':
      return MONTHS[tm.mon]!.slice(0, 3)
    case 'B':
      return MONTHS[tm.mon]!
    case 'C':
      return pad(Math.trunc(year / 100), 2)
    case 'd':
      return pad(tm.mday, 2)
    case 'e':
      return pad(tm.mday, 2, ' ')
    case 'g':
      return String(isoWeek(tm).year).slice(2)
    case 'G':
      return String(isoWeek(tm).year)
    case 'H':
      return pad(tm.hour, 2)
    case 'I':
      return pad(tm.hour === 0 ? 12 : tm.hour > 12 ? tm.hour - 12 : tm.hour, 2)
    case 'j':
      return pad(tm.yday + 1, 3)
    case 'm':
      return pad(tm.mon + 1, 2)
    case 'M':
      return pad(tm.min, 2)
    case 'n':
      return '\n'
    case 'p':
      return tm.hour >= 0 && tm.hour < 12 ? 'AM' : 'PM'
    case 'S':
      return pad(tm.sec, 2)
    case 't':
      return '\t'
    case 'u':
      return String(tm.wday || 7)
    case 'U':
      return pad(Math.floor((tm.yday + 7 - tm.wday) / 7), 2)
    case 'V':
      return pad(isoWeek(tm).week, 2)
    case 'w':
      return String(tm.wday)
    case 'W':
      return pad(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2)
    case 'y':
      return String(year).slice(2)
    case 'Y':
      return String(year)
    case 'z': {
      const minutes = Math.abs(tm.gmtoff) / 60
      return (tm.gmtoff >= 0 ? '+' : '-') + pad(Math.floor(minutes / 60) * 100 + (minutes % 60), 4)
    }
    case 'Z':
      return zone
    case '%':
      return '%'
    default:
      return `%${spec}`
  }
}

/** strftime's text for `format` (conversions as listed in COMPOSITE and convert; unknown ones are kept as written). */
export function strftime(format: string, tm: Tm, zone: string): string {
  return format.replace(/%[EO]?(.)/g, (whole, spec: string) => {
    // emscripten turns %Ec into %c only after it has expanded %c, so aos prints the two characters "%c".
    if (whole === '%Ec') return '%c'
    const composite = COMPOSITE[spec]
    return composite ? strftime(composite, tm, zone) : convert(spec, tm, zone)
  })
}
