import type { UpstreamBudget } from '../upstream/budget.js'
import type { LastWebhook } from '../webhook/receiver.js'
import { RESOURCES, type Clock, type Poller, type Resource } from './poller.js'

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

export interface HealthSources {
  readonly poller: Poller
  readonly budget: UpstreamBudget
  readonly clock: Clock
  /** The real poll interval (CACHE_TTL_SECONDS, or longer when paced to the budget). */
  readonly ttlMs: number
  readonly startedAt: number
  /** Undefined when WEBHOOK_TOKEN is unset (no webhook route). */
  readonly lastWebhook: (() => LastWebhook | undefined) | undefined
}

/** What /healthz tells about one polled resource: ages and outcomes, never a secret. */
function resourceHealth(sources: HealthSources, resource: Resource, now: number, nextCallAt: number) {
  const { poller, ttlMs } = sources
  const snapshot = poller.snapshot(resource)
  const state = poller.state(resource)
  const outcome = state.lastOutcome
  return {
    updatedAt: iso(snapshot?.fetchedAt),
    ageSeconds: snapshot ? Math.floor((now - snapshot.fetchedAt) / 1000) : null,
    fresh: snapshot !== undefined && now - snapshot.fetchedAt < ttlMs,
    lastCode: outcome ? (outcome.error?.code ?? 'OK') : null,
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
    // A poll due while the budget is spent waits for it.
    nextPollAt: iso(state.nextPollAt === undefined ? undefined : Math.max(state.nextPollAt, nextCallAt)),
  }
}

function webhookHealth(lastWebhook: HealthSources['lastWebhook']) {
  if (!lastWebhook) return { enabled: false, last: null }
  const last = lastWebhook()
  return {
    enabled: true,
    last: last
      ? { receivedAt: new Date(last.receivedAt).toISOString(), event: last.event ?? null, refresh: last.refresh }
      : null,
  }
}

export async function healthReport(sources: HealthSources) {
  const { clock, startedAt, ttlMs } = sources
  const now = clock.now()
  const budget = await sources.budget.state()
  return {
    status: 'ok' as const,
    uptimeSeconds: Math.floor((now - startedAt) / 1000),
    pollEverySeconds: Math.round(ttlMs / 1000),
    polls: {
      status: resourceHealth(sources, 'status', now, budget.nextCallAt),
      monitors: resourceHealth(sources, 'monitors', now, budget.nextCallAt),
    },
    budget: { minute: budget.minute, hour: budget.hour },
    webhook: webhookHealth(sources.lastWebhook),
  }
}

/** Ready once every resource's first poll has settled, either way. */
export function firstPollsSettled(poller: Poller): boolean {
  return RESOURCES.every((resource) => poller.state(resource).firstAttemptSettled)
}
