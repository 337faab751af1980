import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ConnectionGuard } from '../http/connections.js'
import type { VariantCache } from '../http/variants.js'
import { RESOURCES, type Clock, type PollOutcome, type Poller, type Resource } from '../status/poller.js'
import type { ResponseCounts } from './response-counts.js'

export interface Metrics {
  readonly registry: Registry
  readonly observePoll: (resource: Resource, outcome: PollOutcome) => void
}

export interface MetricsSources {
  readonly poller: () => Poller
  /** Answers counted on the request path (src/http/responder.ts). */
  readonly counts: ResponseCounts
  /** The byte-bounded caches of prepared answers. */
  readonly caches: readonly VariantCache[]
  readonly clock: Clock
  /** The server's open connections (made after the metrics, hence a getter). */
  readonly connections: () => ConnectionGuard | undefined
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
export function createMetrics({ poller, counts, caches, clock, connections }: MetricsSources): Metrics {
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

  new Gauge({
    name: 'badge_proxy_open_connections',
    help: 'HTTP connections open now',
    registers,
    collect() {
      this.set(connections()?.open() ?? 0)
    },
  })
  countedAtScrape(
    'badge_proxy_connections_dropped_total',
    'Connections ended by the server: a client that stopped reading, one past the cap, one still open at shutdown',
    registry,
    (set) => {
      for (const [reason, n] of Object.entries(connections()?.dropped() ?? {})) set(n, { reason })
    },
    ['reason'],
  )

  return {
    registry,
    observePoll: (resource, outcome) => {
      const code = outcome.error?.code
      upstreamRequests.inc({ endpoint: `/${resource}`, outcome: code ? (OUTCOMES[code] ?? 'error') : 'ok' })
      upstreamDuration.observe({ endpoint: `/${resource}` }, outcome.durationMs / 1000)
      polls.inc({ resource, result: outcome.ok ? 'ok' : 'error' })
    },
  }
}
