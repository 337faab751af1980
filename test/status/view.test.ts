import { describe, expect, it } from 'vitest'
import type { PollOutcome, Snapshot } from '../../src/status/poller.js'
import { snapshotView } from '../../src/status/view.js'
import type { StatusData } from '../../src/upstream/schema.js'

const TTL = 300_000
const SIE = 1_800_000
const freshness = { ttlMs: TTL, staleIfErrorMs: SIE }
const STARTED = 1_000
const FETCHED = 10_000

const data: StatusData = {
  overall: 'operational',
  counts: { total: 1, up: 1, down: 0, pending: 0, paused: 0 },
  uptimePercentage: 100,
  activeIncidents: 0,
  upstreamTime: undefined,
}
const snapshot: Snapshot<'status'> = { resource: 'status', data, fetchedAt: FETCHED }
const ok: PollOutcome = { ok: true, at: FETCHED, durationMs: 5 }
const failedAt = (at: number): PollOutcome => ({
  ok: false,
  at,
  durationMs: 5,
  error: { code: 'UPSTREAM_UNAVAILABLE', reason: 'unavailable', upstreamStatus: 500 },
})

describe('snapshotView', () => {
  it('has no data and no time before the first poll', () => {
    expect(snapshotView(undefined, undefined, 2_000, freshness, STARTED)).toEqual({
      data: undefined,
      updatedAt: null,
      stale: false,
      asOf: STARTED,
    })
  })

  it('is stale with no data when the first poll failed', () => {
    expect(snapshotView(undefined, failedAt(3_000), 4_000, freshness, STARTED)).toEqual({
      data: undefined,
      updatedAt: null,
      stale: true,
      asOf: 3_000,
    })
  })

  it('serves a fresh snapshot', () => {
    expect(snapshotView(snapshot, ok, FETCHED + 1_000, freshness, STARTED)).toEqual({
      data,
      updatedAt: new Date(FETCHED).toISOString(),
      stale: false,
      asOf: FETCHED,
    })
  })

  it('serves the snapshot marked stale while polls fail, up to TTL + stale-if-error', () => {
    const failure = failedAt(FETCHED + TTL)
    const last = FETCHED + TTL + SIE
    expect(snapshotView(snapshot, failure, last, freshness, STARTED)).toMatchObject({
      data,
      stale: true,
      asOf: FETCHED + TTL,
    })
    expect(snapshotView(snapshot, failure, last + 1, freshness, STARTED)).toEqual({
      data: undefined,
      updatedAt: new Date(FETCHED).toISOString(),
      stale: true,
      asOf: last,
    })
  })

  it('drops data too old to show even when no poll failed (polls held back)', () => {
    expect(snapshotView(snapshot, ok, FETCHED + TTL + SIE + 1, freshness, STARTED).data).toBeUndefined()
  })
})
