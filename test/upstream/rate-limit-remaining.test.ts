import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Secret } from '../../src/config/secret.js'
import { statusEnvelope, type Simulator } from '../../src/dev/simulator.js'
import { createUpstreamClient } from '../../src/upstream/client.js'
import { startTestUpstream, TEST_API_KEY } from '../helper.js'

let upstream: Simulator
beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterAll(() => upstream.close())

describe('X-RateLimit-Remaining', () => {
  it('is read from every answer, good or bad, and reported as a count or as absent', async () => {
    const seen: Array<number | undefined> = []
    const client = createUpstreamClient({
      baseUrl: upstream.url,
      apiKey: new Secret(TEST_API_KEY),
      timeoutMs: 2000,
      userAgent: 'status-badge-proxy/test',
      rateLimitRemaining: (remaining, resource) => {
        seen.push(remaining)
        expect(resource).toBe('/status')
      },
    })
    const body = statusEnvelope(upstream.state)
    upstream.enqueue(
      '/status',
      { body, headers: { 'x-ratelimit-remaining': '42' } },
      { status: 429, headers: { 'x-ratelimit-remaining': ' 0 ', 'retry-after': '5' } },
      { body, headers: { 'x-ratelimit-remaining': 'lots' } },
      { body },
    )
    await client.fetchStatus()
    await expect(client.fetchStatus()).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' })
    await client.fetchStatus()
    await client.fetchStatus()
    expect(seen).toEqual([42, 0, undefined, undefined])
  })
})
