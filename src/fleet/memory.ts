import { RESOURCES, type Clock, type Resource } from '../status/poller.js'
import { createMemoryBudget, type UpstreamBudget } from '../upstream/budget.js'
import type { FleetBackend, Notice, RecordVersion, SharedBudget, StoredRecord } from './backend.js'

const newer = (a: RecordVersion, b: RecordVersion) => a.fence > b.fence || (a.fence === b.fence && a.seq > b.seq)

export interface MemoryFleet {
  /** A replica's view of the shared state: its own listeners, closed on its own. */
  replica(): FleetBackend
}

/**
 * The fleet's backend held in this process's memory: the same contract as
 * Redis's (test/fleet/backend.test.ts runs both), for replicas that are apps
 * in one process, which is how the fleet's logic is tested on fake time.
 * One process alone needs none of it: without REDIS_URL the service polls
 * as it always has, with the in-memory budget of src/upstream/budget.ts,
 * which is also this backend's budget.
 */
export function createMemoryFleet(clock: Clock): MemoryFleet {
  let holding: { token: string; until: number } | undefined
  let fence = 0
  const records = new Map<Resource, StoredRecord>()
  const asked = new Map<Resource, number>()
  const claimed = new Map<Resource, number>()
  const replicas = new Set<Set<(notice: Notice) => void>>()
  let windows: UpstreamBudget | undefined

  const holder = () => (holding && holding.until > clock.now() ? holding.token : undefined)
  function announce(notice: Notice) {
    // Like pub/sub: later, to every listener, the sender's own included.
    queueMicrotask(() => {
      for (const listeners of replicas) for (const listener of listeners) listener(notice)
    })
  }

  const lease: FleetBackend['lease'] = {
    async acquire(token, ttlMs) {
      const current = holder()
      if (current !== undefined && current !== token) return undefined
      if (current === undefined) {
        const stored = Math.max(0, ...[...records.values()].map((record) => record.version.fence))
        fence = Math.max(fence, stored) + 1
      }
      holding = { token, until: clock.now() + ttlMs }
      return fence
    },
    async renew(token, ttlMs) {
      if (holder() !== token || !holding) return false
      holding.until = clock.now() + ttlMs
      return true
    },
    async release(token) {
      if (holder() !== token) return
      holding = undefined
      announce('released')
    },
  }

  const snapshots: FleetBackend['snapshots'] = {
    async write(resource, body, version, token) {
      if (holder() !== token) return 'not-holder'
      const stored = records.get(resource)
      if (stored && !newer(version, stored.version)) return 'outdated'
      records.set(resource, { version, body })
      announce(`snapshot:${resource}`)
      return 'written'
    },
    async versions() {
      const versions: Partial<Record<Resource, RecordVersion>> = {}
      for (const [resource, record] of records) versions[resource] = record.version
      return versions
    },
    async read(resource, maxBytes) {
      const record = records.get(resource)
      if (!record) return undefined
      return Buffer.byteLength(record.body) > maxBytes ? 'too-large' : record
    },
  }

  const refreshes: FleetBackend['refreshes'] = {
    async request(resources) {
      for (const resource of resources) asked.set(resource, (asked.get(resource) ?? 0) + 1)
      announce('refresh')
    },
    async claim(token) {
      if (holder() !== token) return []
      return RESOURCES.filter((resource) => {
        const count = asked.get(resource) ?? 0
        if (count <= (claimed.get(resource) ?? 0)) return false
        claimed.set(resource, count)
        return true
      })
    },
  }

  return {
    replica(): FleetBackend {
      const listeners = new Set<(notice: Notice) => void>()
      replicas.add(listeners)
      return {
        shared: false,
        lease,
        snapshots,
        refreshes,
        budget(limits): SharedBudget {
          // One set of windows for the fleet, as in Redis (with the first replica's limits).
          windows ??= createMemoryBudget(limits, clock)
          const shared = windows
          return {
            take: () => shared.take(),
            hold: (until) => shared.hold(until),
            state: () => shared.state(),
            // Replicas in one process never lose this backend: no call is made without it.
            record: async () => undefined,
          }
        },
        async listen(listener) {
          listeners.add(listener)
        },
        ready: async () => true,
        async close() {
          replicas.delete(listeners)
        },
      }
    },
  }
}
