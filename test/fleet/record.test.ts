/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- the tests edit hostile JSON freely */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord, MAX_RECORD_BYTES, type SharedRecord } from '../../src/fleet/record.js'
import type { MonitorsData, StatusData } from '../../src/upstream/schema.js'

const STATUS: StatusData = {
  overall: 'operational',
  counts: { total: 3, up: 3, down: 0, pending: 0, paused: 0 },
  uptimePercentage: 99.95,
  activeIncidents: 0,
  incidents: [],
  upstreamTime: '2026-12-01T12:00:00.000Z',
}

const MONITORS: MonitorsData = {
  monitors: [
    {
      id: '7',
      name: 'web',
      status: 'up',
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: undefined,
    },
  ],
  skipped: 0,
  duplicates: 0,
}

const statusRecord: SharedRecord<'status'> = {
  resource: 'status',
  snapshot: { resource: 'status', data: STATUS, fetchedAt: 1_796_000_000_000 },
  lastOutcome: { ok: true, at: 1_796_000_000_000, durationMs: 12 },
  consecutiveFailures: 0,
  nextPollAt: 1_796_000_300_000,
}

const monitorsRecord: SharedRecord<'monitors'> = {
  resource: 'monitors',
  snapshot: { resource: 'monitors', data: MONITORS, fetchedAt: 1_796_000_000_000 },
  lastOutcome: {
    ok: false,
    at: 1_796_000_100_000,
    durationMs: 5000,
    error: { code: 'UPSTREAM_UNAVAILABLE', reason: 'timeout', upstreamStatus: 503 },
  },
  consecutiveFailures: 2,
  nextPollAt: undefined,
}

/** A valid record as JSON, changed by `edit`. */
function hostile(edit: (json: Record<string, any>) => void): string {
  const json = JSON.parse(encodeRecord(statusRecord)) as Record<string, any>
  edit(json)
  return JSON.stringify(json)
}

describe('shared records', () => {
  it('read back into the very objects the leader wrote', () => {
    for (const record of [statusRecord, monitorsRecord]) {
      const decoded = decodeRecord(record.resource, encodeRecord(record))
      expect(decoded).toEqual({ record })
    }
  })

  it.each<[string, string]>([
    ['not JSON', '{"v":1,'],
    ['another version', hostile((j) => (j.v = 2))],
    ['another resource', hostile((j) => (j.resource = 'monitors'))],
    ['an extra field', hostile((j) => (j.snapshot.data.secret = 'x'))],
    ['a wrong type', hostile((j) => (j.snapshot.data.counts.up = '3'))],
    ['a negative count', hostile((j) => (j.failures = -1))],
    ['an uptime over 100', hostile((j) => (j.snapshot.data.uptimePercentage = 101))],
    ['a bad timestamp', hostile((j) => (j.snapshot.data.upstreamTime = 'yesterday'))],
    ['a missing outcome', hostile((j) => delete j.outcome)],
    ['an error code with odd characters', hostile((j) => (j.outcome.error = { code: '<script>', reason: 'x' }))],
    ['too many incidents', hostile((j) => (j.snapshot.data.incidents = Array.from({ length: 10_000 }, () => ({}))))],
    ['a JSON array', '[]'],
    ['null', 'null'],
  ])('refuse %s', (_what, body) => {
    expect(decodeRecord('status', body)).toMatchObject({ problem: expect.any(String) as string })
  })

  it('refuse a monitor with its target, or with an id no route could name', () => {
    const withTarget = JSON.parse(encodeRecord(monitorsRecord)) as Record<string, any>
    withTarget.snapshot.data.monitors[0].target = 'http://10.0.0.1/admin'
    expect(decodeRecord('monitors', JSON.stringify(withTarget))).toHaveProperty('problem')
    const badId = JSON.parse(encodeRecord(monitorsRecord)) as Record<string, any>
    badId.snapshot.data.monitors[0].id = '../../etc'
    expect(decodeRecord('monitors', JSON.stringify(badId))).toHaveProperty('problem')
  })

  it('refuse a record over the bound before parsing it', () => {
    const body = hostile((j) => (j.snapshot.data.overall = 'x'.repeat(MAX_RECORD_BYTES)))
    expect(decodeRecord('status', body)).toEqual({ problem: 'larger than the record bound' })
  })

  it('never throw, whatever Redis holds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (body) => {
          const decoded = decodeRecord('status', body)
          expect('record' in decoded || 'problem' in decoded).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
