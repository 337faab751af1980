/**
 * Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in
 * milliseconds from `now`. Absent or unreadable: undefined. A date in the
 * past means "now": 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (!/[a-z]/i.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
