import type { PollOutcome, Resource, ResourceData, Snapshot } from './poller.js'

/** How long a snapshot is fresh, and how long after that it may still be served. */
export interface Freshness {
  readonly ttlMs: number
  readonly staleIfErrorMs: number
}

/**
 * What a badge shows about one polled resource at a moment: its data (or none,
 * when there never was any or it is too old to show), when it was polled, and
 * whether the latest poll failed. `asOf` is when these facts last changed; it
 * feeds Last-Modified.
 */
export interface SnapshotView<T> {
  readonly data: T | undefined
  readonly updatedAt: string | null
  readonly stale: boolean
  readonly asOf: number
}

/**
 * Fresh for the TTL; then, while polls fail, served marked stale for the
 * stale-if-error window (RFC 5861's idea); after that, no data: unknown.
 */
export function snapshotView<R extends Resource>(
  snapshot: Snapshot<R> | undefined,
  lastOutcome: PollOutcome | undefined,
  now: number,
  freshness: Freshness,
  startedAt: number,
): SnapshotView<ResourceData[R]> {
  const stale = lastOutcome?.ok === false
  if (!snapshot) {
    return { data: undefined, updatedAt: null, stale, asOf: lastOutcome?.at ?? startedAt }
  }
  const updatedAt = new Date(snapshot.fetchedAt).toISOString()
  const expiresAt = snapshot.fetchedAt + freshness.ttlMs + freshness.staleIfErrorMs
  if (now > expiresAt) return { data: undefined, updatedAt, stale, asOf: expiresAt }
  return { data: snapshot.data, updatedAt, stale, asOf: Math.max(snapshot.fetchedAt, lastOutcome?.at ?? 0) }
}
