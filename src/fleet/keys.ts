import type { Resource } from '../status/poller.js'

/**
 * Every key and the channel of a fleet, under one prefix named by the
 * account's fingerprint (src/upstream/client.ts: a hash of the upstream URL
 * and the key, never the key): fleets of different accounts can share one
 * Redis. The fingerprint is a hash tag (`{…}`), so that on a Redis Cluster
 * every key of a fleet (and so every script) lands in one slot.
 */
export interface FleetKeys {
  readonly prefix: string
  /** The lease: the holder's token, with a PX expiry. */
  readonly lease: string
  /** The last fencing number handed out. */
  readonly fence: string
  /** Per resource, a hash: fence, seq, body. */
  readonly snapshot: Readonly<Record<Resource, string>>
  /** Webhook refreshes asked for, and claimed, per resource. */
  readonly refresh: string
  /** The budget: a sorted set of call times, and the 429 hold. */
  readonly calls: string
  readonly hold: string
  /** Pub/sub channel of the notices. */
  readonly channel: string
}

export function fleetKeys(fingerprint: string): FleetKeys {
  const prefix = `status-badge-proxy:{${fingerprint}}:`
  return {
    prefix,
    lease: `${prefix}lease`,
    fence: `${prefix}fence`,
    snapshot: { status: `${prefix}snapshot:status`, monitors: `${prefix}snapshot:monitors` },
    refresh: `${prefix}refresh`,
    calls: `${prefix}budget:calls`,
    hold: `${prefix}budget:hold`,
    channel: `${prefix}notices`,
  }
}

/** How long a fleet's records and counters outlive its last write: a week, STALE_IF_ERROR_SECONDS' largest value. */
export const KEEP_MS = 7 * 24 * 3600 * 1000
