import { describe, expect, it } from 'vitest'
import { pollPlan } from '../../src/status/pacing.js'

const plan = (cacheTtlSeconds: number, upstreamMaxPerMinute = 30, upstreamMaxPerHour = 500) =>
  pollPlan({ cacheTtlSeconds, upstreamMaxPerMinute, upstreamMaxPerHour })

describe('pollPlan', () => {
  it('keeps the TTL whenever polls fit the budget', () => {
    expect(plan(300)).toEqual({ everySeconds: 300, callsPerPoll: 2, pacedBy: undefined })
    // 2 calls every 15 s: 480 an hour, 8 a minute.
    expect(plan(15)).toEqual({ everySeconds: 15, callsPerPoll: 2, pacedBy: undefined })
  })

  it('paces a TTL too short for the hourly budget to the shortest interval that fits', () => {
    expect(plan(5)).toEqual({ everySeconds: 15, callsPerPoll: 2, pacedBy: 'UPSTREAM_MAX_PER_HOUR' })
    expect(plan(14)).toMatchObject({ everySeconds: 15, pacedBy: 'UPSTREAM_MAX_PER_HOUR' })
    expect(plan(5, 30, 7)).toMatchObject({ everySeconds: 1029 })
  })

  it('paces to the per-minute budget when it is the tighter', () => {
    expect(plan(5, 4, 10_000)).toEqual({ everySeconds: 30, callsPerPoll: 2, pacedBy: 'UPSTREAM_MAX_PER_MINUTE' })
    expect(plan(60, 1, 10_000)).toMatchObject({ everySeconds: 120, pacedBy: 'UPSTREAM_MAX_PER_MINUTE' })
  })

  it('lets a larger budget poll as often as the TTL says', () => {
    expect(plan(5, 60, 1440)).toMatchObject({ everySeconds: 5, pacedBy: undefined })
  })
})
