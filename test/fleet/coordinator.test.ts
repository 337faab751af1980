import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import type { Simulator } from '../../src/dev/simulator.js'
import { createMemoryFleet } from '../../src/fleet/memory.js'
import { buildTestApp, firstPolls, startTestUpstream } from '../helper.js'

/*
 * Two replicas as two apps in this process, over the in-memory backend (the
 * same contract as Redis's: test/fleet/backend.test.ts). The backend's clock
 * can be moved on, which is how a leader "pauses" past its lease here.
 */

const TOKEN = 'wh-coord-0123456789abcdefghijkl'
const env = {
  FLEET_LEASE_SECONDS: '2',
  CACHE_TTL_SECONDS: '300',
  WEBHOOK_TOKEN: TOKEN,
  WEBHOOK_MIN_INTERVAL_SECONDS: '1',
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let upstream: Simulator
const apps: App[] = []

beforeAll(async () => {
  upstream = await startTestUpstream()
})
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
  upstream.reset()
})
afterAll(async () => {
  await upstream.close()
})

async function replica(fleet: ReturnType<typeof createMemoryFleet>): Promise<App> {
  const { app, logs } = await buildTestApp({ upstream, env, deps: { fleet: fleet.replica() } })
  apps.push(app)
  await app.ready()
  replicaLogs.set(app, logs)
  return app
}

const replicaLogs = new Map<App, string[]>()

function webhook(app: App) {
  return app.inject({
    method: 'POST',
    url: `/webhook?token=${TOKEN}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ event: 'incident.created' }),
  })
}

const role = async (app: App) => (await app.inject('/healthz')).json<{ fleet: { role: string } }>().fleet.role

async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(50)
  }
}

describe('the fleet coordinator', () => {
  it('makes one replica poll and the other serve its snapshot, byte for byte', async () => {
    const fleet = createMemoryFleet({ now: () => Date.now() })
    const a = await replica(fleet)
    await until(async () => (await role(a)) === 'leader', 'a leads')
    await firstPolls(a)
    const b = await replica(fleet)
    await until(async () => (await b.inject('/badge.json')).json<{ status: string }>().status !== 'unknown', 'b serves')
    expect(await role(b)).toBe('follower')
    const [fromA, fromB] = await Promise.all([a.inject('/badge.json'), b.inject('/badge.json')])
    expect(fromB.body).toBe(fromA.body)
    expect(fromB.headers.etag).toBe(fromA.headers.etag)
    // One poll: /status and /monitors once, by the leader alone.
    expect(upstream.calls()).toBe(2)
  })

  it("deposes a leader paused past its lease: the stored snapshot's version never goes back", async () => {
    let skew = 0
    const fleet = createMemoryFleet({ now: () => Date.now() + skew })
    const probe = fleet.replica()
    const seen: string[] = []
    const watching = { on: true }
    const watch = (async () => {
      while (watching.on) {
        const status = (await probe.snapshots.versions()).status
        if (status) seen.push(`${status.fence}:${status.seq}`)
        await sleep(10)
      }
    })()
    try {
      const a = await replica(fleet)
      await until(async () => (await role(a)) === 'leader', 'a leads')
      await firstPolls(a)
      const b = await replica(fleet)
      await until(async () => (await role(b)) === 'follower', 'b follows')
      // A "pauses": its lease runs out as far as the fleet can tell.
      skew += 5_000
      upstream.setScenario('major_outage')
      // A, still believing it leads, polls (a webhook reaches it) and tries to share that poll: refused.
      await webhook(a)
      await until(
        async () => replicaLogs.get(a)?.some((line) => line.includes('fleet: lost the lease')) ?? false,
        'a deposed',
      )
      // A new lease (fence 2), held by one of them; the other follows.
      await until(async () => {
        const roles = [await role(a), await role(b)].sort().join()
        return roles === 'follower,leader' && (await probe.snapshots.versions()).status?.fence === 2
      }, 'one new leader')
      const follower = (await role(a)) === 'follower' ? a : b
      // A webhook to the follower reaches the new leader, whose snapshot both then serve.
      await webhook(follower)
      await until(async () => {
        const [fromA, fromB] = await Promise.all([a.inject('/badge.json'), b.inject('/badge.json')])
        return fromA.headers.etag === fromB.headers.etag && fromB.json<{ status: string }>().status !== 'operational'
      }, "both serve the new leader's snapshot")
    } finally {
      watching.on = false
      await watch
      await probe.close()
    }
    // Every version the fleet stored, in the order seen: never an older one after a newer one.
    const versions = seen.map((v) => v.split(':').map(Number) as [number, number])
    for (let i = 1; i < versions.length; i++) {
      const [fence, seq] = versions[i] ?? [0, 0]
      const [lastFence, lastSeq] = versions[i - 1] ?? [0, 0]
      expect(fence > lastFence || (fence === lastFence && seq >= lastSeq)).toBe(true)
    }
    expect(versions.at(-1)?.[0]).toBe(2)
  })

  it('hands the poll over at once when the leader shuts down: it releases its lease', async () => {
    const fleet = createMemoryFleet({ now: () => Date.now() })
    // A lease of a minute: without the release, B would wait that long.
    const long = { FLEET_LEASE_SECONDS: '60' }
    const build = async () => {
      const { app } = await buildTestApp({ upstream, env: { ...env, ...long }, deps: { fleet: fleet.replica() } })
      apps.push(app)
      await app.ready()
      return app
    }
    const a = await build()
    await until(async () => (await role(a)) === 'leader', 'a leads')
    const b = await build()
    await until(async () => (await role(b)) === 'follower', 'b follows')
    await a.close()
    apps.splice(apps.indexOf(a), 1)
    await until(async () => (await role(b)) === 'leader', 'b leads', 5_000)
  })
})
