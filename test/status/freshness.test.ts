import { describe, expect, it } from 'vitest'
import type { PollOutcome, ResourceSnapshot } from '../../src/status/poller.js'
import { resourceView } from '../../src/status/freshness.js'
import type { StatusData } from '../../src/upstream/schema.js'

const TTL = 300_000
const SIE = 1_800_000
const GRACE = 5_000
const freshness = { ttlMs: TTL, staleIfErrorMs: SIE, pollGraceMs: GRACE }
const STARTED = 1_000
const FETCHED = 10_000
const NEVER = Number.POSITIVE_INFINITY

const data: StatusData = {
  overall: 'operational',
  counts: { total: 1, up: 1, down: 0, pending: 0, paused: 0 },
  uptimePercentage: 100,
  activeIncidents: 0,
  incidents: [],
  upstreamTime: undefined,
}
const snapshot: ResourceSnapshot<'status'> = { resource: 'status', data, fetchedAt: FETCHED }
const updatedAt = new Date(FETCHED).toISOString()
const ok: PollOutcome = { ok: true, at: FETCHED, durationMs: 5 }
const failedAt = (at: number): PollOutcome => ({
  ok: false,
  at,
  durationMs: 5,
  error: { code: 'UPSTREAM_UNAVAILABLE', reason: 'unavailable', upstreamStatus: 500 },
})

describe('resourceView', () => {
  it('has no data and no time before the first poll', () => {
    expect(resourceView(undefined, undefined, 2_000, freshness, STARTED)).toEqual({
      data: undefined,
      last: undefined,
      updatedAt: null,
      stale: false,
      asOf: STARTED,
      validUntil: NEVER,
    })
  })

  it('is stale with no data when the first poll failed', () => {
    expect(resourceView(undefined, failedAt(3_000), 4_000, freshness, STARTED)).toEqual({
      data: undefined,
      last: undefined,
      updatedAt: null,
      stale: true,
      asOf: 3_000,
      validUntil: NEVER,
    })
  })

  it('serves a fresh snapshot, valid until its poll is overdue', () => {
    expect(resourceView(snapshot, ok, FETCHED + 1_000, freshness, STARTED)).toEqual({
      data,
      last: data,
      updatedAt,
      stale: false,
      asOf: FETCHED,
      validUntil: FETCHED + TTL + GRACE,
    })
  })

  it('is not stale while the poll due at the TTL is under way', () => {
    expect(resourceView(snapshot, ok, FETCHED + TTL + GRACE, freshness, STARTED).stale).toBe(false)
  })

  it('is stale once that poll is overdue, though none failed (a rate-limit hold)', () => {
    expect(resourceView(snapshot, ok, FETCHED + TTL + GRACE + 1, freshness, STARTED)).toEqual({
      data,
      last: data,
      updatedAt,
      stale: true,
      asOf: FETCHED + TTL + GRACE,
      validUntil: FETCHED + TTL + SIE,
    })
  })

  it('serves the snapshot marked stale while polls fail, up to TTL + stale-if-error', () => {
    const failure = failedAt(FETCHED + TTL + 200)
    const last = FETCHED + TTL + SIE
    expect(resourceView(snapshot, failure, FETCHED + TTL + 300, freshness, STARTED)).toMatchObject({
      data,
      stale: true,
      asOf: FETCHED + TTL + 200,
    })
    expect(resourceView(snapshot, failure, last, freshness, STARTED)).toMatchObject({ data, stale: true })
    expect(resourceView(snapshot, failure, last + 1, freshness, STARTED)).toEqual({
      data: undefined,
      last: data,
      updatedAt,
      stale: true,
      asOf: last,
      validUntil: NEVER,
    })
  })

  it('drops data too old to show even when no poll failed', () => {
    expect(resourceView(snapshot, ok, FETCHED + TTL + SIE + 1, freshness, STARTED)).toMatchObject({
      data: undefined,
      stale: true,
    })
  })

  it('never blanks the badge during a slow poll, even with no stale-if-error window', () => {
    const strict = { ...freshness, staleIfErrorMs: 0 }
    expect(resourceView(snapshot, ok, FETCHED + TTL + GRACE, strict, STARTED).data).toBe(data)
    expect(resourceView(snapshot, ok, FETCHED + TTL + GRACE + 1, strict, STARTED).data).toBeUndefined()
  })
})
