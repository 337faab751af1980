import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { MAX_REFUSALS } from '../../src/webhook/auth.js'
import { buildTestApp, firstPolls, useUpstream } from '../helper.js'
import { HEALTH_BODY, matchesSchema } from '../schema.js'

const TOKEN = 'wh-test-0123456789abcdefghijkl'
const NEXT_TOKEN = 'wh-next-ZYXWVUTSRQPONMLKJIHGFE'
const EVENT = JSON.stringify({ event: 'incident.created', data: { target: 'http://10.0.0.1/internal' } })

const t = useUpstream({ WEBHOOK_TOKEN: TOKEN })

function post(app: App, url: string, options: { headers?: Record<string, string>; payload?: string | Buffer } = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...options.headers },
    payload: options.payload ?? EVENT,
  })
}

/** Lets background refreshes, if any, reach the upstream. */
const moment = () => new Promise((resolve) => setTimeout(resolve, 150))

describe('POST /webhook while WEBHOOK_TOKEN is unset', () => {
  it('is 404, exactly like any unknown path', async () => {
    const app = await t.ready({ WEBHOOK_TOKEN: '' })
    const webhook = await post(app, `/webhook?token=${TOKEN}`)
    const unknown = await post(app, `/nowhere?token=${TOKEN}`)
    expect(webhook.statusCode).toBe(404)
    expect(webhook.body).toBe(unknown.body)
    expect(webhook.headers['content-type']).toBe(unknown.headers['content-type'])
    const health = (await app.inject('/healthz')).json<{ webhook: unknown }>()
    expect(health.webhook).toEqual({ enabled: false, last: null })
  })
})

describe('POST /webhook', () => {
  it.each([
    ['?token=', (url: string) => ({ url: `${url}?token=${TOKEN}`, headers: {} })],
    ['Authorization: Bearer', (url: string) => ({ url, headers: { authorization: `Bearer ${TOKEN}` } })],
    ['X-Webhook-Token', (url: string) => ({ url, headers: { 'x-webhook-token': TOKEN } })],
  ])('accepts the token as %s, answering 202 at once', async (_how, request) => {
    const app = await t.ready()
    const { url, headers } = request('/webhook')
    const response = await post(app, url, { headers })
    expect(response.statusCode).toBe(202)
    expect(response.json()).toEqual({ accepted: true, event: 'incident.created', refresh: ['status'] })
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
  })

  it('is a POST only: other methods get the unknown-path answer', async () => {
    const app = await t.ready()
    const get = await app.inject({ url: `/webhook?token=${TOKEN}` })
    const unknown = await app.inject({ url: '/nowhere' })
    expect(get.statusCode).toBe(404)
    expect(get.body).toBe(unknown.body)
  })

  it('accepts either of two tokens while one is rotated', async () => {
    const app = await t.ready({ WEBHOOK_TOKEN: `${TOKEN},${NEXT_TOKEN}` })
    expect((await post(app, `/webhook?token=${TOKEN}`)).statusCode).toBe(202)
    expect((await post(app, `/webhook?token=${NEXT_TOKEN}`)).statusCode).toBe(202)
  })

  it('answers before the refresh it triggers has finished', async () => {
    const app = await t.ready()
    const before = t.upstream.calls('/status')
    t.upstream.override('/status', { delayMs: 1_000, status: 503 })
    const started = Date.now()
    expect((await post(app, `/webhook?token=${TOKEN}`)).statusCode).toBe(202)
    expect(Date.now() - started).toBeLessThan(900)
    await moment()
    expect(t.upstream.calls('/status')).toBe(before + 1)
  })

  it('refreshes what the event names: the status for incidents, both for anything else', async () => {
    const calls = () => [t.upstream.calls('/status'), t.upstream.calls('/monitors')]
    const cases = [
      { payload: EVENT, refresh: ['status'] },
      { payload: '{"event":"maintenance.scheduled"}', refresh: ['status'] },
      { payload: '{"event":"component.status_changed","data":{"monitor_id":1}}', refresh: ['status', 'monitors'] },
      { payload: '{"event":"monitor.flapping"}', refresh: ['status', 'monitors'] },
      { payload: 'not json at all', refresh: ['status', 'monitors'], type: 'text/plain' },
      { payload: '{"event": ', refresh: ['status', 'monitors'] },
      { payload: 'event=incident.resolved', refresh: ['status'], type: 'application/x-www-form-urlencoded' },
      { payload: Buffer.from([0x1f, 0x8b, 0x08, 0x00]), refresh: ['status', 'monitors'], type: 'application/gzip' },
    ]
    for (const { payload, refresh, type } of cases) {
      // A fresh app, so a fresh window, for each case.
      const fresh = await t.ready()
      const before = calls()
      const response = await post(fresh, `/webhook?token=${TOKEN}`, {
        payload,
        ...(type && { headers: { 'content-type': type } }),
      })
      expect(response.statusCode, String(payload)).toBe(202)
      expect(response.json<{ refresh: string[] }>().refresh, String(payload)).toEqual(refresh)
      await moment()
      const [status = 0, monitors = 0] = before
      expect(calls(), String(payload)).toEqual([status + 1, monitors + (refresh.includes('monitors') ? 1 : 0)])
      await fresh.close()
    }
  })

  it('takes an empty body, or one without a content type', async () => {
    const app = await t.ready()
    const empty = await app.inject({ method: 'POST', url: `/webhook?token=${TOKEN}` })
    expect(empty.statusCode).toBe(202)
    expect(empty.json()).toEqual({ accepted: true, event: null, refresh: ['status', 'monitors'] })
    const untyped = await app.inject({
      method: 'POST',
      url: `/webhook?token=${TOKEN}`,
      headers: { 'content-length': String(Buffer.byteLength(EVENT)) },
      payload: EVENT,
    })
    expect(untyped.statusCode).toBe(202)
  })

  it('reads at most 64 KiB: 413 past it, whatever the type', async () => {
    const app = await t.ready()
    const fits = `{"event":"incident.created","pad":"${'x'.repeat(64 * 1024 - 40)}"}`
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(64 * 1024)
    expect((await post(app, `/webhook?token=${TOKEN}`, { payload: fits })).statusCode).toBe(202)
    for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
      const response = await post(app, `/webhook?token=${TOKEN}`, {
        payload: 'x'.repeat(64 * 1024 + 1),
        headers: { 'content-type': type },
      })
      expect(response.statusCode, type).toBe(413)
      expect(response.json()).toEqual({ error: 'payload too large' })
      expect(response.headers['cache-control']).toBe('no-store')
    }
  })

  it('refuses a chunked body past 64 KiB that declared no length', async () => {
    const app = await t.ready()
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/webhook?token=${TOKEN}`,
          headers: { 'content-type': 'text/plain' },
        },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        },
      )
      request.on('error', reject)
      for (let i = 0; i < 20; i++) request.write('y'.repeat(8 * 1024))
      request.end()
    })
    expect(status).toBe(413)
  })

  it('records the last webhook in /healthz: when, which event, what it did', async () => {
    const app = await t.ready()
    await post(app, `/webhook?token=${TOKEN}`, { payload: '{"event":"component.status_changed"}' })
    await post(app, `/webhook?token=${TOKEN}`, { payload: '{"event":"incident.updated"}' })
    const health = (await app.inject('/healthz')).json<Record<string, unknown>>()
    expect(matchesSchema(HEALTH_BODY, health)).toBe(true)
    expect(health.webhook).toEqual({
      enabled: true,
      last: { receivedAt: expect.any(String) as string, event: 'incident.updated', refresh: { status: 'scheduled' } },
    })
    expect(JSON.stringify(health)).not.toContain(TOKEN)
  })
})

describe('a wrong or missing token', () => {
  it.each([
    ['no token', '/webhook', {}],
    ['a wrong ?token=', '/webhook?token=wh-test-0123456789abcdefghijkL', {}],
    ['a token that is a prefix of the right one', `/webhook?token=${TOKEN.slice(0, -1)}`, {}],
    ['a wrong bearer', '/webhook', { authorization: 'Bearer nope-nope-nope-nope-nope-nope' }],
    ['the right token in the wrong scheme', '/webhook', { authorization: `Basic ${TOKEN}` }],
    ['the right token under another parameter', `/webhook?access_token=${TOKEN}`, {}],
  ])('gets 401 and triggers nothing: %s', async (_what, url, headers: Record<string, string>) => {
    const app = await t.ready()
    const before = t.upstream.calls()
    const response = await post(app, url, { headers })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ error: 'unauthorized' })
    expect(response.headers['www-authenticate']).toBe('Bearer realm="webhook"')
    expect(response.headers['cache-control']).toBe('no-store')
    await moment()
    expect(t.upstream.calls()).toBe(before)
    const health = (await app.inject('/healthz')).json<{ webhook: unknown }>()
    expect(health.webhook).toEqual({ enabled: true, last: null })
  })

  it('is refused before its body is read: 401, not 413, for a huge body', async () => {
    const app = await t.ready()
    const response = await post(app, '/webhook?token=wrong', { payload: 'x'.repeat(1024 * 1024) })
    expect(response.statusCode).toBe(401)
  })

  it(`from one client, more than ${MAX_REFUSALS} times a minute, gets 429 without a comparison`, async () => {
    const app = await t.ready()
    const from = (remoteAddress: string, url: string) =>
      app.inject({
        method: 'POST',
        url,
        remoteAddress,
        payload: EVENT,
        headers: { 'content-type': 'application/json' },
      })
    for (let i = 0; i < MAX_REFUSALS; i++)
      expect((await from('198.51.100.7', '/webhook?token=guess')).statusCode).toBe(401)
    const limited = await from('198.51.100.7', '/webhook?token=guess')
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50)
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(limited.json()).toEqual({ error: 'too many requests' })
    // Even the right token, from that client, until its minute is over.
    expect((await from('198.51.100.7', `/webhook?token=${TOKEN}`)).statusCode).toBe(429)
    // Others are not held back.
    expect((await from('198.51.100.8', '/webhook?token=guess')).statusCode).toBe(401)
    expect((await from('198.51.100.9', `/webhook?token=${TOKEN}`)).statusCode).toBe(202)
  })
})

describe('the token stays out of the logs', () => {
  it('is masked in every logged URL, and never logged otherwise', async () => {
    const { app, logs } = await buildTestApp({ upstream: t.upstream, env: { WEBHOOK_TOKEN: TOKEN } })
    try {
      await app.ready()
      await firstPolls(app)
      await post(app, `/webhook?token=${TOKEN}`)
      await post(app, `/webhook?%74oken=${TOKEN}&x=1`)
      await post(app, '/webhook', { headers: { 'x-webhook-token': TOKEN } })
      await post(app, '/webhook', { headers: { authorization: `Bearer ${TOKEN}` } })
      await post(app, `/webhook?token=${TOKEN}`, { payload: 'x'.repeat(70_000) })
      await post(app, `/nowhere?token=${TOKEN}`)
      await moment()
      const lines = logs.join('')
      expect(lines).toContain('"url":"/webhook?token=[redacted]"')
      expect(lines).toContain('"url":"/webhook?%74oken=[redacted]&x=1"')
      expect(lines).toContain('"url":"/nowhere?token=[redacted]"')
      expect(lines).toContain('"msg":"webhook received"')
      expect(lines).not.toContain(TOKEN)
    } finally {
      await app.close()
    }
  })
})

describe('webhook metrics', () => {
  it('count webhooks by result, and refreshes triggered and coalesced', async () => {
    const app = await t.ready()
    for (let i = 0; i < 5; i++) await post(app, `/webhook?token=${TOKEN}`)
    await post(app, '/webhook?token=wrong')
    await post(app, `/webhook?token=${TOKEN}`, { payload: 'x'.repeat(70_000) })
    await moment()
    const text = (await app.inject('/metrics')).body
    expect(text).toContain('badge_proxy_webhooks_received_total{result="accepted"} 5')
    expect(text).toContain('badge_proxy_webhooks_received_total{result="unauthorized"} 1')
    expect(text).toContain('badge_proxy_webhooks_received_total{result="too_large"} 1')
    // One refresh now; one scheduled for the window's end; three folded into it.
    expect(text).toContain('badge_proxy_webhook_refreshes_total{resource="status"} 1')
    expect(text).toContain('badge_proxy_webhook_refreshes_coalesced_total{resource="status"} 3')
    // Incidents refresh the status only.
    expect(text).not.toMatch(/badge_proxy_webhook_refreshes(_coalesced)?_total\{resource="monitors"\}/)
  })
})
