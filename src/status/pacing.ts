/** Each poll reads GET /status and GET /monitors. */
export const CALLS_PER_POLL = 2

export interface PollPlan {
  /** How often the poller really polls: CACHE_TTL_SECONDS, or longer when the budget needs it. */
  readonly everySeconds: number
  readonly callsPerPoll: number
  /** The budget variable that made the interval longer than the TTL, if one did. */
  readonly pacedBy: 'UPSTREAM_MAX_PER_MINUTE' | 'UPSTREAM_MAX_PER_HOUR' | undefined
}

export interface PollBudget {
  readonly cacheTtlSeconds: number
  readonly upstreamMaxPerMinute: number
  readonly upstreamMaxPerHour: number
}

/**
 * The interval at which polls alone fit the upstream budget: the TTL when it
 * fits (nothing changes for a configuration that already did), else the
 * shortest whole number of seconds that does. Webhook refreshes and retries
 * spend the same budget and simply wait for it (src/upstream/budget.ts).
 */
export function pollPlan(config: PollBudget): PollPlan {
  const byMinute = Math.ceil((60 * CALLS_PER_POLL) / config.upstreamMaxPerMinute)
  const byHour = Math.ceil((3600 * CALLS_PER_POLL) / config.upstreamMaxPerHour)
  const everySeconds = Math.max(config.cacheTtlSeconds, byMinute, byHour)
  let pacedBy: PollPlan['pacedBy']
  if (everySeconds > config.cacheTtlSeconds)
    pacedBy = byHour >= byMinute ? 'UPSTREAM_MAX_PER_HOUR' : 'UPSTREAM_MAX_PER_MINUTE'
  return { everySeconds, callsPerPoll: CALLS_PER_POLL, pacedBy }
}
