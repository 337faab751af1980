import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FleetBackend, Notice } from '../../src/fleet/backend.js'
import { fleetKeys } from '../../src/fleet/keys.js'
import { createMemoryFleet } from '../../src/fleet/memory.js'
import { MAX_RECORD_BYTES } from '../../src/fleet/record.js'
import { createRedisBackend } from '../../src/fleet/redis/backend.js'
import { connectRedis } from '../../src/fleet/redis/connection.js'
import { Secret } from '../../src/config/secret.js'
import { accountFingerprint } from '../../src/upstream/client.js'
import { captureLogs, TEST_API_KEY } from '../helper.js'
import { startRedis, type TestRedis } from '../redis.js'

const clock = { now: () => Date.now() }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let redis: TestRedis
let fingerprint = 0
const opened: FleetBackend[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()))
  await redis.dispose()
})

/** Two replicas' backends over one fleet: two Redis connections each, or one memory fleet. */
async function redisPair(): Promise<[FleetBackend, FleetBackend, string]> {
  const keys = fleetKeys(`test${++fingerprint}`)
  const { logger } = captureLogs()
  const make = async () => {
    const connection = await connectRedis({ url: new Secret(redis.url), commandTimeoutMs: 2_000, log: logger })
    const backend = createRedisBackend(connection, keys, clock)
    opened.push(backend)
    expect(await backend.ready(5_000)).toBe(true)
    return backend
  }
  return [await make(), await make(), keys.prefix]
}

async function memoryPair(): Promise<[FleetBackend, FleetBackend, string]> {
  const fleet = createMemoryFleet(clock)
  return [fleet.replica(), fleet.replica(), '']
}

describe.each([
  ['Redis', redisPair],
  ['memory', memoryPair],
])('the fleet backend over %s', (_name, pair) => {
  it('leases to one holder at a time, with a fencing number that grows at each new holder', async () => {
    const [a, b] = await pair()
    const first = await a.lease.acquire('token-a', 400)
    expect(first).toBeGreaterThan(0)
    expect(await b.lease.acquire('token-b', 400)).toBeUndefined()
    // The holder extends it and keeps its number.
    expect(await a.lease.acquire('token-a', 400)).toBe(first)
    expect(await a.lease.renew('token-a', 400)).toBe(true)
    expect(await b.lease.renew('token-b', 400)).toBe(false)
    await sleep(700)
    // Unrenewed, it expires: another takes it, with a higher number, and the old holder cannot renew.
    const second = await b.lease.acquire('token-b', 5_000)
    expect(second).toBeGreaterThan(first ?? Infinity)
    expect(await a.lease.renew('token-a', 400)).toBe(false)
  })

  it('refuses the writes of a deposed leader and of an older fence: a newer snapshot is never overwritten', async () => {
    const [a, b] = await pair()
    const fenceA = (await a.lease.acquire('token-a', 300)) ?? 0
    expect(await a.snapshots.write('status', '{"by":"a"}', { fence: fenceA, seq: 1 }, 'token-a')).toBe('written')
    await sleep(600)
    const fenceB = (await b.lease.acquire('token-b', 5_000)) ?? 0
    expect(fenceB).toBeGreaterThan(fenceA)
    expect(await b.snapshots.write('status', '{"by":"b"}', { fence: fenceB, seq: 1 }, 'token-b')).toBe('written')
    // A, paused past its lease (a long GC, say), wakes up and writes: refused.
    expect(await a.snapshots.write('status', '{"by":"a-late"}', { fence: fenceA, seq: 2 }, 'token-a')).toBe(
      'not-holder',
    )
    // Even the holder cannot write a version below the stored one.
    expect(await b.snapshots.write('status', '{"by":"old"}', { fence: fenceA, seq: 99 }, 'token-b')).toBe('outdated')
    expect(await b.snapshots.write('status', '{"by":"same"}', { fence: fenceB, seq: 1 }, 'token-b')).toBe('outdated')
    const stored = await a.snapshots.read('status', MAX_RECORD_BYTES)
    expect(stored).toEqual({ version: { fence: fenceB, seq: 1 }, body: '{"by":"b"}' })
    expect(await a.snapshots.versions()).toEqual({ status: { fence: fenceB, seq: 1 } })
  })

  it('announces writes, refresh requests and a released lease to every replica', async () => {
    const [a, b] = await pair()
    const heard: Notice[] = []
    await b.listen((notice) => heard.push(notice))
    await a.listen(() => undefined)
    const fence = (await a.lease.acquire('token-a', 5_000)) ?? 0
    await a.snapshots.write('monitors', '{}', { fence, seq: 1 }, 'token-a')
    await b.refreshes.request(['status'])
    await a.lease.release('token-a')
    for (let i = 0; i < 50 && heard.length < 3; i++) await sleep(50)
    expect(heard).toEqual(['snapshot:monitors', 'refresh', 'released'])
    // Released: the next replica need not wait for it to expire.
    expect(await b.lease.acquire('token-b', 5_000)).toBeGreaterThan(fence)
  })

  it('hands the refreshes asked for to the lease holder alone, once', async () => {
    const [a, b] = await pair()
    await a.lease.acquire('token-a', 5_000)
    await b.refreshes.request(['status'])
    await b.refreshes.request(['status', 'monitors'])
    expect(await b.refreshes.claim('token-b')).toEqual([])
    expect(await a.refreshes.claim('token-a')).toEqual(['status', 'monitors'])
    expect(await a.refreshes.claim('token-a')).toEqual([])
  })

  it('counts one budget for the fleet, and shares a hold', async () => {
    const [a, b] = await pair()
    const limits = { perMinute: 3, perHour: 100 }
    const budgetA = a.budget(limits)
    const budgetB = b.budget(limits)
    expect(await budgetA.take()).toEqual({ granted: true })
    expect(await budgetB.take()).toEqual({ granted: true })
    expect(await budgetA.take()).toEqual({ granted: true })
    const refused = await budgetB.take()
    expect(refused.granted).toBe(false)
    expect(refused.granted ? 0 : refused.waitMs).toBeGreaterThan(55_000)
    const state = await budgetB.state()
    expect(state.minute).toEqual({ limit: 3, left: 0 })
    expect(state.hour).toEqual({ limit: 100, left: 97 })
  })
})

describe('the Redis backend', () => {
  it('holds a 429 for every replica', async () => {
    const [a, b] = await redisPair()
    const limits = { perMinute: 30, perHour: 100 }
    await a.budget(limits).hold(Date.now() + 30_000)
    const grant = await b.budget(limits).take()
    expect(grant.granted).toBe(false)
    expect(grant.granted ? 0 : grant.waitMs).toBeGreaterThan(25_000)
  })

  it('keeps two handover leaders within one budget: concurrent takes never exceed it', async () => {
    const [a, b] = await redisPair()
    const limits = { perMinute: 10, perHour: 100 }
    const grants = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).budget(limits).take()))
    expect(grants.filter((grant) => grant.granted)).toHaveLength(10)
  })

  it('treats hostile content under its keys as absent, never as an outage, and overwrites it', async () => {
    const [a, , prefix] = await redisPair()
    const raw = new Redis(redis.url)
    try {
      // Wrong types everywhere, and numbers that are not numbers.
      await raw.hset(`${prefix}lease`, 'x', 'y')
      await raw.set(`${prefix}fence`, 'not a number')
      await raw.set(`${prefix}snapshot:status`, 'a string, not a hash')
      await raw.hset(`${prefix}snapshot:monitors`, { fence: 'NaN', seq: '-3', body: '{"v":1}' })
      await raw.set(`${prefix}refresh`, 'nope')
      await raw.hset(`${prefix}budget:calls`, 'x', 'y')
      await raw.hset(`${prefix}budget:hold`, 'x', 'y')

      expect(await a.snapshots.versions()).toEqual({ monitors: { fence: 0, seq: 0 } })
      expect(await a.snapshots.read('status', MAX_RECORD_BYTES)).toBeUndefined()
      const fence = await a.lease.acquire('token-a', 5_000)
      expect(fence).toBe(1)
      expect(await a.snapshots.write('status', '{}', { fence: fence ?? 0, seq: 1 }, 'token-a')).toBe('written')
      expect(await a.snapshots.write('monitors', '{}', { fence: fence ?? 0, seq: 1 }, 'token-a')).toBe('written')
      expect(await a.refreshes.claim('token-a')).toEqual([])
      const budget = a.budget({ perMinute: 5, perHour: 50 })
      expect(await budget.take()).toEqual({ granted: true })
      await budget.hold(Date.now() + 1_000)
      expect((await budget.state()).minute.left).toBe(4)

      // A body over the record bound is left unread.
      await raw.hset(`${prefix}snapshot:status`, { fence: '9', seq: '1', body: 'x'.repeat(MAX_RECORD_BYTES + 1) })
      expect(await a.snapshots.read('status', MAX_RECORD_BYTES)).toBe('too-large')
    } finally {
      raw.disconnect()
    }
  })

  it('keeps the keys of different accounts apart, under a prefix that holds no key', () => {
    const url = 'https://upstream.example/api.php'
    const mine = accountFingerprint(url, new Secret(TEST_API_KEY))
    expect(mine).toMatch(/^[0-9a-f]{24}$/)
    expect(accountFingerprint(url, new Secret(TEST_API_KEY))).toBe(mine)
    expect(accountFingerprint(url, new Secret(`${TEST_API_KEY}x`))).not.toBe(mine)
    expect(accountFingerprint('https://other.example/api.php', new Secret(TEST_API_KEY))).not.toBe(mine)
    const keys = fleetKeys(mine)
    const all = [
      keys.lease,
      keys.fence,
      keys.refresh,
      keys.calls,
      keys.hold,
      keys.channel,
      ...Object.values(keys.snapshot),
    ]
    for (const key of all) {
      expect(key.startsWith(`status-badge-proxy:{${mine}}:`)).toBe(true)
      expect(key).not.toContain(TEST_API_KEY)
    }
  })

  it('fails fast while Redis is down, and works again when it is back, without a new connection', async () => {
    const own = await startRedis()
    const { logger } = captureLogs()
    const connection = await connectRedis({ url: new Secret(own.url), commandTimeoutMs: 1_000, log: logger })
    const backend = createRedisBackend(connection, fleetKeys('outage'), clock)
    try {
      expect(await backend.ready(5_000)).toBe(true)
      expect(await backend.lease.acquire('token', 5_000)).toBe(1)
      await own.stop()
      const started = Date.now()
      await expect(backend.lease.renew('token', 5_000)).rejects.toThrow()
      expect(Date.now() - started).toBeLessThan(1_500)
      await own.start()
      expect(await backend.ready(10_000)).toBe(true)
      for (let i = 0; i < 50 && !(await backend.lease.acquire('token', 5_000).catch(() => undefined)); i++) {
        await sleep(100)
      }
      expect(await backend.lease.renew('token', 5_000)).toBe(true)
    } finally {
      await backend.close()
      await own.dispose()
    }
  })
})
