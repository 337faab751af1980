import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { BADGE_ERROR_HEADER } from './badge/formats.js'
import type { RepresentationCache } from './http/representation.js'
import { RESOURCES, type Clock, type PollOutcome, type Poller, type Resource } from './status/poller.js'

/** Route label for answers no route gave (the not-found handler). */
export const UNMATCHED_ROUTE = '(unmatched)'

export interface Metrics {
  readonly registry: Registry
  readonly observePoll: (resource: Resource, outcome: PollOutcome) => void
  /** `route` is the route's pattern, never the raw URL: label values stay few. */
  readonly observeResponse: (route: string, statusCode: number, badgeError: string | undefined) => void
}

export interface MetricsSources {
  readonly poller: () => Poller
  readonly representations: RepresentationCache
  readonly clock: Clock
}

const OUTCOMES: Readonly<Record<string, string>> = {
  UPSTREAM_UNAUTHORIZED: 'unauthorized',
  UPSTREAM_RATE_LIMITED: 'rate_limited',
  UPSTREAM_UNAVAILABLE: 'unavailable',
  UPSTREAM_INVALID_RESPONSE: 'invalid_response',
}

/**
 * Prometheus metrics in a registry of the app's own (tests build many apps).
 * Counters move as things happen; ages and cache sizes are read at scrape.
 */
export function createMetrics({ poller, representations, clock }: MetricsSources): Metrics {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })

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
  const requests = new Counter({
    name: 'badge_proxy_http_requests_total',
    help: 'Answers served, by route pattern and status code (304: not modified)',
    labelNames: ['route', 'status'] as const,
    registers,
  })
  const errorBadges = new Counter({
    name: 'badge_proxy_error_badges_total',
    help: 'Error answers (badges and JSON), by reason',
    labelNames: ['reason'] as const,
    registers,
  })
  new Counter({
    name: 'badge_proxy_render_cache_hits_total',
    help: 'Requests served from an already prepared representation',
    registers,
    collect() {
      this.reset()
      this.inc(representations.stats().hits)
    },
  })
  new Counter({
    name: 'badge_proxy_render_cache_misses_total',
    help: 'Representations prepared (rendered, serialised, compressed)',
    registers,
    collect() {
      this.reset()
      this.inc(representations.stats().misses)
    },
  })
  new Gauge({
    name: 'badge_proxy_render_cache_bytes',
    help: 'Bytes held by prepared representations (bounded)',
    registers,
    collect() {
      this.set(representations.stats().bytes)
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
    observeResponse: (route, statusCode, badgeError) => {
      requests.inc({ route, status: String(statusCode) })
      if (badgeError) errorBadges.inc({ reason: badgeError })
    },
  }
}

/**
 * Counts every route's answers, labelled by the route's pattern: each route
 * gets an onResponse hook of its own with the pattern in hand, so the hot
 * path reads no route options per request.
 */
export function countResponses(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRoute', function countRouteResponses(route) {
    const pattern = route.url
    const count = function countResponse(
      _request: unknown,
      reply: { statusCode: number; getHeader(name: string): unknown },
      done: () => void,
    ) {
      const error = reply.getHeader(BADGE_ERROR_HEADER)
      metrics.observeResponse(pattern, reply.statusCode, typeof error === 'string' ? error : undefined)
      done()
    }
    route.onResponse = [...[route.onResponse ?? []].flat(), count] as typeof route.onResponse
  })
}
