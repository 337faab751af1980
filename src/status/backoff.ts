export const BACKOFF_BASE_MS = 5_000
/** Retry-After is honoured up to the hourly window the limit is counted in. */
export const MAX_RETRY_AFTER_MS = 3_600_000

/**
 * Delay before retry number `failures` (1, 2, …): exponential from a few
 * seconds, capped at the TTL, with "equal jitter" (half fixed, half random)
 * so replicas that failed together do not retry together, yet never sooner
 * than half the step.
 */
export function retryDelay(failures: number, capMs: number, random: () => number): number {
  const step = Math.min(capMs, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  return Math.round(step / 2 + (step / 2) * random())
}

/** The wait a 429 asks for, bounded; or the backoff when it is longer. */
export function rateLimitDelay(retryAfterMs: number | undefined, backoffMs: number): number {
  if (retryAfterMs === undefined) return backoffMs
  return Math.max(backoffMs, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS))
}
