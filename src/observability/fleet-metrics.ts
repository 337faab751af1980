import { Counter, Gauge, type Registry } from 'prom-client'
import type { FleetObserver, FleetRole } from '../fleet/coordinator.js'
import type { FleetSource } from '../status/health.js'

const ROLES: readonly FleetRole[] = ['solo', 'leader', 'follower']

/**
 * The fleet's metrics (REDIS_URL set): the replica's role and whether Redis
 * answers, read at scrape; outages, role changes and shared snapshots,
 * counted as they happen. Registered only with a fleet.
 */
export function createFleetMetrics(registry: Registry, fleet: () => FleetSource | undefined): FleetObserver {
  const registers = [registry]
  new Gauge({
    name: 'badge_proxy_fleet_role',
    help: "This replica's part in the fleet: 1 for its role (solo: polling alone, leader, follower), 0 for the others",
    labelNames: ['role'] as const,
    registers,
    collect() {
      const role = fleet()?.status().role
      for (const each of ROLES) this.set({ role: each }, each === role ? 1 : 0)
    },
  })
  new Gauge({
    name: 'badge_proxy_fleet_redis_reachable',
    help: 'Whether Redis answers this replica (0: each replica polls alone, within its share of the budget)',
    registers,
    collect() {
      this.set(fleet()?.status().reachable ? 1 : 0)
    },
  })
  const outages = new Counter({
    name: 'badge_proxy_fleet_redis_outages_total',
    help: 'Times Redis stopped answering this replica',
    registers,
  })
  const roles = new Counter({
    name: 'badge_proxy_fleet_role_changes_total',
    help: 'Times this replica took each role',
    labelNames: ['role'] as const,
    registers,
  })
  const records = new Counter({
    name: 'badge_proxy_fleet_snapshots_total',
    help: 'Shared snapshots, by resource and result: written (leading), adopted (following), refused (invalid or too large)',
    labelNames: ['resource', 'result'] as const,
    registers,
  })
  return {
    role: (role) => {
      roles.inc({ role })
    },
    outage: () => {
      outages.inc()
    },
    record: (resource, result) => {
      records.inc({ resource, result })
    },
  }
}
