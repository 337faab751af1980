import { describe, expect, it } from 'vitest'
import { isNotModified } from '../../src/http/conditional.js'

const ETAG = '"abc123"'
const LAST_MODIFIED = 'Thu, 26 Nov 2026 12:00:00 GMT'
const validators = { etag: ETAG, 'last-modified': LAST_MODIFIED }

describe('isNotModified', () => {
  it('is false without validators', () => {
    expect(isNotModified({}, validators)).toBe(false)
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
    expect(isNotModified({ 'if-none-match': header }, validators)).toBe(expected)
  })

  it.each([
    ['Thu, 26 Nov 2026 12:00:00 GMT', true],
    ['Thu, 26 Nov 2026 13:00:00 GMT', true],
    ['Thu, 26 Nov 2026 11:59:59 GMT', false],
    ['not a date', false],
    ['2999', false],
    ['Sunday, 26-Nov-26 13:00:00 GMT', true],
  ])('If-Modified-Since %j → %s', (header, expected) => {
    expect(isNotModified({ 'if-modified-since': header }, validators)).toBe(expected)
  })

  it('sends the content to a request that says Cache-Control: no-cache', () => {
    expect(isNotModified({ 'if-none-match': ETAG, 'cache-control': 'no-cache' }, validators)).toBe(false)
  })

  it('never matches by date a representation that has no Last-Modified', () => {
    expect(isNotModified({ 'if-modified-since': 'Thu, 26 Nov 2026 13:00:00 GMT' }, { etag: ETAG })).toBe(false)
  })

  it('lets If-None-Match decide when both are sent (RFC 9110 §13.2.2)', () => {
    const later = 'Thu, 26 Nov 2026 13:00:00 GMT'
    expect(isNotModified({ 'if-none-match': '"old"', 'if-modified-since': later }, validators)).toBe(false)
    const earlier = 'Thu, 26 Nov 2026 11:00:00 GMT'
    expect(isNotModified({ 'if-none-match': ETAG, 'if-modified-since': earlier }, validators)).toBe(true)
  })
})
