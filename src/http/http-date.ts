const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)'
const MONTH = `(${MONTHS.join('|')})`
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'

/** IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
const IMF = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
/** Obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". */
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`)
/** Obsolete asctime: "Sun Nov  6 08:49:37 1994". */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`)

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | undefined {
  const ms = Date.UTC(year, MONTHS.indexOf(month), day, Number(h), Number(m), Number(s))
  const date = new Date(ms)
  // Refuse dates that roll over (31 Feb) or times out of range.
  return date.getUTCDate() === day && Number(h) < 24 && Number(m) < 60 && Number(s) < 61 ? ms : undefined
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) in ms, or undefined when the value is not
 * one: an invalid date in If-Modified-Since must be ignored, and Date.parse
 * takes almost anything ("2999").
 */
export function parseHttpDate(value: string): number | undefined {
  const text = value.trim()
  let m = IMF.exec(text)
  if (m) return utc(Number(m[3]), m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '')
  m = RFC850.exec(text)
  if (m) {
    // Two-digit years: the one nearest, never more than 50 years ahead (§5.6.7).
    const yy = Number(m[3])
    const now = new Date().getUTCFullYear()
    let year = Math.floor(now / 100) * 100 + yy
    if (year > now + 50) year -= 100
    return utc(year, m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '')
  }
  m = ASCTIME.exec(text)
  if (m) return utc(Number(m[6]), m[1] ?? '', Number((m[2] ?? '').trim()), m[3] ?? '', m[4] ?? '', m[5] ?? '')
  return undefined
}
