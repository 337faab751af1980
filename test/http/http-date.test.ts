import { describe, expect, it } from 'vitest'
import { chooseEncoding } from '../../src/http/encoding.js'
import { parseHttpDate } from '../../src/http/http-date.js'

const T = Date.parse('1994-11-06T08:49:37Z')

describe('parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', T],
    ['Sunday, 06-Nov-94 08:49:37 GMT', T],
    ['Sun Nov  6 08:49:37 1994', T],
    ['2999', undefined],
    ['1994-11-06T08:49:37Z', undefined],
    ['Sun, 06 Nov 1994 08:49:37 UTC', undefined],
    ['Mon, 31 Feb 2026 00:00:00 GMT', undefined],
    ['Sun, 06 Nov 1994 25:49:37 GMT', undefined],
    ['', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseHttpDate(value)).toBe(expected)
  })
})

describe('chooseEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0.8, br;q=0.5', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*;q=0', undefined],
    ['identity', undefined],
    ['br;q=nonsense, gzip', 'gzip'],
  ])('%j → %j', (header, expected) => {
    expect(chooseEncoding(header === undefined ? {} : { 'accept-encoding': header })).toBe(expected)
  })
})
