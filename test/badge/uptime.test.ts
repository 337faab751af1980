import { describe, expect, it } from 'vitest'
import { formatUptime, uptimeColor, uptimeFace } from '../../src/badge/uptime.js'

describe('formatUptime', () => {
  it.each([
    [100, '100%'],
    [99.95, '99.95%'],
    [99.999, '99.99%'],
    [99.9999999, '99.99%'],
    [99.999999999999, '99.99%'],
    [80.99999999999, '80.99%'],
    [1e-7, '0%'],
    [99.9, '99.9%'],
    [99.90000001, '99.9%'],
    [80, '80%'],
    [80.5, '80.5%'],
    [33.333333, '33.33%'],
    [66.666666, '66.66%'],
    [0.001, '0%'],
    [0, '0%'],
  ])('%d → %s', (value, expected) => {
    expect(formatUptime(value)).toBe(expected)
  })
})

describe('uptimeColor', () => {
  it.each([
    [100, 'brightgreen'],
    [99.9, 'brightgreen'],
    [99.89, 'green'],
    [99, 'green'],
    [98.99, 'yellowgreen'],
    [95, 'yellowgreen'],
    [94.99, 'yellow'],
    [90, 'yellow'],
    [89.99, 'orange'],
    [80, 'orange'],
    [79.99, 'red'],
    [0, 'red'],
  ])('%d → %s', (value, expected) => {
    expect(uptimeColor(value)).toBe(expected)
  })

  it('is unknown and grey without a figure', () => {
    expect(uptimeFace(undefined)).toEqual({ message: 'unknown', color: 'lightgrey' })
  })
})
