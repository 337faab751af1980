import { RESOURCES, type Clock, type Poller, type Resource } from './poller.js'

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

/** What /healthz tells about one polled resource: ages and outcomes, never a secret. */
function resourceHealth(poller: Poller, resource: Resource, now: number, ttlMs: number) {
  const snapshot = poller.snapshot(resource)
  const state = poller.state(resource)
  const outcome = state.lastOutcome
  return {
    updatedAt: iso(snapshot?.fetchedAt),
    ageSeconds: snapshot ? Math.floor((now - snapshot.fetchedAt) / 1000) : null,
    fresh: snapshot !== undefined && now - snapshot.fetchedAt < ttlMs,
    lastPoll: outcome
      ? {
          ok: outcome.ok,
          at: new Date(outcome.at).toISOString(),
          durationMs: outcome.durationMs,
          ...(outcome.error && {
            error: outcome.error.code,
            reason: outcome.error.reason,
            ...(outcome.error.upstreamStatus !== undefined && { upstreamStatus: outcome.error.upstreamStatus }),
          }),
        }
      : null,
    consecutiveFailures: state.consecutiveFailures,
    nextPollAt: iso(state.nextPollAt),
  }
}

export function healthReport(poller: Poller, clock: Clock, ttlMs: number, startedAt: number) {
  const now = clock.now()
  return {
    status: 'ok' as const,
    uptimeSeconds: Math.floor((now - startedAt) / 1000),
    polls: {
      status: resourceHealth(poller, 'status', now, ttlMs),
      monitors: resourceHealth(poller, 'monitors', now, ttlMs),
    },
  }
}

/** Ready once every resource's first poll has settled, either way. */
export function firstPollsSettled(poller: Poller): boolean {
  return RESOURCES.every((resource) => poller.state(resource).firstAttemptSettled)
}
