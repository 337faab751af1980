import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type SimReply, type Simulator } from '../../src/dev/simulator.js'
import {
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../src/upstream/errors.js'
import { Secret } from '../../src/config/secret.js'
import { createUpstreamClient, MAX_BODY_BYTES, type UpstreamClient } from '../../src/upstream/client.js'
import { refusedUrl, startTestUpstream, TEST_API_KEY } from '../helper.js'

const NOW = Date.parse('2026-11-26T12:00:00Z')

let upstream: Simulator
let client: UpstreamClient

function clientFor(url: string, key = TEST_API_KEY, timeoutMs = 2000): UpstreamClient {
  return createUpstreamClient({
    baseUrl: url,
    apiKey: new Secret(key),
    timeoutMs,
    userAgent: 'status-badge-proxy/test',
    now: () => NOW,
  })
}

beforeAll(async () => {
  upstream = await startTestUpstream()
  client = clientFor(upstream.url)
})
afterAll(() => upstream.close())
beforeEach(() => {
  upstream.setScenario('operational')
  upstream.override('/status', undefined)
  upstream.override('/monitors', undefined)
})

/** The error a call fails with; the test fails if it succeeds. */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the call to fail')
}

async function statusError(reply: Parameters<Simulator['enqueue']>[1], c = client): Promise<Error> {
  upstream.enqueue('/status', reply)
  return failure(c.fetchStatus())
}

describe('a good answer', () => {
  it('reads GET /status after the base URL, sending the key and a User-Agent', async () => {
    const before = upstream.calls('/status')
    const data = await client.fetchStatus()
    expect(data.overall).toBe('operational')
    expect(data.counts).toEqual({ total: 5, up: 5, down: 0, pending: 0, paused: 0 })
    expect(upstream.calls('/status')).toBe(before + 1)
    const sent = upstream.requests.at(-1)
    expect(sent?.headers['x-api-key']).toBe(TEST_API_KEY)
    expect(sent?.headers['user-agent']).toBe('status-badge-proxy/test')
    expect(sent?.headers.accept).toBe('application/json')
  })

  it('reads GET /monitors, leaving out targets and unreadable items', async () => {
    upstream.enqueue('/monitors', {
      body: {
        success: '1',
        data: {
          monitors: [
            { id: '1', name: 'Web', type: 'https', target: 'https://10.1.1.1/', status: 'up', is_active: '1' },
            { id: 2, name: 'DB', target: '10.1.1.2:5432', status: 'DOWN', is_active: true },
            { name: 'no id at all', status: 'up' },
            'not an object',
          ],
          count: '4',
        },
      },
    })
    const data = await client.fetchMonitors()
    expect(data.monitors).toEqual([
      { id: '1', name: 'Web', status: 'up', active: true },
      { id: '2', name: 'DB', status: 'DOWN', active: true },
    ])
    expect(data.skipped).toBe(2)
    expect(JSON.stringify(data)).not.toContain('10.1.1')
  })

  it('tolerates PHP habits: numeric strings, zone-less time, missing and extra fields', async () => {
    upstream.enqueue('/status', {
      body: {
        success: 1,
        data: {
          status: { total: '5', down: '2', overall_status: 'Partial Outage', uptime_percentage: '60.00', shard: 3 },
          timestamp: '2026-02-07 12:00:00',
          server: { php: '8.3' },
        },
        debug: null,
      },
    })
    const data = await client.fetchStatus()
    expect(data).toMatchObject({
      overall: 'Partial Outage',
      counts: { total: 5, down: 2, up: undefined },
      uptimePercentage: 60,
      upstreamTime: '2026-02-07T12:00:00.000Z',
    })
  })

  it('accepts JSON mislabelled as text/html, as PHP sends by default', async () => {
    upstream.enqueue('/status', {
      headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: JSON.stringify({ success: true, data: { status: { total: 1, down: 0 } } }),
    })
    expect((await client.fetchStatus()).counts.total).toBe(1)
  })
})

describe('failures map to named errors', () => {
  it('401: unauthorized, without the key in the message', async () => {
    const err = await failure(clientFor(upstream.url, 'wrong-key').fetchStatus())
    expect(err).toBeInstanceOf(UpstreamUnauthorizedError)
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401 })
    expect(err.message).toContain('Invalid or missing API key')
  })

  it('403: unauthorized too', async () => {
    expect(await statusError({ status: 403, body: { success: false, error: 'Forbidden' } })).toBeInstanceOf(
      UpstreamUnauthorizedError,
    )
  })

  it('scrubs the key from whatever the upstream says back', async () => {
    const err = await statusError({ status: 401, body: { success: false, error: `key ${TEST_API_KEY} revoked` } })
    expect(err.message).toContain('key [redacted] revoked')
    expect(err.message).not.toContain(TEST_API_KEY)
  })

  it('429 with Retry-After in seconds', async () => {
    const err = await statusError({
      status: 429,
      headers: { 'retry-after': '120' },
      body: { success: false, error: 'Rate limit exceeded' },
    })
    expect(err).toBeInstanceOf(UpstreamRateLimitedError)
    expect(err).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfterMs: 120_000 })
  })

  it('429 with Retry-After as an HTTP date', async () => {
    const err = await statusError({ status: 429, headers: { 'retry-after': 'Thu, 26 Nov 2026 12:01:30 GMT' } })
    expect(err).toMatchObject({ retryAfterMs: 90_000 })
  })

  it('429 without Retry-After', async () => {
    const err = await statusError({ status: 429, headers: { 'x-ratelimit-remaining': '0' } })
    expect(err).toBeInstanceOf(UpstreamRateLimitedError)
    expect(err).toHaveProperty('retryAfterMs', undefined)
  })

  it('500 with a JSON error: unavailable', async () => {
    const err = await statusError({ status: 500, body: { success: false, error: 'Database error' } })
    expect(err).toBeInstanceOf(UpstreamUnavailableError)
    expect(err).toMatchObject({ upstreamStatus: 500, message: 'answered 500: Database error' })
  })

  it('502 with an HTML page: unavailable, the page unread', async () => {
    const err = await statusError({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    })
    expect(err).toBeInstanceOf(UpstreamUnavailableError)
    expect(err).toMatchObject({ upstreamStatus: 502, message: 'answered 502' })
  })

  it('404 (a wrong MONITOR_API_URL): unavailable', async () => {
    const err = await failure(clientFor(upstream.url.replace('api.php', 'apii.php')).fetchStatus())
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 404 })
  })

  it('200 with an HTML page: invalid response', async () => {
    const err = await statusError({
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><p>Maintenance</p>',
    })
    expect(err).toBeInstanceOf(UpstreamInvalidResponseError)
    expect(err.message).toBe('expected JSON, got text/html')
  })

  it('malformed JSON: invalid response', async () => {
    const err = await statusError({ body: '{"success": true, "data": {' })
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: 'malformed JSON' })
  })

  it('success false on a 200: invalid response with the upstream message', async () => {
    const err = await statusError({ body: { success: false, error: 'Account suspended' } })
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: 'reported an error: Account suspended' })
  })

  it('a wrong shape: invalid response naming where', async () => {
    const err = await statusError({ body: { success: true, data: { status: 'fine' } } })
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: 'unexpected shape at data.status' })
  })

  it('an oversize body with a Content-Length: refused unread', async () => {
    const err = await statusError({ body: `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}` })
    expect(err).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      message: `body larger than ${MAX_BODY_BYTES} bytes`,
    })
  })

  it('an oversize chunked body: cut off at the limit', async () => {
    const err = await statusError({
      headers: { 'transfer-encoding': 'chunked' },
      body: `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    })
    expect(err).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      message: `body larger than ${MAX_BODY_BYTES} bytes`,
    })
  })

  it('a gzip or brotli body is read like any other', async () => {
    const { gzipSync, brotliCompressSync } = await import('node:zlib')
    const json = Buffer.from(JSON.stringify({ success: true, data: { status: { total: 2, up: 2, down: 0 } } }))
    for (const [coding, body] of [
      ['gzip', gzipSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      upstream.enqueue('/status', { headers: { 'content-encoding': coding }, body })
      expect((await client.fetchStatus()).counts.total, coding).toBe(2)
    }
  })

  it('a small body that inflates past the limit: invalid response, never held whole', async () => {
    const { gzipSync } = await import('node:zlib')
    const bomb = gzipSync(Buffer.alloc(64 * MAX_BODY_BYTES, 0x20))
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES)
    const err = await statusError({ headers: { 'content-encoding': 'gzip' }, body: bomb })
    expect(err).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      message: `body larger than ${MAX_BODY_BYTES} bytes`,
    })
  })

  it('a coding it did not ask for, or one that does not decode: invalid response', async () => {
    expect(await statusError({ headers: { 'content-encoding': 'zstd' }, body: '{}' })).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
    })
    expect(await statusError({ headers: { 'content-encoding': 'gzip' }, body: 'not gzip' })).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      message: 'a gzip body that does not decode',
    })
  })

  it('no answer in time: unavailable', async () => {
    const err = await statusError({ delayMs: 1000 }, clientFor(upstream.url, TEST_API_KEY, 150))
    expect(err).toBeInstanceOf(UpstreamUnavailableError)
    expect(err.message).toBe('no answer within 150 ms')
  })

  it('a reset connection: unavailable', async () => {
    const err = await statusError({ reset: true })
    expect(err).toBeInstanceOf(UpstreamUnavailableError)
    expect(err.message).toMatch(/^request failed: /)
  })

  it('a refused connection: unavailable', async () => {
    const err = await failure(clientFor(await refusedUrl()).fetchStatus())
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'request failed: ECONNREFUSED' })
  })

  it('a UTF-8 byte order mark before the JSON is tolerated', async () => {
    const json = JSON.stringify({ success: true, data: { status: { total: 3, up: 3, down: 0 } } })
    for (const contentType of ['application/json', 'text/html; charset=UTF-8']) {
      upstream.enqueue('/status', { headers: { 'content-type': contentType }, body: `\ufeff${json}` })
      expect((await client.fetchStatus()).counts.total, contentType).toBe(3)
    }
  })

  it('JSON nested past 64 levels: invalid response, never parsed, never an internal error', async () => {
    const deep = `{"success":false,"error":${'['.repeat(500_000)}${']'.repeat(500_000)}}`
    for (const reply of [{ body: deep }, { status: 500, body: deep }]) {
      const err = await statusError(reply)
      expect(err).toBeInstanceOf(reply.status ? UpstreamUnavailableError : UpstreamInvalidResponseError)
      if (!reply.status) expect(err.message).toBe('JSON nested deeper than 64 levels')
    }
    const ok = `{"success":true,"data":{"status":{"total":1},"extra":${'['.repeat(60)}${']'.repeat(60)}}}`
    upstream.enqueue('/status', { body: ok })
    expect((await client.fetchStatus()).counts.total).toBe(1)
  })

  it('an error that is not a string (nested, huge) is described briefly, never thrown on', async () => {
    let nested: unknown = TEST_API_KEY
    for (let i = 0; i < 20; i++) nested = { detail: [nested] }
    const err = await statusError({ body: { success: false, error: nested } })
    expect(err).toBeInstanceOf(UpstreamInvalidResponseError)
    expect(err.message).toBe('reported an error: {"detail":[{"detail":[{...}]}]}')
  })

  it('scrubs the key in the forms the review found: a lowercased host, an encoded path, a JSON-escaped body', async () => {
    const key = 'Key{^}AB"\\x'
    const hostKey = 'KeyAB-9'
    const replies: SimReply[] = [
      { status: 302, headers: { location: `https://${hostKey}.example/` } },
      { status: 302, headers: { location: `https://evil.example/login/${key}/next` } },
      { status: 307, headers: { location: `/login/${encodeURIComponent(key)}` } },
      { status: 500, body: { success: false, error: { detail: `bad ${key}` } } },
      { body: { success: false, error: [`bad ${key}`] } },
      { status: 200, headers: { 'content-type': `text/${key}` }, body: '<p>' },
    ]
    for (const [i, reply] of replies.entries()) {
      const secret = i === 0 ? hostKey : key
      const own = await startSimulator({ apiKey: secret })
      try {
        own.enqueue('/status', reply)
        const err = await failure(clientFor(own.url, secret).fetchStatus())
        const spellings = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]
        for (const spelling of spellings) expect(err.message.toLowerCase()).not.toContain(spelling.toLowerCase())
        expect(err.message).toMatch(/\[redacted\]|\(unreadable location\)/)
      } finally {
        await own.close()
      }
    }
  })

  it('a redirect is not followed, so the key goes nowhere else', async () => {
    const before = upstream.calls('/elsewhere')
    const err = await statusError({ status: 302, headers: { location: `${upstream.url}/elsewhere?x=1` } })
    expect(err).toBeInstanceOf(UpstreamUnavailableError)
    expect(err.message).toMatch(
      /^answered 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/.*\/elsewhere: set MONITOR_API_URL/,
    )
    expect(upstream.calls('/elsewhere')).toBe(before)
  })
})
