import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SimReply, Simulator } from '../src/dev/simulator.js'
import { buildTestApp, captured, firstPolls, startTestUpstream, TEST_API_KEY } from './helper.js'

let upstream: Simulator

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())

const FAULTS: SimReply[] = [
  { status: 401, body: { success: false, error: `Invalid API key ${TEST_API_KEY}` } },
  { status: 403, headers: { 'content-type': 'text/html' }, body: `<p>denied for ${TEST_API_KEY}</p>` },
  { status: 429, headers: { 'retry-after': '1' }, body: { success: false, error: 'Rate limit exceeded' } },
  { status: 500, body: { success: false, error: `SQL error near '${TEST_API_KEY}'` } },
  { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' },
  { body: { success: false, error: `key ${TEST_API_KEY} suspended` } },
  { body: '{not json' },
  { status: 302, headers: { location: `https://evil.example/?key=${TEST_API_KEY}` } },
  { status: 301, headers: { location: `https://sso.example/login/${TEST_API_KEY}/next` } },
  { status: 307, headers: { location: `/login/${encodeURIComponent(TEST_API_KEY)}` } },
  { reset: true },
]

describe('the API key', () => {
  it('appears in no response and no log line, whatever the upstream does', async () => {
    const { app, logs } = await buildTestApp({ upstream })
    await app.ready()
    await firstPolls(app)
    const routes = ['/badge.svg', '/badge.json', '/healthz', '/readyz', '/nope']
    const bodies: string[] = []
    for (const fault of FAULTS) {
      upstream.enqueue('/status', fault)
      upstream.enqueue('/monitors', fault)
      await Promise.all([app.poller.refresh('status'), app.poller.refresh('monitors')])
      for (const url of routes) {
        const response = await app.inject(url)
        bodies.push(JSON.stringify(response.headers), response.body)
      }
    }
    // A header that carries it, logged by mistake, is censored.
    app.logger.warn(
      { req: { headers: { 'x-api-key': TEST_API_KEY, authorization: `Bearer ${TEST_API_KEY}` } } },
      'debug line',
    )
    await app.close()

    expect(logs.filter((line) => line.includes('"level":40')).length).toBeGreaterThanOrEqual(FAULTS.length * 2)
    expect(logs.join('\n')).toContain('[redacted]')
    for (const text of [...bodies, ...logs]) expect(text).not.toContain(TEST_API_KEY)
    // The suite-wide check (test/setup.ts) sees the responses too, through the helper's hook: those
    // sent through Fastify's reply (the JSON error of /nope) and those written to node:http directly
    // (the badges: their headers and their SVG).
    expect(captured.responses.some((text) => text.includes('"x-badge-error"'))).toBe(true)
    expect(captured.responses.some((text) => text.includes('image/svg+xml') && text.includes('"etag"'))).toBe(true)
    expect(captured.responses.some((text) => text.startsWith('<svg'))).toBe(true)
  })
})
