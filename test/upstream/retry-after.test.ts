import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/upstream/retry-after.js'

const NOW = Date.parse('2026-11-26T12:00:00Z')

describe('parseRetryAfter', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['30', 30_000],
    [' 120 ', 120_000],
    ['-5', undefined],
    ['1.5', undefined],
    ['Thu, 26 Nov 2026 12:00:45 GMT', 45_000],
    ['Thu, 26 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected)
  })
})
