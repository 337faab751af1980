import type { PollOutcome, Resource, ResourceData, ResourceSnapshot } from './poller.js'

export interface Freshness {
  /** How long a snapshot is fresh: CACHE_TTL_SECONDS. */
  readonly ttlMs: number
  /** How long past that it may still be served, marked stale: STALE_IF_ERROR_SECONDS. */
  readonly staleIfErrorMs: number
  /** How long the poll due at the end of the TTL may take: UPSTREAM_TIMEOUT_MS. */
  readonly pollGraceMs: number
}

/**
 * What a badge shows about one polled resource at a moment: its data (or none,
 * when there never was any or it is too old to show), when it was polled, and
 * whether it is stale. `asOf` is when these facts last changed (it feeds
 * Last-Modified); `validUntil` is when time alone will change them.
 */
export interface ResourceView<T> {
  readonly data: T | undefined
  /** The last snapshot's data even when too old to show (names outlive states). */
  readonly last: T | undefined
  readonly updatedAt: string | null
  readonly stale: boolean
  readonly asOf: number
  readonly validUntil: number
}

/**
 * Fresh for the TTL. Stale when the latest poll failed, or when the poll due
 * at the end of the TTL is overdue (polls held back by a rate limit). Served
 * stale for STALE_IF_ERROR_SECONDS past the TTL (RFC 5861's idea), never
 * less than a poll's grace so that a slow poll cannot blank the badge; after
 * that, no data: unknown.
 */
export function resourceView<R extends Resource>(
  snapshot: ResourceSnapshot<R> | undefined,
  lastOutcome: PollOutcome | undefined,
  now: number,
  freshness: Freshness,
  startedAt: number,
): ResourceView<ResourceData[R]> {
  const failed = lastOutcome?.ok === false
  const never = Number.POSITIVE_INFINITY
  if (!snapshot) {
    return {
      data: undefined,
      last: undefined,
      updatedAt: null,
      stale: failed,
      asOf: lastOutcome?.at ?? startedAt,
      validUntil: never,
    }
  }
  const updatedAt = new Date(snapshot.fetchedAt).toISOString()
  const freshUntil = snapshot.fetchedAt + freshness.ttlMs
  const overdueAt = freshUntil + freshness.pollGraceMs
  const expiresAt = freshUntil + Math.max(freshness.staleIfErrorMs, freshness.pollGraceMs)
  if (now > expiresAt) {
    return { data: undefined, last: snapshot.data, updatedAt, stale: true, asOf: expiresAt, validUntil: never }
  }
  const overdue = now > overdueAt
  return {
    data: snapshot.data,
    last: snapshot.data,
    updatedAt,
    stale: failed || overdue,
    asOf: Math.max(snapshot.fetchedAt, lastOutcome?.at ?? 0, overdue ? overdueAt : 0),
    validUntil: overdue ? expiresAt : Math.min(overdueAt, expiresAt),
  }
}
