// strftime/mktime as emscripten's host code gives them to real aos modules (UTC only).
import { expect } from 'chai'
import { mktimeUtc, strftime, tmOf } from '../../../harness/vm/cTime.js'

const at = (iso: string) => tmOf(new Date(iso))

describe('harness/vm: C calendar functions', () => {
  it('formats every conversion as the aos module does (2001-09-09T01:46:40Z, a Sunday)', () => {
    const tm = at('2001-09-09T01:46:40Z')
    // The same line printed by aos 2.0.6 on ao-loader for os.date('!…', 1e9).
    expect(strftime('%x %X %p %j %U %W %V %G %g %u %w %a %A %b %B %C %e %y', tm, 'GMT')).to.equal(
      '09/09/01 01:46:40 AM 252 36 36 36 2001 01 7 0 Sun Sunday Sep September 20  9 01',
    )
    expect(strftime('%c|%D|%F|%r|%R|%T|%h|%I|%H:%M:%S|%Y|%z|%Z|%%|%n%t', tm, 'GMT')).to.equal(
      'Sun Sep 09 01:46:40 2001|09/09/01|2001-09-09|01:46:40 AM|01:46|01:46:40|Sep|01|01:46:40|2001|+0000|GMT|%|\n\t',
    )
    // aos 2.0.6 prints %Ec as the two characters "%c" (emscripten expands it after %c); the other modifiers are no-ops.
    expect(strftime('%Ec %EY %Od %OH', tm, 'GMT')).to.equal('%c 2001 09 01')
  })

  it('gives ISO 8601 week numbers and week-based years across year ends', () => {
    expect(strftime('%G-W%V-%u', at('2021-01-01T00:00:00Z'), '')).to.equal('2020-W53-5')
    expect(strftime('%G-W%V-%u', at('2008-12-29T00:00:00Z'), '')).to.equal('2009-W01-1')
    expect(strftime('%G-W%V-%u', at('2005-01-02T00:00:00Z'), '')).to.equal('2004-W53-7')
    expect(strftime('%G-W%V-%u', at('2010-01-04T00:00:00Z'), '')).to.equal('2010-W01-1')
    expect(strftime('%I %p', at('2010-01-04T00:30:00Z'), '')).to.equal('12 AM')
    expect(strftime('%I %p', at('2010-01-04T13:30:00Z'), '')).to.equal('01 PM')
  })

  it('normalises out-of-range fields in mktime and reports what it cannot represent', () => {
    const thirteenth = { ...at('2021-01-01T00:00:00Z'), mon: 12, mday: 1 }
    const normalised = mktimeUtc(thirteenth)!
    expect(normalised.seconds).to.equal(Date.UTC(2022, 0, 1) / 1000)
    expect(normalised.tm).to.include({ year: 122, mon: 0, mday: 1, wday: 6, yday: 0 })
    expect(mktimeUtc({ ...thirteenth, year: 1e9 })).to.equal(undefined)
  })
})
