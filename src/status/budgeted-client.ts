import { waitForBudget, type UpstreamBudget } from '../upstream/budget.js'
import type { UpstreamClient } from '../upstream/client.js'
import { UpstreamRateLimitedError } from '../upstream/errors.js'
import { BACKOFF_BASE_MS, MAX_RETRY_AFTER_MS } from './backoff.js'
import type { Clock, Resource } from './poller.js'

export interface BudgetedClientHooks {
  readonly clock: Clock
  /** Told as each call leaves, once the budget has granted it. */
  readonly sent?: (resource: Resource) => void
  /** Told when a call had to wait for the budget. */
  readonly delayed?: () => void
}

/**
 * The client as everything else must see it: each call first takes its
 * place in the budget (waiting for one), and a 429 holds the budget for
 * every caller, for its Retry-After (bounded to an hour) or, without one,
 * a backoff step. The poller's own schedule backs off on top of that.
 */
export function budgetedClient(
  client: UpstreamClient,
  budget: UpstreamBudget,
  hooks: BudgetedClientHooks,
): UpstreamClient {
  async function call<T>(resource: Resource, fetch: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    await waitForBudget(budget, { ...(signal && { signal }), ...(hooks.delayed && { delayed: hooks.delayed }) })
    hooks.sent?.(resource)
    try {
      return await fetch()
    } catch (err) {
      if (err instanceof UpstreamRateLimitedError) {
        const holdMs = err.retryAfterMs === undefined ? BACKOFF_BASE_MS : Math.min(err.retryAfterMs, MAX_RETRY_AFTER_MS)
        await budget.hold(hooks.clock.now() + holdMs)
      }
      throw err
    }
  }
  return {
    fetchStatus: (signal) => call('status', () => client.fetchStatus(signal), signal),
    fetchMonitors: (signal) => call('monitors', () => client.fetchMonitors(signal), signal),
  }
}
