import fastifyCaching from '@fastify/caching'
import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { NO_STORE } from './badge/cache-policy.js'
import { jsonFormat } from './badge/formats/json.js'
import { PNG_SCALE, pngFormat } from './badge/formats/png.js'
import { shieldsFormat } from './badge/formats/shields.js'
import { svgFormat } from './badge/formats/svg.js'
import { createBadgeRegistry } from './badge/registry.js'
import { createLogos } from './badge/logos/logos.js'
import { createRasteriser } from './badge/raster.js'
import { lazySerializerCompiler } from './badge/serializer.js'
import { componentSubject } from './badge/subjects/component.js'
import { overallSubject } from './badge/subjects/overall.js'
import { rollupSubject } from './badge/subjects/rollup.js'
import { uptimeSubject } from './badge/subjects/uptime.js'
import type { Config } from './config.js'
import { USER_AGENT, VERSION } from './config/version.js'
import { createLiveUpdates } from './events/route.js'
import type { FleetBackend } from './fleet/backend.js'
import type { Fleet } from './fleet/coordinator.js'
import type { FleetLink } from './fleet/join.js'
import { statusEvents } from './events/status-event.js'
import { lazyValidators } from './http/lazy-validators.js'
import { clientError } from './http/client-errors.js'
import { guardConnections, type ConnectionGuard } from './http/connections.js'
import { connectionCap, SERVER_LIMITS, serverOptions, type ServerLimits } from './http/limits.js'
import { createResponder } from './http/responder.js'
import { corsOptions, HELMET_OPTIONS, jsonHeaders } from './http/security.js'
import { createAdmission, createRateAdmission, createVariantCache } from './http/variants.js'
import { landingRoutes } from './landing/route.js'
import { createLogger } from './observability/logger.js'
import { createFleetMetrics } from './observability/fleet-metrics.js'
import type { FleetSource } from './status/health.js'
import { createMetrics } from './observability/metrics.js'
import { logRequests } from './observability/request-log.js'
import { createResponseCounts, NO_COUNTS } from './observability/response-counts.js'
import { createRestCompaction, type Compact } from './observability/rest-compaction.js'
import { componentsDocument } from './routes/components-json.js'
import { registerDocuments } from './routes/documents.js'
import { createFallbacks } from './routes/fallbacks.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { createComponentCatalog } from './status/components.js'
import { createIncidentCatalog } from './status/incidents.js'
import { createStatuspageDocuments } from './statuspage/documents.js'
import { statuspageRoutes } from './statuspage/routes.js'
import { wireLifecycle } from './status/lifecycle.js'
import { pollPlan } from './status/pacing.js'
import { createPoller, RESOURCES, type Clock, type Resource } from './status/poller.js'
import { createSnapshotStore } from './status/snapshot.js'
import { createMemoryBudget, type UpstreamBudget } from './upstream/budget.js'
import { createUpstreamClient, type UpstreamClient } from './upstream/client.js'

export interface AppDeps {
  readonly logger?: Logger
  readonly clock?: Clock
  /** Replaces the HTTP client (tests of the routes without a network). */
  readonly client?: UpstreamClient
  readonly random?: () => number
  readonly firstPollWaitMs?: number
  /** Replaces some of the server's limits (tests of them, in milliseconds rather than seconds). */
  readonly limits?: Partial<ServerLimits>
  /** Replaces the upstream budget (the in-memory one, or the fleet's with REDIS_URL). */
  readonly budget?: UpstreamBudget
  /** Replaces Redis as the fleet's backend (tests: replicas in one process over src/fleet/memory.ts). */
  readonly fleet?: FleetBackend
  /** Replaces V8's memory-reducing collection at rest (tests; `gc()` under `--expose-gc` otherwise). */
  readonly compact?: Compact
  /** The live-update streams' heartbeat (tests; HEARTBEAT_MS otherwise). */
  readonly eventsHeartbeatMs?: number
}

/**
 * The memory the prepared answers may hold, in bytes, by cache. Their sum
 * (30.25 MiB) is the README's bound; nothing else grows with requests.
 */
export const CACHE_BOUNDS = {
  /** Badges by variant: subject, parameters, format. */
  badges: 8 * 1024 * 1024,
  /** PNG badges by variant (a few KB each: about 2000 of them). */
  rasters: 8 * 1024 * 1024,
  /** Error answers: format × reason × style × label, a few hundred at most. */
  errors: 256 * 1024,
  /** /components.json in its encodings (the upstream's answers are capped at 1 MiB each). */
  documents: 8 * 1024 * 1024,
  /** The landing page with PUBLIC_URL, and the icon. */
  pages: 2 * 1024 * 1024,
  /** Landing pages for recent origins (without PUBLIC_URL). */
  originPages: 4 * 1024 * 1024,
} as const

/**
 * New entries per second the caches whose keys clients choose may keep
 * (http/variants.ts, createAdmission): far above what pages that embed
 * badges need, far below what churns the heap.
 */
export const ADMISSIONS_PER_SECOND = { badges: 50, rasters: 20, originPages: 5 } as const

/**
 * PNG renders (src/badge/raster.ts): as many at once as the machine has
 * cores to spare (each runs on a thread of libuv's pool), a short queue, and
 * an answer within 2 seconds (GitHub's camo waits about 4).
 */
export const RASTER_LIMITS = { maxInFlight: 2, maxQueued: 32, timeoutMs: 2000 } as const

/**
 * What POST /webhook may hold: a body while it is read (64 KiB, 413 past
 * it), and the clients whose refused tokens are counted (about 1.1 MiB when
 * full; the oldest are forgotten first).
 */
export const WEBHOOK_BOUNDS = { bodyBytes: 64 * 1024, refusedClients: 4096 } as const

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's logger (pino): Fastify itself has none. */
    logger: Logger
    /** The prepared answers, by cache: tests and metrics read their stats. */
    caches: Readonly<
      Record<'badges' | 'rasters' | 'errors' | 'documents' | 'pages', ReturnType<typeof createVariantCache>>
    >
    /** The open connections, their send timeout and the cap (http/connections.ts). */
    connections: ConnectionGuard
    /**
     * close(), with requests in flight given SERVER_LIMITS.finishWithinMs
     * and every connection still open ended after that (src/server.ts).
     */
    closeGracefully(): Promise<void>
  }
}

export type App = FastifyInstance

/**
 * Builds the service; never listens (src/server.ts does). Data flows one
 * way: upstream client → poller (lru-cache) → snapshot store → prepared
 * representations → routes. Every upstream call spends one budget. Registration order: the four route scopes
 * (images, pages, documents with CORS, probes with helmet and caching, and
 * the webhook when WEBHOOK_TOKEN is set), then the root's not-found and
 * error handlers.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? { now: Date.now }
  const startedAt = clock.now()
  // The real poll interval: the TTL, or longer when polls alone would overspend the budget.
  const ttlMs = pollPlan(config).everySeconds * 1000
  const logger: Logger = deps.logger ?? createLogger(config.logLevel)
  // With REDIS_URL, replicas share the poll, the snapshots and the budget; the fleet's code loads only then.
  let link: FleetLink | undefined
  if (config.redis || deps.fleet) {
    const { joinFleet } = await import('./fleet/join.js')
    const backend = deps.fleet && { backend: deps.fleet }
    link = await joinFleet({ config, clock, log: logger.child({ component: 'fleet' }), ...backend })
  }
  const budget =
    deps.budget ??
    link?.budget ??
    createMemoryBudget({ perMinute: config.upstreamMaxPerMinute, perHour: config.upstreamMaxPerHour }, clock)
  const cachePolicy = { maxAgeSeconds: config.badgeMaxAgeSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds }
  const documentHeaders = jsonHeaders(config.corsOrigins)
  const limits: ServerLimits = {
    ...SERVER_LIMITS,
    maxConnections: connectionCap(config.eventsMaxClients),
    ...deps.limits,
  }

  const client =
    deps.client ??
    createUpstreamClient({
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.upstreamTimeoutMs,
      userAgent: USER_AGENT,
      rateLimitRemaining: (remaining, endpoint) => {
        poller.noteRemaining(remaining)
        metrics?.observeRemaining(endpoint, remaining)
      },
    })
  const caches = {
    badges: createVariantCache({
      maxBytes: CACHE_BOUNDS.badges,
      admission: createAdmission(ADMISSIONS_PER_SECOND.badges),
    }),
    rasters: createVariantCache({
      maxBytes: CACHE_BOUNDS.rasters,
      admission: createRateAdmission(ADMISSIONS_PER_SECOND.rasters),
    }),
    errors: createVariantCache({ maxBytes: CACHE_BOUNDS.errors }),
    documents: createVariantCache({ maxBytes: CACHE_BOUNDS.documents }),
    pages: createVariantCache({ maxBytes: CACHE_BOUNDS.pages }),
  }
  const counts = config.metricsEnabled ? createResponseCounts() : NO_COUNTS
  const metrics = config.metricsEnabled
    ? createMetrics({
        poller: () => poller,
        counts,
        caches: Object.values(caches),
        budget,
        liveUpdates: () => liveUpdates.stats(),
        clock,
        connections: () => guard,
      })
    : undefined
  const poller = createPoller({
    client,
    budget,
    ttlMs,
    log: logger.child({ component: 'poller' }),
    clock,
    ...(deps.random && { random: deps.random }),
    ...(metrics && { observe: metrics.observePoll, delayed: metrics.observeBudgetDelay }),
    settled: (resource) => {
      snapshots.update()
      fleet?.settled(resource)
    },
  })
  const snapshots = createSnapshotStore({
    poller,
    clock,
    freshness: { ttlMs, staleIfErrorMs: config.staleIfErrorSeconds * 1000, pollGraceMs: config.upstreamTimeoutMs },
    startedAt,
    ...(deps.firstPollWaitMs !== undefined && { firstPollWaitMs: deps.firstPollWaitMs }),
  })
  let closing = () => false
  const { send, direct } = createResponder({ closing: () => closing(), counts })
  const catalog = createComponentCatalog(config.publicComponents)
  const incidents = createIncidentCatalog(config.publicIncidents, catalog)
  const overall = overallSubject(config.badgeLabel, incidents, config.badgeWords)
  const registry = createBadgeRegistry({
    subjects: [
      overall,
      uptimeSubject,
      rollupSubject(catalog, config.badgeLabel, config.badgeWords),
      componentSubject(catalog, config.badgeWords),
    ],
    formats: [svgFormat, pngFormat, jsonFormat, shieldsFormat],
    context: {
      cachePolicy,
      jsonHeaders: documentHeaders,
      // Both load what they need on first use: no memory for a service whose badges have no logo or PNG.
      logos: createLogos(),
      rasteriser: createRasteriser({ ...RASTER_LIMITS, scale: PNG_SCALE }),
    },
    store: snapshots,
    variants: caches.badges,
    rasters: caches.rasters,
    errors: caches.errors,
    send,
    logger,
    label: config.badgeLabel,
  })
  const fallbacks = createFallbacks(registry, send, logger)
  const liveUpdates = createLiveUpdates({
    store: snapshots,
    event: statusEvents(overall, jsonFormat(overall, { cachePolicy, jsonHeaders: documentHeaders })),
    headers: documentHeaders,
    maxClients: config.eventsMaxClients,
    maxPerClient: config.eventsMaxPerClient,
    ...(deps.eventsHeartbeatMs !== undefined && { heartbeatMs: deps.eventsHeartbeatMs }),
  })
  // Loaded only when the webhook is on.
  const webhook = config.webhookTokens
    ? (await import('./webhook/receiver.js')).createWebhookReceiver({
        poller,
        intervalMs: config.webhookMinIntervalSeconds * 1000,
        clock,
        log: logger.child({ component: 'webhook' }),
        ...(metrics && { observe: metrics.observeRefresh }),
        ...(link && { forward: (resources: readonly Resource[]) => fleet?.forward(resources) ?? false }),
      })
    : undefined
  const fleet: Fleet | undefined = link?.coordinate({
    poller,
    adopted: () => {
      snapshots.update()
    },
    ...(webhook && {
      relay: (resource: Resource) => {
        webhook.relayed(resource)
      },
    }),
    ...(metrics && { observe: createFleetMetrics(metrics.registry, () => fleetSource) }),
  })
  const fleetSource: FleetSource | undefined =
    fleet && link ? { status: () => fleet.status(), budgetScope: () => link.budget.scope() } : undefined

  const app = Fastify({
    // No logger for Fastify itself: it would make a child logger per request
    // and listen for every response's end (observability/request-log.ts).
    // The service logs what it means to, with `logger`.
    trustProxy: config.trustProxy,
    // /badge.svg/ is /badge.svg: an <img> with a stray slash still gets an image.
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive sockets are closed at shutdown so close() finishes fast.
    forceCloseConnections: 'idle',
    // The route schemas are ours and fixed (tests cover them): no meta-schema
    // check, which costs ajv some MB of resident memory to compile.
    // Referred schemas are called, not inlined: the badge routes share their
    // query schemas by $ref (badge/registry.ts), and inlining compiled a copy
    // for each route and its HEAD, some 0.5 MB of resident memory each.
    ajv: { customOptions: { validateSchema: false, inlineRefs: false } },
    // A route's validators are compiled when it is first asked for.
    schemaController: { compilersFactory: { buildValidator: lazyValidators() } },
    // Requests that arrive while closing are answered as usual (with
    // Connection: close), not with a bare 503 lacking Cache-Control.
    return503OnClosing: false,
    // A URL the router cannot decode still gets an answer in its format.
    frameworkErrors: fallbacks.badUrl,
    // What Node rejects before routing (bad syntax, a head too large or too late): JSON, no-store.
    clientErrorHandler: clientError,
    ...serverOptions(limits),
  })
  const guard = guardConnections(app.server, limits, logger)
  app.decorate('connections', guard)
  app.decorate('closeGracefully', () => guard.closeWithin(() => app.close()))
  app.addHook('onClose', async function stopConnectionChecks() {
    guard.stop()
  })
  app.setSerializerCompiler(lazySerializerCompiler)
  // Startup's memory goes back once the first polls have settled, a burst's after each rest (README,
  // "Memory"); not once shutdown has begun (stopped below).
  const compaction = createRestCompaction({ log: logger, ...(deps.compact && { compact: deps.compact }) })
  void Promise.all(RESOURCES.map((resource) => poller.firstAttempt(resource))).then(() => {
    compaction.afterStartup()
  })
  const lifecycle = wireLifecycle(app, poller, snapshots, fleet)
  closing = lifecycle.isClosing
  // The streams end when shutdown begins, inside the drain.
  lifecycle.onShutdown(() => {
    liveUpdates.close()
    compaction.stop()
  })
  app.decorate('caches', caches)
  app.decorate('logger', logger)
  logRequests(app, logger)
  registry.addSchemas(app)
  if (webhook) {
    app.addHook('onClose', async function stopWebhookRefreshes() {
      webhook.close()
    })
  }

  // Badges and pages carry their security headers with their prepared bytes,
  // so no hook runs on them; CORS is for the JSON; the probes get
  // @fastify/helmet's hooks and @fastify/caching's Cache-Control default.
  // No hook sets a header on images: their answers go to node:http directly (http/responder.ts).
  await app.register(async function images(scope) {
    registry.register(scope, 'images', direct)
  })
  await app.register(async function pages(scope) {
    await scope.register(landingRoutes, {
      store: snapshots,
      catalog,
      incidents,
      label: config.badgeLabel,
      publicUrl: config.publicUrl,
      version: VERSION,
      pages: caches.pages,
      originPagesMaxBytes: CACHE_BOUNDS.originPages,
      originPagesAdmission: createAdmission(ADMISSIONS_PER_SECOND.originPages),
      send,
    })
  })
  await app.register(async function documents(scope) {
    async function cors(preflights: FastifyInstance) {
      // Before CORS's own hook, which ends a preflight there and then.
      preflights.addHook('onRequest', fallbacks.guardPreflight)
      await preflights.register(fastifyCors, corsOptions(config.corsOrigins))
    }
    // Any origin: the answers carry CORS's headers with their bytes
    // (documentHeaders), and the plugin and its hook live in a scope of
    // their own that holds only its catch-all OPTIONS route. A list of
    // origins: the plugin decides each request's headers, so its hook runs
    // on every route of the scope.
    scope.setErrorHandler(fallbacks.jsonErrors(documentHeaders))
    await (config.corsOrigins === '*' ? scope.register(cors) : cors(scope))
    // With the plugin's hook on these routes, only Fastify's reply keeps the headers it sets.
    const out = config.corsOrigins === '*' ? direct : send
    registry.register(scope, 'documents', out)
    const statuspage = createStatuspageDocuments(
      { name: config.statusPageName, url: config.publicUrl },
      catalog,
      incidents,
    )
    registerDocuments(scope, [componentsDocument(catalog), ...statuspageRoutes(statuspage)], {
      store: snapshots,
      cachePolicy,
      documents: caches.documents,
      send: out,
      headers: documentHeaders,
    })
    liveUpdates.register(scope)
  })
  await app.register(async function probes(scope) {
    await scope.register(fastifyCaching, { privacy: NO_STORE })
    await scope.register(fastifyHelmet, HELMET_OPTIONS)
    if (metrics) {
      scope.addHook('onResponse', function countProbeAnswer(request, reply, done) {
        counts.count(request.routeOptions.url ?? request.url, reply.statusCode)
        done()
      })
    }
    await scope.register(healthRoutes, {
      poller,
      budget,
      clock,
      ttlMs,
      startedAt,
      lastWebhook: webhook && (() => webhook.last()),
      fleet: fleetSource,
      isClosing: closing,
    })
    if (metrics) await scope.register(metricsRoutes, { metrics, token: config.metricsToken })
    if (webhook && config.webhookTokens) {
      await scope.register((await import('./routes/webhook.js')).webhookRoutes, {
        tokens: config.webhookTokens,
        receiver: webhook,
        clock,
        bounds: WEBHOOK_BOUNDS,
        log: logger,
        ...(metrics && { observe: metrics.observeWebhook }),
      })
    }
  })
  fallbacks.install(app)
  return app
}
