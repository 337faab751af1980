import { describe, expect, it } from 'vitest'
import { matchesSchema, HEALTH_BODY, READY_BODY } from '../schema.js'
import { firstPolls, useUpstream } from '../helper.js'

const t = useUpstream()

describe('GET /healthz', () => {
  it('reports the age and outcome of each poll, uncached', async () => {
    const app = await t.ready()
    const response = await app.inject('/healthz')
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    const body = response.json<Record<string, unknown>>()
    expect(matchesSchema(HEALTH_BODY, body)).toBe(true)
    expect(body).toMatchObject({
      status: 'ok',
      polls: {
        status: { ageSeconds: 0, fresh: true, lastPoll: { ok: true }, consecutiveFailures: 0 },
        monitors: { ageSeconds: 0, fresh: true, lastPoll: { ok: true }, consecutiveFailures: 0 },
      },
    })
  })

  it('names a failed poll by code, reason and upstream status', async () => {
    t.upstream.override('/status', {
      status: 503,
      body: '<h1>Service Unavailable</h1>',
      headers: { 'content-type': 'text/html' },
    })
    const app = await t.ready()
    const body = (await app.inject('/healthz')).json<{ polls: Record<string, unknown> }>()
    expect(body.polls.status).toMatchObject({
      updatedAt: null,
      ageSeconds: null,
      fresh: false,
      lastPoll: { ok: false, error: 'UPSTREAM_UNAVAILABLE', reason: 'unavailable', upstreamStatus: 503 },
      consecutiveFailures: 1,
    })
  })
})

describe('GET /readyz', () => {
  it('is 503 until the first poll has finished, then 200', async () => {
    t.upstream.override('/status', { delayMs: 300 })
    const app = await t.build()
    const early = await app.inject('/readyz')
    expect(early.statusCode).toBe(503)
    expect(early.headers['cache-control']).toBe('no-store')
    expect(early.json()).toEqual({ ready: false, reason: 'first poll pending' })
    await firstPolls(app)
    const later = await app.inject('/readyz')
    expect(later.statusCode).toBe(200)
    expect(matchesSchema(READY_BODY, later.json())).toBe(true)
    expect(later.json()).toEqual({ ready: true })
  })

  it('is 503 from the moment shutdown begins', async () => {
    const app = await t.ready()
    app.beginShutdown()
    const response = await app.inject('/readyz')
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ ready: false, reason: 'shutting down' })
  })

  it('is 200 after a failed first poll too', async () => {
    t.upstream.override('/status', { status: 500 })
    const app = await t.ready()
    expect((await app.inject('/readyz')).statusCode).toBe(200)
  })
})

describe('every response', () => {
  it('carries an explicit Cache-Control, errors included', async () => {
    const app = await t.ready()
    const badge = /^public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=1800$/
    const expected = [
      { request: { url: '/badge.svg' }, status: 200, cache: badge },
      { request: { url: '/badge.json' }, status: 200, cache: badge },
      { request: { url: '/badge.svg', method: 'HEAD' as const }, status: 200, cache: badge },
      { request: { url: '/healthz' }, status: 200, cache: /^no-store$/ },
      { request: { url: '/readyz' }, status: 200, cache: /^no-store$/ },
      { request: { url: '/nope' }, status: 404, cache: /^no-store$/ },
      { request: { url: '/badge.svg', method: 'POST' as const }, status: 404, cache: /^no-store$/ },
    ]
    for (const { request, status, cache } of expected) {
      const response = await app.inject(request)
      const name = `${request.method ?? 'GET'} ${request.url}`
      expect(response.statusCode, name).toBe(status)
      expect(response.headers['cache-control'], name).toMatch(cache)
    }
  })
})
