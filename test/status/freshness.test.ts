import { describe, expect, it } from 'vitest'
import type { PollOutcome, ResourceSnapshot } from '../../src/status/poller.js'
import { resourceView, type PollState } from '../../src/status/freshness.js'
import type { StatusData } from '../../src/upstream/schema.js'

const TTL = 300_000
const SIE = 1_800_000
const GRACE = 5_000
const freshness = { ttlMs: TTL, staleIfErrorMs: SIE, pollGraceMs: GRACE }
const STARTED = 1_000
const FETCHED = 10_000
/** When the TTL ends: the last moment the data is fresh by the TTL alone. */
const TTL_END = FETCHED + TTL
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

/** After a success, the next poll is due when the TTL ends: under way from then on. */
const due: PollState = { lastOutcome: ok, nextPollAt: TTL_END }
/** Polls held back (a 429's Retry-After) past the TTL's end. */
const held: PollState = { lastOutcome: ok, nextPollAt: TTL_END + 60_000 }
const failed = (at: number): PollState => ({ lastOutcome: failedAt(at), nextPollAt: at + 2_500 })
const stopped: PollState = { lastOutcome: ok, nextPollAt: undefined }

const view = (poll: PollState, now: number, rules = freshness) => resourceView(snapshot, poll, now, rules, STARTED)
const shown = (poll: PollState, now: number, rules = freshness) => {
  const { data: value, stale } = view(poll, now, rules)
  return value === undefined ? 'unknown' : stale ? 'stale' : 'fresh'
}

describe('resourceView', () => {
  it('has no data and no time before the first poll', () => {
    expect(resourceView(undefined, { lastOutcome: undefined, nextPollAt: 0 }, 2_000, freshness, STARTED)).toEqual({
      data: undefined,
      last: undefined,
      updatedAt: null,
      stale: false,
      asOf: STARTED,
      validUntil: NEVER,
    })
  })

  it('is stale with no data when the first poll failed', () => {
    expect(resourceView(undefined, failed(3_000), 4_000, freshness, STARTED)).toEqual({
      data: undefined,
      last: undefined,
      updatedAt: null,
      stale: true,
      asOf: 3_000,
      validUntil: NEVER,
    })
  })

  it('is fresh for the TTL, then for at most UPSTREAM_TIMEOUT_MS while the poll due then is under way', () => {
    expect(view(due, FETCHED + 1_000)).toEqual({
      data,
      last: data,
      updatedAt,
      stale: false,
      asOf: FETCHED,
      validUntil: TTL_END + GRACE,
    })
    expect(shown(due, TTL_END)).toBe('fresh')
    expect(shown(due, TTL_END + 1)).toBe('fresh')
    expect(shown(due, TTL_END + GRACE)).toBe('fresh')
    // A poll that outlives its own timeout holds nothing any longer.
    expect(view(due, TTL_END + GRACE + 1)).toEqual({
      data,
      last: data,
      updatedAt,
      stale: true,
      asOf: TTL_END + GRACE,
      validUntil: TTL_END + SIE,
    })
  })

  it('is stale from the end of the TTL when no poll is under way (a rate-limit hold, a shutdown)', () => {
    for (const poll of [held, stopped]) {
      expect(shown(poll, TTL_END)).toBe('fresh')
      expect(view(poll, TTL_END).validUntil).toBe(TTL_END)
      expect(view(poll, TTL_END + 1)).toMatchObject({ data, stale: true, asOf: TTL_END, validUntil: TTL_END + SIE })
    }
  })

  it('serves the snapshot marked stale while polls fail, up to TTL + stale-if-error, then unknown', () => {
    const poll = failed(TTL_END + 200)
    expect(view(poll, TTL_END + 300)).toMatchObject({ data, stale: true, asOf: TTL_END + 200 })
    expect(shown(poll, TTL_END + SIE)).toBe('stale')
    expect(view(poll, TTL_END + SIE).validUntil).toBe(TTL_END + SIE)
    expect(view(poll, TTL_END + SIE + 1)).toEqual({
      data: undefined,
      last: data,
      updatedAt,
      stale: true,
      asOf: TTL_END + SIE,
      validUntil: NEVER,
    })
  })

  it('is stale at once when a poll fails within the TTL, and gets no grace at its end', () => {
    const poll = failed(FETCHED + 1_000)
    expect(shown(poll, FETCHED + 999)).toBe('stale')
    expect(shown(poll, TTL_END + SIE)).toBe('stale')
    expect(shown(poll, TTL_END + SIE + 1)).toBe('unknown')
  })

  it('drops data too old to show even when no poll failed', () => {
    expect(shown(held, TTL_END + SIE)).toBe('stale')
    expect(shown(held, TTL_END + SIE + 1)).toBe('unknown')
    expect(shown(due, TTL_END + SIE + 1)).toBe('unknown')
  })

  describe('with STALE_IF_ERROR_SECONDS=0: never stale, unknown from the end of the TTL', () => {
    const strict = { ...freshness, staleIfErrorMs: 0 }

    it('while the poll due then is under way, for at most UPSTREAM_TIMEOUT_MS, the data is still fresh', () => {
      expect(shown(due, TTL_END, strict)).toBe('fresh')
      expect(shown(due, TTL_END + GRACE, strict)).toBe('fresh')
      expect(view(due, TTL_END + GRACE, strict).validUntil).toBe(TTL_END + GRACE)
      expect(shown(due, TTL_END + GRACE + 1, strict)).toBe('unknown')
    })

    it('a failed poll ends it there and then', () => {
      expect(shown(failed(TTL_END + 30), TTL_END + 30, strict)).toBe('unknown')
      expect(view(failed(TTL_END + 30), TTL_END + 30, strict).asOf).toBe(TTL_END)
    })

    it('with no poll under way, unknown right after the TTL', () => {
      expect(shown(held, TTL_END, strict)).toBe('fresh')
      expect(shown(held, TTL_END + 1, strict)).toBe('unknown')
    })

    it('a poll that failed within the TTL leaves the data stale until the TTL ends, no further', () => {
      expect(shown(failed(FETCHED + 1_000), TTL_END, strict)).toBe('stale')
      expect(shown(failed(FETCHED + 1_000), TTL_END + 1, strict)).toBe('unknown')
    })
  })

  it('with a stale-if-error window shorter than the grace, the grace still holds, and a failure ends both', () => {
    const short = { ...freshness, staleIfErrorMs: 2_000 }
    expect(shown(due, TTL_END + GRACE, short)).toBe('fresh')
    expect(shown(failed(TTL_END + 1_500), TTL_END + 1_500, short)).toBe('stale')
    expect(shown(failed(TTL_END + 1_500), TTL_END + 2_000, short)).toBe('stale')
    expect(shown(failed(TTL_END + 1_500), TTL_END + 2_001, short)).toBe('unknown')
    expect(shown(failed(TTL_END + 3_000), TTL_END + 3_000, short)).toBe('unknown')
  })
})
