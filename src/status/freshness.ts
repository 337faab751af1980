import type { Resource, ResourceData, ResourceSnapshot, ResourceState } from './poller.js'

export interface Freshness {
  /** How long a snapshot is fresh: CACHE_TTL_SECONDS. */
  readonly ttlMs: number
  /** How long past that it may still be served, marked stale: STALE_IF_ERROR_SECONDS. */
  readonly staleIfErrorMs: number
  /** How long the poll due at the end of the TTL may hold the view: UPSTREAM_TIMEOUT_MS. */
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

/** What the view needs of the poller's state for a resource. */
export type PollState = Pick<ResourceState, 'lastOutcome' | 'nextPollAt'>

/**
 * The rules, as the README states them:
 * - fresh for CACHE_TTL_SECONDS after a successful poll;
 * - stale while the latest poll failed, or once the TTL has passed with no
 *   poll under way (polls held back by a rate limit);
 * - no data (unknown) once older than CACHE_TTL_SECONDS +
 *   STALE_IF_ERROR_SECONDS.
 * One grace: the poll due when the TTL ends, while it is under way, holds
 * the view as it was (fresh) for at most UPSTREAM_TIMEOUT_MS, so that every
 * TTL does not flash "stale" (or, with STALE_IF_ERROR_SECONDS=0,
 * "unknown") for as long as a poll takes. The grace ends when that poll
 * settles: a success brings new data, a failure the rules above.
 */
export function resourceView<R extends Resource>(
  snapshot: ResourceSnapshot<R> | undefined,
  poll: PollState,
  now: number,
  freshness: Freshness,
  startedAt: number,
): ResourceView<ResourceData[R]> {
  const { lastOutcome } = poll
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
  // After a success the next poll is due exactly at freshUntil; a later due time is a hold.
  const awaited = !failed && poll.nextPollAt !== undefined && poll.nextPollAt <= freshUntil
  const staleAfter = awaited ? freshUntil + freshness.pollGraceMs : freshUntil
  const expiresAfter = Math.max(freshUntil + freshness.staleIfErrorMs, staleAfter)
  if (now > expiresAfter) {
    return { data: undefined, last: snapshot.data, updatedAt, stale: true, asOf: expiresAfter, validUntil: never }
  }
  const late = now > staleAfter
  const stale = failed || late
  return {
    data: snapshot.data,
    last: snapshot.data,
    updatedAt,
    stale,
    asOf: Math.max(snapshot.fetchedAt, lastOutcome?.at ?? 0, late ? staleAfter : 0),
    validUntil: stale ? expiresAfter : staleAfter,
  }
}
