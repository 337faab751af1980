import { describe, expect, it } from 'vitest'
import { useUpstream } from '../helper.js'
import { HEALTH_BODY, matchesSchema } from '../schema.js'

const t = useUpstream()

interface Health {
  pollEverySeconds: number
  polls: Record<'status' | 'monitors', { lastCode: string | null; nextPollAt: string | null; lastPoll: { at: string } }>
  budget: { minute: { limit: number; left: number }; hour: { limit: number; left: number } }
  webhook: { enabled: boolean; last: unknown }
}

describe('GET /healthz, on the upstream budget', () => {
  it('shows the interval polled at, each last outcome code, and the calls left in each window', async () => {
    const app = await t.ready({ UPSTREAM_MAX_PER_MINUTE: '12', UPSTREAM_MAX_PER_HOUR: '100' })
    const body = (await app.inject('/healthz')).json<Health>()
    expect(matchesSchema(HEALTH_BODY, body)).toBe(true)
    expect(body.pollEverySeconds).toBe(300)
    expect(body.polls.status.lastCode).toBe('OK')
    // The first poll: one call for each resource.
    expect(body.budget).toEqual({ minute: { limit: 12, left: 10 }, hour: { limit: 100, left: 98 } })
    expect(body.webhook).toEqual({ enabled: false, last: null })
  })

  it('names the last outcome by its error code', async () => {
    t.upstream.override('/status', { status: 429, headers: { 'retry-after': '30' } })
    const app = await t.ready()
    const body = (await app.inject('/healthz')).json<Health>()
    expect(body.polls.status.lastCode).toBe('UPSTREAM_RATE_LIMITED')
    expect(body.polls.monitors.lastCode).toBe('OK')
  })

  it('dates the next poll no earlier than the budget allows a call', async () => {
    // Two calls a minute: the first poll spent them all.
    const app = await t.ready({ CACHE_TTL_SECONDS: '60', UPSTREAM_MAX_PER_MINUTE: '2' })
    const body = (await app.inject('/healthz')).json<Health>()
    expect(body.budget.minute.left).toBe(0)
    for (const resource of ['status', 'monitors'] as const) {
      const poll = body.polls[resource]
      expect(Date.parse(poll.nextPollAt ?? '') - Date.parse(poll.lastPoll.at)).toBeGreaterThan(60_000)
    }
  })

  it('gives /metrics the same figures', async () => {
    const app = await t.ready({ UPSTREAM_MAX_PER_MINUTE: '12', UPSTREAM_MAX_PER_HOUR: '100' })
    const metrics = (await app.inject('/metrics')).body
    expect(metrics).toContain('badge_proxy_upstream_budget_left{window="minute"} 10')
    expect(metrics).toContain('badge_proxy_upstream_budget_left{window="hour"} 98')
    expect(metrics).toContain('badge_proxy_upstream_budget_limit{window="minute"} 12')
    expect(metrics).toContain('badge_proxy_upstream_budget_delayed_total 0')
    // The simulator sends no X-RateLimit-Remaining: no sample.
    expect(metrics).not.toMatch(/^badge_proxy_upstream_ratelimit_remaining /m)
  })
})
