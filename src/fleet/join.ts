import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { Clock, Poller, Resource } from '../status/poller.js'
import { createMemoryBudget } from '../upstream/budget.js'
import { accountFingerprint } from '../upstream/client.js'
import type { FleetBackend } from './backend.js'
import { createFleet, type Fleet, type FleetObserver } from './coordinator.js'
import { createFleetBudget, type FleetBudget } from './fleet-budget.js'
import { fleetKeys } from './keys.js'
import { createRedisBackend } from './redis/backend.js'
import { connectRedis } from './redis/connection.js'
import { budgetShare } from './share.js'

/** A command to Redis that takes longer than this counts as failed: a third of the lease, two seconds at most. */
export const commandTimeoutMs = (leaseMs: number) => Math.min(2_000, Math.round(leaseMs / 3))

export interface FleetLink {
  /** The budget the poller must spend: the fleet's, or this replica's share while Redis is unreachable. */
  readonly budget: FleetBudget
  /** The fleet's coordinator, once the poller exists. */
  coordinate(parts: {
    readonly poller: Poller
    readonly adopted: () => void
    readonly relay?: (resource: Resource) => void
    readonly observe?: FleetObserver
  }): Fleet
}

export interface JoinOptions {
  readonly config: Config
  readonly clock: Clock
  readonly log: FastifyBaseLogger
  /** Replaces Redis (tests: replicas in one process over src/fleet/memory.ts). */
  readonly backend?: FleetBackend
}

/**
 * Joins the fleet of REDIS_URL: connects (without waiting for Redis, which
 * may be down), names the keys after the account, and makes the budget and
 * the coordinator. Loaded by app.ts only when REDIS_URL is set, and the Redis
 * client only by this (README, "Memory").
 */
export async function joinFleet(options: JoinOptions): Promise<FleetLink> {
  const { config, clock, log } = options
  const leaseMs = config.fleetLeaseSeconds * 1000
  const backend = options.backend ?? (await redisBackend(options, leaseMs))
  const limits = { perMinute: config.upstreamMaxPerMinute, perHour: config.upstreamMaxPerHour }
  let fleet: Fleet | undefined
  const budget = createFleetBudget({
    shared: backend.budget(limits),
    share: createMemoryBudget(budgetShare(limits, config.fleetSizeHint), clock),
    clock,
    reachable: () => fleet?.status().reachable ?? false,
    failed: (err) => fleet?.failed(err),
  })
  return {
    budget,
    coordinate(parts) {
      fleet = createFleet({ backend, budget, leaseMs, sizeHint: config.fleetSizeHint, clock, log, ...parts })
      return fleet
    },
  }
}

async function redisBackend({ config, clock, log }: JoinOptions, leaseMs: number): Promise<FleetBackend> {
  if (!config.redis) throw new Error('joinFleet: REDIS_URL is unset')
  const connection = await connectRedis({ url: config.redis.url, commandTimeoutMs: commandTimeoutMs(leaseMs), log })
  return createRedisBackend(connection, fleetKeys(accountFingerprint(config.apiUrl, config.apiKey)), clock)
}
