import { afterEach, describe, expect, it } from 'vitest'
import type { App } from '../src/app.js'
import { configWarnings } from '../src/config.js'
import type { ScenarioName } from '../src/dev/scenarios.js'
import { monitorsEnvelope, statusEnvelope, type Simulator } from '../src/dev/simulator.js'
import { busiestSpan, fakeTimeOverUpstream } from './fake-time.js'
import { buildTestApp, firstPolls, startTestUpstream, testConfig } from './helper.js'
import { svgFacts } from './svg.js'

/**
 * What issue 11 is judged by, against the simulated upstream counting its
 * calls: webhooks turn the badge in seconds, storms are coalesced, a wrong
 * token triggers nothing, the budget holds whatever happens, and a TTL too
 * short for the budget is paced.
 */
const TOKEN = 'wh-judge-0123456789abcdefghijk'

let upstream: Simulator | undefined
let app: App | undefined
let fake: ReturnType<typeof fakeTimeOverUpstream> | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
  fake?.restore()
  fake = undefined
  await upstream?.close()
  upstream = undefined
})

/** A fresh upstream (its call log empty) and the app on fake time against it, past its first polls. */
async function start(env: Record<string, string>) {
  const sim = (upstream = await startTestUpstream())
  const time = (fake = fakeTimeOverUpstream(sim))
  const built = (app = (await buildTestApp({ upstream: sim, env, deps: { client: time.client } })).app)
  time.reportRemaining((remaining) => {
    built.poller.noteRemaining(remaining)
  })
  await built.ready()
  await time.settle()
  expect(built.poller.state('status').firstAttemptSettled).toBe(true)
  // The first polls are behind us: count from here (fake time has not moved, so by index).
  return { sim, time, app: built, startedAt: sim.requests.length }
}

const webhook = (target: App, event: string, token = TOKEN) =>
  target.inject({
    method: 'POST',
    url: `/webhook?token=${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ event, timestamp: new Date().toISOString() }),
  })

const badgeMessage = async (target: App) => svgFacts((await target.inject('/badge.svg')).body).texts[1]

/** The times of the upstream's calls for `path`, from the `since`-th on (the log keeps 200). */
const callTimes = (sim: Simulator, path: string, since = 0) => {
  expect(sim.requests.length).toBeLessThan(200)
  return sim.requests
    .slice(since)
    .filter((r) => r.path === path)
    .map((r) => r.at)
}

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0))

describe('a change upstream and one webhook', () => {
  it('turns /badge.svg within 12 s with a 300 s TTL (real clocks)', async () => {
    const sim = (upstream = await startTestUpstream())
    app = (await buildTestApp({ upstream: sim, env: { WEBHOOK_TOKEN: TOKEN } })).app
    await app.ready()
    await firstPolls(app)
    expect(await badgeMessage(app)).toBe('operational')
    const before = sim.calls()

    sim.setScenario('major_outage')
    const changedAt = Date.now()
    expect((await webhook(app, 'component.status_changed')).statusCode).toBe(202)
    while ((await badgeMessage(app)) !== 'major outage') {
      expect(Date.now() - changedAt).toBeLessThan(12_000)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(Date.now() - changedAt).toBeLessThan(12_000)
    // One call per resource, not a poll cycle.
    expect(sim.calls() - before).toBe(2)
  })

  it('turns it within 12 s even inside the window of an earlier refresh: at the window end', async () => {
    const { sim, time, app } = await start({ WEBHOOK_TOKEN: TOKEN })
    expect((await webhook(app, 'incident.updated')).json()).toMatchObject({ refresh: ['status'] })
    await time.advance(2_000)

    sim.setScenario('major_outage')
    const changedAt = Date.now()
    expect((await webhook(app, 'incident.created')).statusCode).toBe(202)
    let turnedAt: number | undefined
    while (turnedAt === undefined && Date.now() - changedAt < 20_000) {
      await time.advance(100)
      if ((await badgeMessage(app)) === 'major outage') turnedAt = Date.now()
    }
    // The earlier refresh was at 0 s: this one waits for 10 s, then takes a round trip.
    expect(turnedAt).toBeDefined()
    expect((turnedAt ?? 0) - changedAt).toBeLessThanOrEqual(12_000)
    expect((turnedAt ?? 0) - changedAt).toBeGreaterThanOrEqual(7_900)
    expect(callTimes(sim, '/status')).toHaveLength(3)
  })
})

describe('a storm of webhooks', () => {
  const CYCLE: ScenarioName[] = ['degraded', 'partial_outage', 'major_outage', 'maintenance', 'operational']
  const EVENTS = ['component.status_changed', 'incident.updated', 'monitor.flapping', 'incident.created']

  it.each([
    ['the last change just before the last webhook', 399],
    ['the last change mid-storm', 200],
    ['a change only at the start', 0],
  ])(
    'of 400 in 10 s costs at most one refresh per 10 s per resource, and the last state shows (%s)',
    async (_case, lastChange) => {
      const { sim, time, app, startedAt } = await start({ WEBHOOK_TOKEN: TOKEN, PUBLIC_COMPONENTS: '*' })
      let scenario = 0
      for (let i = 0; i < 400; i++) {
        if (i <= lastChange && i % 50 === lastChange % 50) {
          sim.setScenario(CYCLE[scenario % CYCLE.length] ?? 'degraded')
          scenario++
        }
        expect((await webhook(app, EVENTS[i % EVENTS.length] ?? 'x')).statusCode).toBe(202)
        await time.advance(25, 25)
      }
      await time.advance(12_000)

      for (const path of ['/status', '/monitors']) {
        const times = callTimes(sim, path, startedAt)
        // 22 s of storm and after: a refresh at the start and at each window's end, never closer.
        expect(times.length, path).toBeGreaterThanOrEqual(2)
        expect(times.length, path).toBeLessThanOrEqual(3)
        for (const gap of gaps(times)) expect(gap, path).toBeGreaterThanOrEqual(10_000)
      }
      // Scenario names are the badge's status keys.
      const last = CYCLE[(scenario - 1) % CYCLE.length] ?? 'degraded'
      const json = (await app.inject('/badge.json')).json<{ status: string; stale: boolean }>()
      expect(json).toMatchObject({ status: last, stale: false })
      const components = (await app.inject('/components.json')).json<{ components: Array<{ status: string }> }>()
      expect(components.components.map((c) => c.status)).toEqual(
        monitorsEnvelope(sim.state).data.monitors.map((m) => m.status),
      )
      const metrics = (await app.inject('/metrics')).body
      expect(metrics).toContain('badge_proxy_webhook_refreshes_total{resource="status"} 2')
      expect(metrics).toContain('badge_proxy_webhook_refreshes_coalesced_total{resource="status"} 398')
    },
  )
})

describe('a wrong token', () => {
  it('gets 401 and triggers nothing, however many come', async () => {
    const { sim, time, app, startedAt } = await start({ WEBHOOK_TOKEN: TOKEN })
    const statuses = new Set<number>()
    for (let i = 0; i < 100; i++) {
      statuses.add((await webhook(app, 'component.status_changed', `${TOKEN.slice(0, -1)}X`)).statusCode)
      await time.advance(100, 100)
    }
    await time.advance(30_000)
    expect(statuses).toEqual(new Set([401, 429]))
    expect(callTimes(sim, '/status', startedAt)).toEqual([])
    expect(callTimes(sim, '/monitors', startedAt)).toEqual([])
    const health = (await app.inject('/healthz')).json<{ webhook: unknown }>()
    expect(health.webhook).toEqual({ enabled: true, last: null })
  })
})

describe('with tight budget settings', () => {
  it('never lets more calls than UPSTREAM_MAX_PER_MINUTE into any minute, whatever webhooks, retries and 429s do', async () => {
    const PER_MINUTE = 5
    const { sim, time, app, startedAt } = await start({
      WEBHOOK_TOKEN: TOKEN,
      CACHE_TTL_SECONDS: '60',
      UPSTREAM_MAX_PER_MINUTE: String(PER_MINUTE),
      UPSTREAM_MAX_PER_HOUR: '200',
      WEBHOOK_MIN_INTERVAL_SECONDS: '1',
    })
    const holds: Array<{ at: number; untilAt: number }> = []
    let n = 0
    sim.override('/status', () => {
      n++
      if (n % 3 === 0) {
        holds.push({ at: Date.now(), untilAt: Date.now() + 2_000 })
        return { status: 429, headers: { 'retry-after': '2' }, body: { success: false, error: 'Too many requests' } }
      }
      if (n % 3 === 1) return { status: 500, body: { success: false, error: 'Database error' } }
      return { body: statusEnvelope(sim.state) }
    })
    let m = 0
    sim.override('/monitors', () =>
      ++m % 4 === 0 ? { status: 503, body: '<h1>busy</h1>' } : { body: monitorsEnvelope(sim.state) },
    )

    for (let i = 0; i < 240; i++) {
      await webhook(app, i % 2 ? 'component.status_changed' : 'incident.updated')
      if (i % 10 === 0) await webhook(app, 'incident.created', 'not-the-token-at-all-xxxxxx')
      await time.advance(1_500, 250)
    }

    const times = [...callTimes(sim, '/status', startedAt), ...callTimes(sim, '/monitors', startedAt)]
    expect(busiestSpan(times, 60_000)).toBeLessThanOrEqual(PER_MINUTE)
    // The budget, not the load, set the pace: it was spent again and again.
    expect(busiestSpan(times, 60_000)).toBe(PER_MINUTE)
    expect(times.length).toBeGreaterThanOrEqual(25)
    // A 429's Retry-After held every caller.
    expect(holds.length).toBeGreaterThan(0)
    for (const hold of holds) {
      expect(times.filter((t) => t > hold.at && t < hold.untilAt)).toEqual([])
    }
    const metrics = (await app.inject('/metrics')).body
    expect(Number(/badge_proxy_upstream_budget_delayed_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0)
    const health = (await app.inject('/healthz')).json<{ budget: { minute: { limit: number; left: number } } }>()
    expect(health.budget.minute.limit).toBe(PER_MINUTE)
    expect(health.budget.minute.left).toBeGreaterThanOrEqual(0)
    expect(health.budget.minute.left).toBeLessThanOrEqual(PER_MINUTE)

    // The upstream recovers and changes once more: the last webhook's refresh still comes.
    sim.override('/status', undefined)
    sim.override('/monitors', undefined)
    sim.setScenario('partial_outage')
    await webhook(app, 'component.status_changed')
    await time.advance(120_000, 500)
    expect(await badgeMessage(app)).toBe('partial outage')
    const all = [...callTimes(sim, '/status', startedAt), ...callTimes(sim, '/monitors', startedAt)]
    expect(busiestSpan(all, 60_000)).toBeLessThanOrEqual(PER_MINUTE)
  })
})

describe('a TTL too short for the budget', () => {
  it('starts, warns once naming the variables and the real interval, and is paced to fit', async () => {
    const env = { CACHE_TTL_SECONDS: '5', UPSTREAM_MAX_PER_MINUTE: '4', UPSTREAM_MAX_PER_HOUR: '1000' }
    const warnings = configWarnings(testConfig(env))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/CACHE_TTL_SECONDS=5 .*UPSTREAM_MAX_PER_MINUTE=4 .*polling every 30 s instead/)

    const { sim, time, app, startedAt } = await start(env)
    const stale = new Set<boolean>()
    for (let i = 0; i < 300; i++) {
      await time.advance(1_000, 500)
      stale.add((await app.inject('/badge.json')).json<{ stale: boolean }>().stale)
    }
    const status = callTimes(sim, '/status', startedAt)
    const all = [...status, ...callTimes(sim, '/monitors', startedAt)]
    expect(busiestSpan(all, 60_000)).toBeLessThanOrEqual(4)
    expect(status.length).toBeGreaterThanOrEqual(9)
    for (const gap of gaps(status)) {
      expect(gap).toBeGreaterThanOrEqual(30_000)
      expect(gap).toBeLessThanOrEqual(32_000)
    }
    // Fresh between the paced polls: freshness follows the interval really polled at.
    expect(stale).toEqual(new Set([false]))
    const health = (await app.inject('/healthz')).json<{ pollEverySeconds: number }>()
    expect(health.pollEverySeconds).toBe(30)
  })
})

describe('X-RateLimit-Remaining', () => {
  it('is exported, and below 6 slows the poller to twice its interval', async () => {
    const sim = (upstream = await startTestUpstream())
    const low = { 'x-ratelimit-remaining': '3' }
    sim.override('/status', () => ({ body: statusEnvelope(sim.state), headers: low }))
    sim.override('/monitors', () => ({ body: monitorsEnvelope(sim.state), headers: low }))
    app = (await buildTestApp({ upstream: sim })).app
    await app.ready()
    await firstPolls(app)
    const metrics = (await app.inject('/metrics')).body
    expect(metrics).toContain('badge_proxy_upstream_ratelimit_remaining{endpoint="/status"} 3')
    expect(metrics).toContain('badge_proxy_upstream_ratelimit_remaining{endpoint="/monitors"} 3')
    const health = (await app.inject('/healthz')).json<{
      polls: Record<string, { lastPoll: { at: string }; nextPollAt: string }>
    }>()
    for (const resource of ['status', 'monitors']) {
      const poll = health.polls[resource]
      expect(Date.parse(poll?.nextPollAt ?? '') - Date.parse(poll?.lastPoll.at ?? '')).toBe(600_000)
    }
  })
})
