import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { buildTestApp, capturedTexts, startTestUpstream, TEST_API_KEY } from '../helper.js'
import { startRedis, type TestRedis } from '../redis.js'

const PASSWORD = 'redis-pw_CANARY-7f3a9c'
const WRONG = 'wrong-pw_CANARY-2b8e1d'

let upstream: Simulator
let redis: TestRedis

beforeAll(async () => {
  upstream = await startTestUpstream()
  redis = await startRedis({ password: PASSWORD })
})
afterAll(async () => {
  await redis.dispose()
  await upstream.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Every log line and response of this file so far: neither password may be in any. */
function expectNoPassword() {
  const all = capturedTexts().join('\n')
  expect(all).not.toContain(PASSWORD)
  expect(all).not.toContain(WRONG)
  expect(all).not.toContain(encodeURIComponent(PASSWORD))
}

describe("REDIS_URL's password", () => {
  it('is never in a configuration error, nor in the configuration as printed', () => {
    const env = { MONITOR_API_KEY: TEST_API_KEY }
    for (const bad of [
      `redis://:${PASSWORD}@redis:6379/0?tls=1`,
      `http://:${PASSWORD}@redis:6379/0`,
      `redis://:${PASSWORD}@/0`,
      `redis://:${PASSWORD}@redis:6379/zero`,
    ]) {
      let error: unknown
      try {
        loadConfig({ ...env, REDIS_URL: bad })
      } catch (err) {
        error = err
      }
      expect(error).toBeInstanceOf(ConfigError)
      expect(String(error)).toContain('REDIS_URL must be')
      expect(`${JSON.stringify(error)} ${String(error)} ${(error as Error).stack ?? ''}`).not.toContain(PASSWORD)
    }
    const config = loadConfig({ ...env, REDIS_URL: `redis://user:${PASSWORD}@redis:6379/2` })
    expect(config.redis?.where).toBe('redis://redis:6379/2')
    expect(JSON.stringify(config)).not.toContain(PASSWORD)
    expect(String(config.redis?.url)).toBe('[redacted]')
  })

  it('is never logged nor answered when Redis refuses it, and the replica polls alone meanwhile', async () => {
    const url = redis.url.replace(encodeURIComponent(PASSWORD), encodeURIComponent(WRONG))
    const { app, logs } = await buildTestApp({
      upstream,
      env: { REDIS_URL: url, FLEET_LEASE_SECONDS: '3', LOG_LEVEL: 'debug' },
    })
    try {
      await app.ready()
      for (let i = 0; i < 50 && !logs.some((line) => line.includes('Redis unreachable')); i++) await sleep(100)
      // Redis said why (WRONGPASS), and the log says so, without either password.
      expect(logs.join('\n')).toMatch(/WRONGPASS|NOAUTH|AUTH/)
      const health = (await app.inject('/healthz')).json<{ fleet: { role: string } }>()
      expect(health.fleet.role).toBe('solo')
      expect((await app.inject('/badge.svg')).statusCode).toBe(200)
      await app.inject('/metrics')
    } finally {
      await app.close()
    }
    expectNoPassword()
  })

  it('is never logged when it is right, and the replica leads', async () => {
    const { app } = await buildTestApp({ upstream, env: { REDIS_URL: redis.url, FLEET_LEASE_SECONDS: '3' } })
    try {
      await app.ready()
      let role = ''
      for (let i = 0; i < 50 && role !== 'leader'; i++) {
        role = (await app.inject('/healthz')).json<{ fleet: { role: string } }>().fleet.role
        await sleep(100)
      }
      expect(role).toBe('leader')
    } finally {
      await app.close()
    }
    expectNoPassword()
  })
})
