/**
 * The one budget every upstream call spends: polls, retries, webhook
 * refreshes, anything later. Behind a small interface so that a fleet can
 * share it (counters in Redis, say); the in-memory budget here is the
 * default, for one process.
 */
export interface BudgetWindow {
  readonly limit: number
  readonly left: number
}

export interface BudgetState {
  /** Calls in any 60 s span: UPSTREAM_MAX_PER_MINUTE, and how many are left now. */
  readonly minute: BudgetWindow
  /** Calls in any 3600 s span: UPSTREAM_MAX_PER_HOUR. */
  readonly hour: BudgetWindow
  /** Clock time (ms) at which the next call may be made: now, or later. */
  readonly nextCallAt: number
}

export type Grant = { readonly granted: true } | { readonly granted: false; readonly waitMs: number }

export interface UpstreamBudget {
  /** Spends one call if both windows and any hold allow it now; else spends nothing and says how long to wait. */
  take(): Promise<Grant>
  /** No call before `until` (clock ms), whoever asks: a 429's Retry-After is per key. */
  hold(until: number): Promise<void>
  state(): Promise<BudgetState>
}

export interface BudgetLimits {
  readonly perMinute: number
  readonly perHour: number
}

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
/**
 * A call counts for its span and a second more: the upstream counts calls
 * when they reach it, and a second of network delay that differs between
 * two calls must not bring them closer there than the span.
 */
export const WINDOW_SLACK_MS = 1_000

/**
 * Sliding windows over the times of the calls made (not a token bucket, not
 * calendar minutes: either lets up to twice the limit through a span that
 * straddles a refill or a boundary). The times of the last hour are kept in
 * one ascending array, the minute's being its tail; it never holds more than
 * UPSTREAM_MAX_PER_HOUR entries, nor more than the calls of the last hour.
 */
export function createMemoryBudget(limits: BudgetLimits, clock: { now(): number }): UpstreamBudget {
  const times: number[] = []
  let hourHead = 0
  let minuteHead = 0
  let heldUntil = 0

  function advance(now: number) {
    while (hourHead < times.length && (times[hourHead] ?? 0) <= now - HOUR_MS - WINDOW_SLACK_MS) hourHead++
    minuteHead = Math.max(minuteHead, hourHead)
    while (minuteHead < times.length && (times[minuteHead] ?? 0) <= now - MINUTE_MS - WINDOW_SLACK_MS) minuteHead++
    // Drop the expired head now and then, not on every call.
    if (hourHead > 256 && hourHead * 2 > times.length) {
      times.splice(0, hourHead)
      minuteHead -= hourHead
      hourHead = 0
    }
  }

  /** How long until the window starting at `head` has room for one more call. */
  function waitFor(head: number, limit: number, spanMs: number, now: number): number {
    if (times.length - head < limit) return 0
    const leaving = times[times.length - limit] ?? now
    return leaving + spanMs + WINDOW_SLACK_MS - now
  }

  function waitMs(now: number): number {
    advance(now)
    return Math.max(
      heldUntil - now,
      waitFor(minuteHead, limits.perMinute, MINUTE_MS, now),
      waitFor(hourHead, limits.perHour, HOUR_MS, now),
      0,
    )
  }

  return {
    async take() {
      const now = clock.now()
      const wait = waitMs(now)
      if (wait > 0) return { granted: false, waitMs: wait }
      // Never earlier than the last: a clock set back must not reorder the windows.
      times.push(Math.max(now, times.at(-1) ?? now))
      return { granted: true }
    },
    async hold(until) {
      heldUntil = Math.max(heldUntil, until)
    },
    async state() {
      const now = clock.now()
      const wait = waitMs(now)
      return {
        minute: { limit: limits.perMinute, left: Math.max(0, limits.perMinute - (times.length - minuteHead)) },
        hour: { limit: limits.perHour, left: Math.max(0, limits.perHour - (times.length - hourHead)) },
        nextCallAt: now + wait,
      }
    },
  }
}

export interface WaitOptions {
  readonly signal?: AbortSignal
  /** Told once when the call has to wait (a metric: calls delayed by the budget). */
  readonly delayed?: () => void
}

/**
 * Takes one call from the budget, waiting as long as it takes: the callers
 * are few and fixed (one poll per resource at a time, refreshes coalesced
 * before they get here), so the waits are too. Rejects when `signal` aborts.
 */
export async function waitForBudget(budget: UpstreamBudget, options: WaitOptions = {}): Promise<void> {
  const { signal } = options
  let delayed = false
  for (;;) {
    signal?.throwIfAborted()
    const grant = await budget.take()
    if (grant.granted) return
    if (!delayed) {
      delayed = true
      options.delayed?.()
    }
    await sleep(grant.waitMs, signal)
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    timer.unref()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
