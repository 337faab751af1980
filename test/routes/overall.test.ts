import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { matchesSchema, STATUS_BADGE_JSON } from '../schema.js'
import type { App } from '../../src/app.js'
import { BADGE_COLORS } from '../../src/badge/colors.js'
import { SCENARIO_NAMES, type ScenarioName } from '../../src/dev/scenarios.js'
import type { SimReply, Simulator } from '../../src/dev/simulator.js'
import { buildTestApp, firstPolls, startTestUpstream } from '../helper.js'
import { svgFacts } from '../svg.js'

const TTL_S = 300
const SIE_S = 1800
const BADGE_CACHE = `public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=${SIE_S}`
const SHORT_CACHE = 'public, max-age=5, s-maxage=5'

const EXPECTED: Record<ScenarioName, { message: string; color: keyof typeof BADGE_COLORS }> = {
  operational: { message: 'operational', color: 'brightgreen' },
  degraded: { message: 'degraded', color: 'yellow' },
  partial_outage: { message: 'partial outage', color: 'orange' },
  major_outage: { message: 'major outage', color: 'red' },
  maintenance: { message: 'maintenance', color: 'blue' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}

let upstream: Simulator
let app: App | undefined
let now = Date.parse('2026-11-26T12:00:00Z')
const clock = { now: () => now }

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())
beforeEach(() => {
  now = Date.parse('2026-11-26T12:00:00Z')
  upstream.setScenario('operational')
  upstream.override('/status', undefined)
})
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function ready(scenario: ScenarioName = 'operational', env: Record<string, string> = {}): Promise<App> {
  upstream.setScenario(scenario)
  app = (await buildTestApp({ upstream, env, deps: { clock } })).app
  await app.ready()
  await firstPolls(app)
  return app
}

describe.each(SCENARIO_NAMES)('upstream state %s', (scenario) => {
  const { message, color } = EXPECTED[scenario]

  it(`GET /badge.svg says "${message}" in ${color}`, async () => {
    const app = await ready(scenario)
    const response = await app.inject('/badge.svg')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(response.headers['cache-control']).toBe(scenario === 'unknown' ? SHORT_CACHE : BADGE_CACHE)
    const facts = svgFacts(response.body)
    expect(facts.texts).toEqual(['status', message])
    expect(facts.ariaLabel).toBe(`status: ${message}`)
    expect(facts.messageFill).toBe(BADGE_COLORS[color])
  })

  it('GET /badge.json says the same, and nothing else', async () => {
    const app = await ready(scenario)
    const response = await app.inject('/badge.json')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const body: unknown = response.json()
    expect(matchesSchema(STATUS_BADGE_JSON, body)).toBe(true)
    expect(body).toEqual({
      status: scenario,
      label: 'status',
      message,
      color: BADGE_COLORS[color],
      updatedAt: new Date(now).toISOString(),
      stale: false,
    })
  })
})

describe('the badge routes', () => {
  it('use BADGE_LABEL as the left-hand text', async () => {
    const app = await ready('operational', { BADGE_LABEL: 'Acme <API> & "co"' })
    expect(svgFacts((await app.inject('/badge.svg')).body).texts).toEqual(['Acme <API> & "co"', 'operational'])
    expect((await app.inject('/badge.json')).json()).toMatchObject({ label: 'Acme <API> & "co"' })
  })

  it('answer HEAD with the headers and no body', async () => {
    const app = await ready()
    const get = await app.inject('/badge.svg')
    const head = await app.inject({ method: 'HEAD', url: '/badge.svg' })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
    for (const name of ['content-type', 'cache-control', 'etag', 'last-modified', 'content-length']) {
      expect(head.headers[name], name).toBe(get.headers[name])
    }
  })

  it('answer a repeated request with If-None-Match by 304 with no body', async () => {
    const app = await ready()
    for (const url of ['/badge.svg', '/badge.json']) {
      const first = await app.inject(url)
      const etag = String(first.headers.etag)
      expect(etag).toMatch(/^"[\w-]+"$/)
      const second = await app.inject({ url, headers: { 'if-none-match': etag } })
      expect(second.statusCode).toBe(304)
      expect(second.body).toBe('')
      expect(second.headers.etag).toBe(etag)
      expect(second.headers['cache-control']).toBe(BADGE_CACHE)
      const byDate = await app.inject({ url, headers: { 'if-modified-since': String(first.headers['last-modified']) } })
      expect(byDate.statusCode).toBe(304)
    }
  })

  it('answer an old ETag with the new content once the status changed', async () => {
    const app = await ready()
    const before = await app.inject('/badge.svg')
    upstream.setScenario('major_outage')
    now += 10_000
    await app.poller.refresh('status')
    const after = await app.inject({ url: '/badge.svg', headers: { 'if-none-match': String(before.headers.etag) } })
    expect(after.statusCode).toBe(200)
    expect(svgFacts(after.body).texts).toEqual(['status', 'major outage'])
    expect(after.headers.etag).not.toBe(before.headers.etag)
    expect(after.headers['last-modified']).toBe(new Date(now).toUTCString())
  })

  it('serve the last good state, then stale, then unknown, and recover', async () => {
    const app = await ready('degraded')
    const t0 = now
    const fresh = await app.inject('/badge.svg')

    now = t0 + TTL_S * 1000
    upstream.override('/status', { status: 500, body: { success: false, error: 'Database error' } })
    await app.poller.refresh('status')
    const staleJson = (await app.inject('/badge.json')).json<Record<string, unknown>>()
    expect(staleJson).toMatchObject({ status: 'degraded', stale: true, updatedAt: new Date(t0).toISOString() })
    const staleSvg = await app.inject('/badge.svg')
    expect(staleSvg.headers.etag).toBe(fresh.headers.etag)
    expect(staleSvg.headers['last-modified']).toBe(fresh.headers['last-modified'])
    expect(staleSvg.headers['cache-control']).toBe(BADGE_CACHE)

    now = t0 + (TTL_S + SIE_S) * 1000
    expect((await app.inject('/badge.json')).json()).toMatchObject({ status: 'degraded', stale: true })
    now += 1
    const gone = await app.inject('/badge.svg')
    expect(svgFacts(gone.body).texts).toEqual(['status', 'unknown'])
    expect(gone.headers['cache-control']).toBe(SHORT_CACHE)
    expect((await app.inject('/badge.json')).json()).toMatchObject({
      status: 'unknown',
      stale: true,
      updatedAt: new Date(t0).toISOString(),
    })

    upstream.override('/status', undefined)
    upstream.setScenario('operational')
    await app.poller.refresh('status')
    expect((await app.inject('/badge.json')).json()).toMatchObject({
      status: 'operational',
      stale: false,
      updatedAt: new Date(now).toISOString(),
    })
  })

  it('with STALE_IF_ERROR_SECONDS=0, say unknown as soon as the poll due at the TTL fails, never stale', async () => {
    // A budget that lets polls keep to a 5 s TTL (the default would pace them to 15 s).
    const app = await ready('degraded', {
      CACHE_TTL_SECONDS: '5',
      STALE_IF_ERROR_SECONDS: '0',
      UPSTREAM_MAX_PER_HOUR: '2000',
    })
    const t0 = now
    // The poll due at the TTL is under way: the badge holds, for at most UPSTREAM_TIMEOUT_MS.
    now = t0 + 5_000 + 1
    expect((await app.inject('/badge.json')).json()).toMatchObject({ status: 'degraded', stale: false })
    now = t0 + 5_000 + 5_000
    expect((await app.inject('/badge.json')).json()).toMatchObject({ status: 'degraded', stale: false })
    now = t0 + 5_000 + 200
    upstream.override('/status', { status: 500, body: { success: false, error: 'Database error' } })
    await app.poller.refresh('status')
    expect((await app.inject('/badge.json')).json()).toMatchObject({ status: 'unknown', stale: true })
    expect(svgFacts((await app.inject('/badge.svg')).body).texts).toEqual(['status', 'unknown'])
  })

  it('keep every upstream fault away from the badge', async () => {
    const app = await ready()
    const faults: SimReply[] = [
      { reset: true },
      { status: 500, body: { success: false, error: 'Database error' } },
      { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' },
      { headers: { 'content-type': 'text/html' }, body: '<p>Maintenance</p>' },
      { body: '{"success": tru' },
      { status: 401, body: { success: false, error: 'Invalid API key' } },
      { status: 429, headers: { 'retry-after': '60' } },
    ]
    for (const fault of faults) {
      upstream.enqueue('/status', fault)
      const outcome = await app.poller.refresh('status')
      expect(outcome?.ok).toBe(false)
      const response = await app.inject('/badge.json')
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({ status: 'operational', stale: true })
    }
  })

  it('publish nothing else from the upstream: no counts, names or addresses', async () => {
    const app = await ready('partial_outage')
    for (const url of ['/badge.svg', '/badge.json']) {
      const { body } = await app.inject(url)
      for (const secret of ['10.0.0.', 'Web Server', 'Database', 'https://10', '"total"', '"down"']) {
        expect(body).not.toContain(secret)
      }
    }
  })

  it('cause no upstream call beyond the polls, however many requests come', async () => {
    const app = await ready()
    const before = upstream.calls()
    for (let i = 0; i < 2_500; i++) {
      await app.inject(i % 2 ? '/badge.svg' : '/badge.json')
    }
    expect(upstream.calls()).toBe(before)
  })
})

describe('before the first poll has finished', () => {
  it('waits for it when it is quick', async () => {
    upstream.setScenario('degraded')
    app = (await buildTestApp({ upstream, deps: { clock } })).app
    await app.ready()
    const response = await app.inject('/badge.json')
    expect(response.json()).toMatchObject({ status: 'degraded' })
  })

  it('answers unknown with a short cache life after at most 2 s', async () => {
    // Far slower than the wait: the answer must not arrive during this test.
    upstream.override('/status', { delayMs: 8_000 })
    app = (await buildTestApp({ upstream, env: { UPSTREAM_TIMEOUT_MS: '10000' } })).app
    await app.ready()
    const started = performance.now()
    const response = await app.inject('/badge.svg')
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(1_900)
    expect(waited).toBeLessThan(3_000)
    expect(svgFacts(response.body).texts).toEqual(['status', 'unknown'])
    expect(response.headers['cache-control']).toBe(SHORT_CACHE)
    expect((await app.inject('/badge.json')).json()).toMatchObject({ status: 'unknown', updatedAt: null, stale: false })
  })
})
