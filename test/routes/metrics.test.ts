import { describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { useUpstream } from '../helper.js'

const TOKEN = 'metrics-token-0123456789abcdef'

const t = useUpstream({ PUBLIC_COMPONENTS: '*' })
const { ready } = t

/** The value of one sample of a Prometheus text exposition; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-z_][a-z0-9_]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = (match[2] ?? '').split(',')
    if (wanted.every((label) => have.includes(label))) return Number(match[3])
  }
  return 0
}

async function scrape(app: App, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.inject({ url: '/metrics', headers })
  expect(response.statusCode).toBe(200)
  return response.body
}

describe('GET /metrics', () => {
  it('speaks Prometheus, uncached, with the process metrics', async () => {
    const app = await ready()
    const response = await app.inject('/metrics')
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.body).toContain('process_cpu_user_seconds_total')
    expect(response.body).toContain('nodejs_eventloop_lag_seconds')
  })

  it('tells the event-loop delay since the last scrape, and the connections open and dropped', async () => {
    const app = await ready()
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    await scrape(app)
    // Blocks the event loop for 120 ms: its p99 delay is seen at the next scrape.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const until = performance.now() + 120
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 50))
    const response = await fetch(`http://127.0.0.1:${port}/metrics`)
    const text = await response.text()
    expect(sample(text, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1)
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0.1)
    expect(sample(text, 'badge_proxy_open_connections')).toBeGreaterThanOrEqual(1)
    expect(text).toContain('badge_proxy_connections_dropped_total{reason="send_timeout"} 0')
    expect(text).toContain('badge_proxy_connections_dropped_total{reason="at_capacity"} 0')
  })

  it('sees the counters move', async () => {
    const app = await ready()
    const before = await scrape(app)
    expect(sample(before, 'badge_proxy_upstream_requests_total', { endpoint: '/status', outcome: 'ok' })).toBe(1)
    expect(sample(before, 'badge_proxy_polls_total', { resource: 'monitors', result: 'ok' })).toBe(1)
    expect(sample(before, 'badge_proxy_upstream_request_duration_seconds_count', { endpoint: '/status' })).toBe(1)
    expect(sample(before, 'badge_proxy_snapshot_age_seconds', { resource: 'status' })).toBeGreaterThanOrEqual(0)

    const first = await app.inject('/badge.svg')
    await app.inject({ url: '/badge.svg', headers: { 'if-none-match': String(first.headers.etag) } })
    await app.inject('/badge.svg?style=fancy')
    await app.inject('/nowhere.svg')
    for (let id = 1; id <= 30; id++) await app.inject(`/components/${id}/badge.svg`)
    t.upstream.override('/status', { status: 429, headers: { 'retry-after': '60' } })
    await app.poller.refresh('status')

    const after = await scrape(app)
    const route = (pattern: string, status: string) =>
      sample(after, 'badge_proxy_http_requests_total', { route: pattern, status })
    expect(route('/badge.svg', '200')).toBe(2)
    expect(route('/badge.svg', '304')).toBe(1)
    expect(route('(unmatched)', '200')).toBe(1)
    // One label for thirty ids: the route's pattern, never the URL.
    expect(route('/components/:id/badge.svg', '200')).toBe(30)
    expect(after).not.toMatch(/route="\/components\/\d/)
    expect(sample(after, 'badge_proxy_error_badges_total', { reason: 'invalid style' })).toBe(1)
    expect(sample(after, 'badge_proxy_error_badges_total', { reason: 'not found' })).toBe(26)
    expect(sample(after, 'badge_proxy_upstream_requests_total', { endpoint: '/status', outcome: 'rate_limited' })).toBe(
      1,
    )
    expect(sample(after, 'badge_proxy_polls_total', { resource: 'status', result: 'error' })).toBe(1)
    expect(sample(after, 'badge_proxy_poll_consecutive_failures', { resource: 'status' })).toBe(1)
    expect(sample(after, 'badge_proxy_render_cache_misses_total')).toBeGreaterThan(
      sample(before, 'badge_proxy_render_cache_misses_total'),
    )
    expect(sample(after, 'badge_proxy_render_cache_hits_total')).toBeGreaterThan(
      sample(before, 'badge_proxy_render_cache_hits_total'),
    )
    expect(sample(after, 'badge_proxy_render_cache_bytes')).toBeGreaterThan(0)
  })

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const app = await ready({ METRICS_TOKEN: TOKEN })
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} })
      expect(response.statusCode, authorization).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.json()).toEqual({ error: 'unauthorized' })
    }
    expect(await scrape(app, { authorization: `Bearer ${TOKEN}` })).toContain('badge_proxy_polls_total')
  })

  it('is not served when METRICS_ENABLED=false', async () => {
    const app = await ready({ METRICS_ENABLED: 'false' })
    const response = await app.inject('/metrics')
    expect(response.statusCode).toBe(404)
    expect(response.headers['cache-control']).toBe('no-store')
  })
})
