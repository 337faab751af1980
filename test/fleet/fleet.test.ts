import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../../src/dev/simulator.js'
import { startTestUpstream } from '../helper.js'
import { TEST_API_KEY } from '../helper.js'
import { fetchRecorded, startProcess, type ServerProcess } from '../process.js'
import { startRedis, type TestRedis } from '../redis.js'

/*
 * The acceptance test: a fake upstream that counts calls, three
 * replicas as real processes (`node dist/server.js`), one real redis-server.
 * The steps build on each other, in order, over one fleet.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const TTL_SECONDS = 10
const TOKEN = 'wh-fleet-0123456789abcdefghijkl'
const PER_MINUTE = 60
const SIZE_HINT = 3

interface Replica {
  readonly server: ServerProcess
  readonly url: string
}

interface Health {
  polls: Record<string, { updatedAt: string | null }>
  budget: { minute: { limit: number } }
  fleet: { role: string; budget: string; redis: { reachable: boolean } | null }
}

let upstream: Simulator
let redis: TestRedis
let workdir: string
let replicas: Replica[] = []

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const calls = () => upstream.calls()

async function health(replica: Replica): Promise<Health> {
  return (await (await fetchRecorded(`${replica.url}/healthz`)).json()) as Health
}

async function roles(of: readonly Replica[] = replicas): Promise<string[]> {
  return Promise.all(of.map(async (replica) => (await health(replica)).fleet.role))
}

/** Waits (polling every 200 ms, up to `ms`) until `check` holds; returns how long it took. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started
    await sleep(200)
  }
  throw new Error(`not within ${ms} ms: ${what}`)
}

async function badge(replica: Replica) {
  const response = await fetchRecorded(`${replica.url}/badge.json`)
  const body = (await response.json()) as { status: string; updatedAt: string }
  return { status: response.status, etag: response.headers.get('etag'), body }
}

function startReplica(): ServerProcess {
  return startProcess('node dist/server.js', {
    cwd: workdir,
    env: {
      MONITOR_API_KEY: TEST_API_KEY,
      MONITOR_API_URL: upstream.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      CACHE_TTL_SECONDS: String(TTL_SECONDS),
      UPSTREAM_MAX_PER_MINUTE: String(PER_MINUTE),
      UPSTREAM_MAX_PER_HOUR: '3000',
      WEBHOOK_TOKEN: TOKEN,
      WEBHOOK_MIN_INTERVAL_SECONDS: '1',
      REDIS_URL: redis.url,
      FLEET_SIZE_HINT: String(SIZE_HINT),
      FLEET_LEASE_SECONDS: '3',
      SHUTDOWN_DRAIN_SECONDS: '0',
    },
  })
}

const leaders = async (of: readonly Replica[] = replicas) => (await roles(of)).filter((r) => r === 'leader').length

beforeAll(async () => {
  upstream = await startTestUpstream()
  redis = await startRedis()
  workdir = await mkdtemp(join(tmpdir(), 'badge-proxy-fleet-'))
  await symlink(join(ROOT, 'dist'), join(workdir, 'dist'))
  await symlink(join(ROOT, 'node_modules'), join(workdir, 'node_modules'))
  const servers = [startReplica(), startReplica(), startReplica()]
  replicas = await Promise.all(servers.map(async (server) => ({ server, url: await server.listening() })))
}, 60_000)

afterAll(async () => {
  for (const { server } of replicas) server.child.kill('SIGKILL')
  await Promise.all(replicas.map(({ server }) => server.exited))
  await redis.dispose()
  await upstream.close()
  await rm(workdir, { recursive: true, force: true })
})

describe('three replicas sharing one Redis', () => {
  it('elect one poller: the upstream sees the calls of one replica per TTL, not three', async () => {
    await until(async () => (await roles()).sort().join() === 'follower,follower,leader', 20_000, 'one leader')
    await until(
      async () => (await Promise.all(replicas.map(health))).every((h) => h.polls.status?.updatedAt),
      10_000,
      'a snapshot on every replica',
    )
    // One poll for the fleet: /status and /monitors, once.
    expect(calls()).toBe(2)
    const before = calls()
    await sleep(2.5 * TTL_SECONDS * 1000)
    const spent = calls() - before
    // One replica polls both resources every TTL: 4 or 6 calls in 2.5 TTLs; three would make 12 or more.
    expect(spent).toBeGreaterThanOrEqual(4)
    expect(spent).toBeLessThanOrEqual(6)
    expect(await leaders()).toBe(1)
  }, 90_000)

  it('answer /badge.json with the same bytes, ETag and updatedAt on every replica', async () => {
    let answers: Array<Awaited<ReturnType<typeof badge>>> = []
    // Right after a poll the followers take a moment to read it: ask until all agree (or fail).
    await until(
      async () => {
        answers = await Promise.all(replicas.map(badge))
        return new Set(answers.map((a) => a.etag)).size === 1
      },
      10_000,
      'one ETag',
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    expect(answers[0]?.etag).toMatch(/^"/)
    expect(new Set(answers.map((a) => a.body.updatedAt)).size).toBe(1)
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1)
    expect(answers[0]?.body.status).toBe('operational')
  })

  it('turn the badge on all three when a webhook reaches one of them (a follower), with one refresh', async () => {
    const follower = replicas[(await roles()).indexOf('follower')]
    if (!follower) throw new Error('no follower')
    upstream.setScenario('major_outage')
    const before = upstream.calls('/status')
    const response = await fetch(`${follower.url}/webhook?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'incident.created' }),
    })
    expect(response.status).toBe(202)
    const took = await until(
      async () => (await Promise.all(replicas.map(badge))).every((a) => a.body.status !== 'operational'),
      TTL_SECONDS * 1000,
      'the badge turned on all three',
    )
    // Well before the next scheduled poll could have done it.
    expect(took).toBeLessThan(5_000)
    expect(upstream.calls('/status') - before).toBe(1)
  })

  it('hand the poll to another replica within a few seconds when the leader is SIGKILLed, losing no badge', async () => {
    const index = (await roles()).indexOf('leader')
    const leader = replicas[index]
    if (!leader) throw new Error('no leader')
    const survivors = replicas.filter((_, i) => i !== index)
    const expected = (await badge(survivors[0] as Replica)).body.status
    leader.server.child.kill('SIGKILL')
    await leader.server.exited
    replicas = survivors
    const failures: string[] = []
    const watching = { on: true }
    const watch = (async () => {
      while (watching.on) {
        for (const replica of survivors) {
          const answer = await badge(replica)
          // The expected badge until the upstream's change below, then that one: never an error, never unknown.
          if (answer.status !== 200 || ![expected, 'operational'].includes(answer.body.status)) {
            failures.push(JSON.stringify(answer))
          }
        }
        await sleep(100)
      }
    })()
    try {
      const took = await until(async () => (await leaders()) === 1, 15_000, 'a new leader')
      // FLEET_LEASE_SECONDS=3: the lease runs out, and a follower ticking every second takes it.
      expect(took).toBeLessThan(8_000)
      // The new leader polls: the upstream's change reaches the survivors through it.
      upstream.setScenario('operational')
      const before = calls()
      await until(
        async () => (await Promise.all(survivors.map(badge))).every((a) => a.body.status === 'operational'),
        (TTL_SECONDS + 10) * 1000,
        'the new leader polled',
      )
      expect(calls()).toBeGreaterThan(before)
    } finally {
      watching.on = false
      await watch
    }
    expect(failures).toEqual([])
  }, 60_000)

  it('keep serving correct badges within their share of the budget while Redis is down, and warn once', async () => {
    await redis.stop()
    await until(
      async () => (await Promise.all(replicas.map(health))).every((h) => h.fleet.role === 'solo'),
      10_000,
      'every replica polls alone',
    )
    for (const replica of replicas) {
      const report = await health(replica)
      expect(report.fleet).toMatchObject({ role: 'solo', budget: 'share', redis: { reachable: false } })
      // Each within 1/FLEET_SIZE_HINT of the budget.
      expect(report.budget.minute.limit).toBe(PER_MINUTE / SIZE_HINT)
      expect((await fetchRecorded(`${replica.url}/readyz`)).status).toBe(200)
      const metrics = await (await fetchRecorded(`${replica.url}/metrics`)).text()
      expect(metrics).toMatch(/^badge_proxy_fleet_redis_reachable 0$/m)
      expect(metrics).toMatch(/^badge_proxy_fleet_redis_outages_total 1$/m)
    }
    // The upstream changes: each replica polls on its own and shows it.
    upstream.setScenario('degraded')
    await until(
      async () =>
        (await Promise.all(replicas.map(badge))).every((a) => a.status === 200 && a.body.status === 'degraded'),
      (TTL_SECONDS + 10) * 1000,
      'each replica polled alone',
    )
    await sleep(3_000)
    for (const { server } of replicas) {
      expect(server.output.filter((line) => line.includes('Redis unreachable'))).toHaveLength(1)
    }
  }, 60_000)

  it('converge on one poller again when Redis returns, without a restart', async () => {
    await redis.start()
    await until(async () => (await roles()).sort().join() === 'follower,leader', 20_000, 'one leader again')
    for (const { server } of replicas) {
      expect(server.output.some((line) => line.includes('Redis reachable again'))).toBe(true)
    }
    // Let any poll already due on the former solos pass, then count a TTL and a half.
    await sleep(2_000)
    const before = calls()
    await sleep(1.5 * TTL_SECONDS * 1000)
    // One poller: 2 or 4 calls in 1.5 TTLs; two solos would make 6 or more.
    expect(calls() - before).toBeLessThanOrEqual(4)
    const answers = await Promise.all(replicas.map(badge))
    expect(answers.every((a) => a.body.status === 'degraded')).toBe(true)
  }, 60_000)
})
