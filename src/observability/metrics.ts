import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { VariantCache } from '../http/variants.js'
import type { WebhookResult } from '../routes/webhook.js'
import { RESOURCES, type Clock, type PollOutcome, type Poller, type Resource } from '../status/poller.js'
import type { UpstreamBudget } from '../upstream/budget.js'
import type { ResponseCounts } from './response-counts.js'
import type { LiveUpdateStats } from '../events/route.js'

export interface Metrics {
  readonly registry: Registry
  readonly observePoll: (resource: Resource, outcome: PollOutcome) => void
  /** A call waited for the budget. */
  readonly observeBudgetDelay: () => void
  /** An answer's X-RateLimit-Remaining (undefined: it sent none). */
  readonly observeRemaining: (endpoint: string, remaining: number | undefined) => void
  readonly observeWebhook: (result: WebhookResult) => void
  readonly observeRefresh: (resource: Resource, what: 'triggered' | 'coalesced') => void
}

export interface MetricsSources {
  readonly poller: () => Poller
  /** Answers counted on the request path (src/http/responder.ts). */
  readonly counts: ResponseCounts
  /** The byte-bounded caches of prepared answers. */
  readonly caches: readonly VariantCache[]
  readonly budget: UpstreamBudget
  /** GET /events: streams open, refused and dropped. */
  readonly liveUpdates: () => LiveUpdateStats
  readonly clock: Clock
}

const OUTCOMES: Readonly<Record<string, string>> = {
  UPSTREAM_UNAUTHORIZED: 'unauthorized',
  UPSTREAM_RATE_LIMITED: 'rate_limited',
  UPSTREAM_UNAVAILABLE: 'unavailable',
  UPSTREAM_INVALID_RESPONSE: 'invalid_response',
}

/** A counter whose value is read at scrape time from numbers kept elsewhere. */
function countedAtScrape(
  name: string,
  help: string,
  registry: Registry,
  read: (set: (value: number, labels?: Record<string, string>) => void) => void,
  labelNames: readonly string[] = [],
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset()
      read((value, labels) => {
        if (labels) this.inc(labels, value)
        else this.inc(value)
      })
    },
  })
}

/**
 * Prometheus metrics in a registry of the app's own (tests build many apps).
 * Poll outcomes are observed as they happen; answers, cache figures and ages
 * are read at scrape, from the plain counters the request path keeps.
 */
export function createMetrics({ poller, counts, caches, budget, liveUpdates, clock }: MetricsSources): Metrics {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })
  const cacheStats = () => caches.map((cache) => cache.stats())

  const upstreamRequests = new Counter({
    name: 'badge_proxy_upstream_requests_total',
    help: 'Requests to the Server Monitor API, by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'] as const,
    registers,
  })
  const upstreamDuration = new Histogram({
    name: 'badge_proxy_upstream_request_duration_seconds',
    help: 'Time to a usable answer (or a failure) from the Server Monitor API',
    labelNames: ['endpoint'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  })
  const polls = new Counter({
    name: 'badge_proxy_polls_total',
    help: 'Polls of each resource, by result',
    labelNames: ['resource', 'result'] as const,
    registers,
  })
  new Gauge({
    name: 'badge_proxy_snapshot_age_seconds',
    help: 'Age of the last good snapshot of each resource (absent before one)',
    labelNames: ['resource'] as const,
    registers,
    collect() {
      this.reset()
      for (const resource of RESOURCES) {
        const snapshot = poller().snapshot(resource)
        if (snapshot) this.set({ resource }, (clock.now() - snapshot.fetchedAt) / 1000)
      }
    },
  })
  new Gauge({
    name: 'badge_proxy_poll_consecutive_failures',
    help: 'Polls of each resource that failed in a row',
    labelNames: ['resource'] as const,
    registers,
    collect() {
      for (const resource of RESOURCES) this.set({ resource }, poller().state(resource).consecutiveFailures)
    },
  })
  new Gauge({
    name: 'badge_proxy_upstream_budget_left',
    help: 'Upstream calls the budget still allows, in any 60 s (minute) and any 3600 s (hour)',
    labelNames: ['window'] as const,
    registers,
    async collect() {
      const state = await budget.state()
      this.set({ window: 'minute' }, state.minute.left)
      this.set({ window: 'hour' }, state.hour.left)
    },
  })
  new Gauge({
    name: 'badge_proxy_upstream_budget_limit',
    help: 'UPSTREAM_MAX_PER_MINUTE (minute) and UPSTREAM_MAX_PER_HOUR (hour)',
    labelNames: ['window'] as const,
    registers,
    async collect() {
      const state = await budget.state()
      this.set({ window: 'minute' }, state.minute.limit)
      this.set({ window: 'hour' }, state.hour.limit)
    },
  })
  const budgetDelays = new Counter({
    name: 'badge_proxy_upstream_budget_delayed_total',
    help: 'Upstream calls that waited for the budget',
    registers,
  })
  const remaining = new Gauge({
    name: 'badge_proxy_upstream_ratelimit_remaining',
    help: "X-RateLimit-Remaining of the upstream's last answer for each endpoint (absent when it sent none)",
    labelNames: ['endpoint'] as const,
    registers,
  })
  const webhooks = new Counter({
    name: 'badge_proxy_webhooks_received_total',
    help: 'POST /webhook requests, by result',
    labelNames: ['result'] as const,
    registers,
  })
  const refreshes = new Counter({
    name: 'badge_proxy_webhook_refreshes_total',
    help: 'Refreshes started by webhooks, by resource',
    labelNames: ['resource'] as const,
    registers,
  })
  const coalesced = new Counter({
    name: 'badge_proxy_webhook_refreshes_coalesced_total',
    help: 'Webhook refresh requests folded into a refresh already running or due',
    labelNames: ['resource'] as const,
    registers,
  })
  new Gauge({
    name: 'badge_proxy_event_streams',
    help: 'Live-update streams (GET /events) open now',
    registers,
    collect() {
      this.set(liveUpdates().open)
    },
  })
  countedAtScrape(
    'badge_proxy_event_streams_refused_total',
    'Live-update streams refused: no room (EVENTS_MAX_CLIENTS, EVENTS_MAX_PER_CLIENT) or shutting down',
    registry,
    (set) => {
      set(liveUpdates().refused)
    },
  )
  countedAtScrape(
    'badge_proxy_event_streams_dropped_total',
    'Live-update streams dropped because their client stopped reading',
    registry,
    (set) => {
      set(liveUpdates().dropped)
    },
  )
  countedAtScrape(
    'badge_proxy_http_requests_total',
    'Answers served, by route pattern and status code (304: not modified)',
    registry,
    (set) => {
      for (const [route, statuses] of counts.responses()) {
        for (const [status, n] of statuses) set(n, { route, status: String(status) })
      }
    },
    ['route', 'status'],
  )
  countedAtScrape(
    'badge_proxy_error_badges_total',
    'Error answers (badges and JSON), by reason',
    registry,
    (set) => {
      for (const [reason, n] of counts.errors()) set(n, { reason })
    },
    ['reason'],
  )
  countedAtScrape(
    'badge_proxy_render_cache_hits_total',
    'Requests served from an already prepared representation',
    registry,
    (set) => {
      set(cacheStats().reduce((sum, s) => sum + s.hits + s.confirmed, 0))
    },
  )
  countedAtScrape(
    'badge_proxy_render_cache_misses_total',
    'Representations prepared (rendered, serialised, compressed)',
    registry,
    (set) => {
      set(cacheStats().reduce((sum, s) => sum + s.prepared, 0))
    },
  )
  new Gauge({
    name: 'badge_proxy_render_cache_bytes',
    help: 'Bytes held by prepared representations (bounded)',
    registers,
    collect() {
      this.set(cacheStats().reduce((sum, s) => sum + s.bytes, 0))
    },
  })

  return {
    registry,
    observePoll: (resource, outcome) => {
      const code = outcome.error?.code
      upstreamRequests.inc({ endpoint: `/${resource}`, outcome: code ? (OUTCOMES[code] ?? 'error') : 'ok' })
      upstreamDuration.observe({ endpoint: `/${resource}` }, outcome.durationMs / 1000)
      polls.inc({ resource, result: outcome.ok ? 'ok' : 'error' })
    },
    observeBudgetDelay: () => {
      budgetDelays.inc()
    },
    observeRemaining: (endpoint, value) => {
      if (value === undefined) remaining.remove({ endpoint })
      else remaining.set({ endpoint }, value)
    },
    observeWebhook: (result) => {
      webhooks.inc({ result })
    },
    observeRefresh: (resource, what) => {
      ;(what === 'triggered' ? refreshes : coalesced).inc({ resource })
    },
  }
}
