import { describe, expect, it } from 'vitest'
import { isNotModified } from '../../src/http/conditional.js'

const ETAG = '"abc123"'
const MODIFIED = Date.parse('Thu, 26 Nov 2026 12:00:00 GMT')

describe('isNotModified', () => {
  it('is false without validators', () => {
    expect(isNotModified({}, ETAG, MODIFIED)).toBe(false)
  })

  it.each([
    ['"abc123"', true],
    ['W/"abc123"', true],
    ['"zzz", "abc123"', true],
    ['"zzz",W/"abc123"', true],
    ['*', true],
    ['"zzz"', false],
    ['abc123', false],
    ['', false],
  ])('If-None-Match %j → %s', (header, expected) => {
    expect(isNotModified({ 'if-none-match': header }, ETAG, MODIFIED)).toBe(expected)
  })

  it.each([
    ['Thu, 26 Nov 2026 12:00:00 GMT', true],
    ['Thu, 26 Nov 2026 13:00:00 GMT', true],
    ['Thu, 26 Nov 2026 11:59:59 GMT', false],
    ['not a date', false],
    ['2999', false],
    ['Sunday, 26-Nov-26 13:00:00 GMT', true],
  ])('If-Modified-Since %j → %s', (header, expected) => {
    expect(isNotModified({ 'if-modified-since': header }, ETAG, MODIFIED)).toBe(expected)
  })

  it('compares Last-Modified to the second, as HTTP dates carry', () => {
    expect(isNotModified({ 'if-modified-since': 'Thu, 26 Nov 2026 12:00:00 GMT' }, ETAG, MODIFIED + 999)).toBe(true)
  })

  it('lets If-None-Match decide when both are sent (RFC 9110 §13.2.2)', () => {
    const later = 'Thu, 26 Nov 2026 13:00:00 GMT'
    expect(isNotModified({ 'if-none-match': '"old"', 'if-modified-since': later }, ETAG, MODIFIED)).toBe(false)
    const earlier = 'Thu, 26 Nov 2026 11:00:00 GMT'
    expect(isNotModified({ 'if-none-match': ETAG, 'if-modified-since': earlier }, ETAG, MODIFIED)).toBe(true)
  })
})
