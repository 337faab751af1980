import type { Resource } from '../status/poller.js'
import type { BudgetLimits, UpstreamBudget } from '../upstream/budget.js'

/**
 * What replicas share, behind small interfaces: the lease that makes one of
 * them the poller, the snapshots it writes, the webhook refreshes the others
 * ask of it, the upstream budget, and the notices that tell of a change.
 * Two implementations: Redis (./redis/backend.ts, for a fleet) and memory
 * (./memory.ts, for replicas in one process: the tests run both against the
 * same contract).
 */

/** What a notice says: a resource's shared snapshot changed, a webhook asks for a refresh, the lease is free. */
export type Notice = 'snapshot:status' | 'snapshot:monitors' | 'refresh' | 'released'

export const NOTICES: readonly Notice[] = ['snapshot:status', 'snapshot:monitors', 'refresh', 'released']

/** Orders the writes of a resource: the lease's fencing number, then the writer's own sequence. */
export interface RecordVersion {
  readonly fence: number
  readonly seq: number
}

export interface StoredRecord {
  readonly version: RecordVersion
  /** The record as written (JSON): src/fleet/record.ts reads and validates it. */
  readonly body: string
}

export type WriteResult = 'written' | 'not-holder' | 'outdated'

export interface Lease {
  /**
   * Takes the lease when nobody holds it (`SET key token NX PX ttl`), with a
   * fencing number higher than any before; when `token` holds it already,
   * extends it and keeps its number. Undefined: another replica holds it.
   */
  acquire(token: string, ttlMs: number): Promise<number | undefined>
  /** Extends the lease if `token` still holds it; false when it does not (expired, or another took it). */
  renew(token: string, ttlMs: number): Promise<boolean>
  /** Gives the lease up if `token` holds it, and says so to the others, who need not wait for it to expire. */
  release(token: string): Promise<void>
}

export interface SharedSnapshots {
  /**
   * Stores a resource's record, only for the lease's holder (`token`) and
   * only when no write of a later version is stored: a deposed leader never
   * overwrites a newer snapshot. A written record is announced to all.
   */
  write(resource: Resource, body: string, version: RecordVersion, token: string): Promise<WriteResult>
  /** The version stored for each resource (absent: none yet). */
  versions(): Promise<Partial<Record<Resource, RecordVersion>>>
  /** The stored record, or 'too-large' (left unread) when its body exceeds `maxBytes`. */
  read(resource: Resource, maxBytes: number): Promise<StoredRecord | 'too-large' | undefined>
}

export interface RefreshRequests {
  /** A webhook reached a replica that does not poll: the leader is asked to refresh these. */
  request(resources: readonly Resource[]): Promise<void>
  /** The resources asked for since the last claim, for the lease's holder only (anyone else gets none). */
  claim(token: string): Promise<Resource[]>
}

/** The fleet's budget: the interface every caller uses, and a way to count calls made without it. */
export interface SharedBudget extends UpstreamBudget {
  /** Counts calls made while it could not be reached (Redis down), by their age now, so the windows stay true. */
  record(agesMs: readonly number[]): Promise<void>
}

export interface FleetBackend {
  /** Whether replicas in other processes share it (Redis), or only those of this one. */
  readonly shared: boolean
  readonly lease: Lease
  readonly snapshots: SharedSnapshots
  readonly refreshes: RefreshRequests
  /** The fleet's upstream budget, with these limits (each replica passes its own configuration's). */
  budget(limits: BudgetLimits): SharedBudget
  /** Told of every notice from any replica, this one included: of every one published after it resolves. */
  listen(listener: (notice: Notice) => void): Promise<void>
  /** Resolves true once connected, false if not within `waitMs`. */
  ready(waitMs: number): Promise<boolean>
  close(): Promise<void>
}
