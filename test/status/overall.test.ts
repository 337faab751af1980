import { describe, expect, it } from 'vitest'
import { overallStatus } from '../../src/status/overall.js'
import type { StatusCounts } from '../../src/upstream/schema.js'

const healthy: StatusCounts = { total: 5, up: 5, down: 0, pending: 0, paused: 0 }
const oneDown: StatusCounts = { total: 5, up: 4, down: 1, pending: 0, paused: 0 }
const allDown: StatusCounts = { total: 5, up: 0, down: 5, pending: 0, paused: 0 }
const none: StatusCounts = { total: undefined, up: undefined, down: undefined, pending: undefined, paused: undefined }

describe('overallStatus: reported spellings', () => {
  it.each([
    ['operational', 'operational'],
    ['Operational', 'operational'],
    [' OPERATIONAL ', 'operational'],
    ['degraded', 'degraded'],
    ['degraded_performance', 'degraded'],
    ['Degraded Performance', 'degraded'],
    ['degraded-performance', 'degraded'],
    ['partial_outage', 'partial_outage'],
    ['partial outage', 'partial_outage'],
    ['Partial Outage', 'partial_outage'],
    ['partial-outage', 'partial_outage'],
    ['PARTIAL  OUTAGE', 'partial_outage'],
    ['major_outage', 'major_outage'],
    ['Major Outage', 'major_outage'],
    ['major-outage', 'major_outage'],
    ['maintenance', 'maintenance'],
    ['under_maintenance', 'maintenance'],
    ['Under Maintenance', 'maintenance'],
  ] as const)('%j → %s', (reported, expected) => {
    expect(overallStatus(reported, oneDown)).toBe(expected)
  })
})

describe('overallStatus: derived from the counts', () => {
  it.each([undefined, 'reticulating splines', 'constructor', '__proto__', ''])(
    'unrecognised %j falls back to the counts',
    (reported) => {
      expect(overallStatus(reported, healthy)).toBe('operational')
      expect(overallStatus(reported, oneDown)).toBe('partial_outage')
      expect(overallStatus(reported, allDown)).toBe('major_outage')
      expect(overallStatus(reported, none)).toBe('unknown')
    },
  )

  it('is unknown without a usable total or down count', () => {
    expect(overallStatus(undefined, { ...healthy, down: undefined })).toBe('unknown')
    expect(overallStatus(undefined, { ...healthy, total: undefined })).toBe('unknown')
    expect(overallStatus(undefined, { ...healthy, total: 0 })).toBe('unknown')
  })

  it('counts more down than total as a major outage', () => {
    expect(overallStatus(undefined, { ...allDown, down: 7 })).toBe('major_outage')
  })
})

describe('overallStatus: every counted monitor down', () => {
  it.each(['operational', 'degraded', 'maintenance', 'partial outage'])(
    'is a major outage even when %j is reported',
    (reported) => {
      expect(overallStatus(reported, allDown)).toBe('major_outage')
    },
  )

  it('keeps a reported state when no monitors are counted', () => {
    expect(overallStatus('operational', { ...none, total: 0, down: 0 })).toBe('operational')
  })
})
