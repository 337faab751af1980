import type { Clock } from '../status/poller.js'
import { WINDOW_SLACK_MS, type UpstreamBudget } from '../upstream/budget.js'
import type { SharedBudget } from './backend.js'

const HOUR_MS = 3_600_000

export interface FleetBudget extends UpstreamBudget {
  /** Whose calls the windows count now: the fleet's (in Redis), or this replica's share alone. */
  scope(): 'fleet' | 'share'
  /** Adds the calls made on the share to the fleet's windows (Redis is reachable again). */
  flush(): Promise<void>
}

export interface FleetBudgetOptions {
  /** The fleet's windows, in Redis. */
  readonly shared: SharedBudget
  /** This replica's share (in memory): the budget divided by FLEET_SIZE_HINT. */
  readonly share: UpstreamBudget
  readonly clock: Clock
  /** Whether Redis is reachable, as the fleet last saw it. */
  readonly reachable: () => boolean
  /** A call to Redis failed: the fleet falls back on its own. */
  readonly failed: (err: unknown) => void
}

/**
 * The budget of a replica in a fleet: the fleet's windows in Redis while it
 * is reachable (so that even two leaders during a handover cannot overspend
 * it together, and a 429's hold is everyone's), this replica's share while
 * it is not. Calls granted by Redis are counted on the share too (a leader
 * that loses Redis has spent its part already); calls made on the share are
 * added to Redis's windows when it returns (bounded: an hour of them).
 */
export function createFleetBudget(options: FleetBudgetOptions): FleetBudget {
  const { shared, share, clock } = options
  /** Times of the calls granted by the share alone, not yet in Redis. */
  let unsynced: number[] = []

  async function onShared<T>(call: () => Promise<T>): Promise<T | undefined> {
    if (!options.reachable()) return undefined
    try {
      return await call()
    } catch (err) {
      options.failed(err)
      return undefined
    }
  }

  return {
    async take() {
      const grant = await onShared(() => shared.take())
      if (grant) {
        if (grant.granted) await share.take()
        return grant
      }
      const local = await share.take()
      if (local.granted) {
        const now = clock.now()
        unsynced = unsynced.filter((at) => at > now - HOUR_MS - WINDOW_SLACK_MS)
        unsynced.push(now)
      }
      return local
    },
    async hold(until) {
      await share.hold(until)
      await onShared(() => shared.hold(until))
    },
    async state() {
      return (await onShared(() => shared.state())) ?? share.state()
    },
    scope: () => (options.reachable() ? 'fleet' : 'share'),
    async flush() {
      if (unsynced.length === 0) return
      const now = clock.now()
      const ages = unsynced.map((at) => now - at).filter((age) => age < HOUR_MS + WINDOW_SLACK_MS)
      await shared.record(ages)
      unsynced = []
    },
  }
}
