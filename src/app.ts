import fastifyCaching from '@fastify/caching'
import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import type { Logger } from 'pino'
import { NO_STORE } from './badge/cache-policy.js'
import { createBadgeFormats } from './badge/formats.js'
import type { Config } from './config.js'
import { createRepresentationCache, type RepresentationCache } from './http/representation.js'
import { corsOptions, HELMET_OPTIONS } from './http/security.js'
import { wireLifecycle } from './lifecycle.js'
import { DebugRequestLog } from './request-log.js'
import { createLogger } from './logger.js'
import { countResponses, createMetrics } from './metrics.js'
import { componentJsonRoutes, componentSvgRoutes } from './routes/components.js'
import { healthRoutes } from './routes/health.js'
import { landingRoutes } from './routes/landing.js'
import { metricsRoutes } from './routes/metrics.js'
import { badUrl, guardPreflight, setFallbacks } from './routes/fallbacks.js'
import { overallJsonRoutes, overallSvgRoutes } from './routes/overall.js'
import { uptimeJsonRoutes, uptimeSvgRoutes } from './routes/uptime.js'
import { createComponentCatalog } from './status/components.js'
import { createPoller, type Clock } from './status/poller.js'
import { createSnapshotSource } from './status/source.js'
import { createUpstreamClient, type UpstreamClient } from './upstream/client.js'
import { USER_AGENT, VERSION } from './version.js'

export interface AppDeps {
  readonly logger?: Logger
  readonly clock?: Clock
  /** Replaces the HTTP client (tests of the routes without a network). */
  readonly client?: UpstreamClient
  readonly random?: () => number
  readonly firstPollWaitMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The prepared representations; tests (and metrics) read their stats. */
    representations: RepresentationCache
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/**
 * Builds the service; never listens (src/server.ts does). Data flows one way:
 * upstream client → poller (lru-cache) → snapshot views → prepared
 * representations → routes. Registration order: caching defaults, lifecycle
 * hooks, the route scopes, the not-found and error handlers.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? { now: Date.now }
  const startedAt = clock.now()
  const ttlMs = config.cacheTtlSeconds * 1000

  const cache = createRepresentationCache()
  const cachePolicy = { maxAgeSeconds: config.badgeMaxAgeSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds }
  const formats = createBadgeFormats({ cache, cachePolicy, startedAt })
  const label = config.badgeLabel

  const logger: FastifyBaseLogger = deps.logger ?? createLogger(config.logLevel)
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: config.trustProxy,
    // /badge.svg/ is /badge.svg: an <img> with a stray slash still gets an image.
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive sockets are closed at shutdown so close() finishes fast.
    forceCloseConnections: 'idle',
    logController: new DebugRequestLog(),
    // Requests that arrive while closing are answered as usual (with
    // Connection: close), not with a bare 503 lacking Cache-Control.
    return503OnClosing: false,
    // A URL the router cannot decode still gets an answer in its format.
    frameworkErrors: badUrl(formats, label),
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Only its Cache-Control fallback is used: a response no route dressed gets
  // no-store. Its ETag store stays empty because reply.etag() is never called:
  // that store would answer 304 for a tag whose content has since changed.
  // Validators are ours (src/http/).
  await app.register(fastifyCaching, { privacy: NO_STORE })

  const client =
    deps.client ??
    createUpstreamClient({
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.upstreamTimeoutMs,
      userAgent: USER_AGENT,
    })
  const metrics = config.metricsEnabled
    ? createMetrics({ poller: () => poller, representations: cache, clock })
    : undefined
  if (metrics) countResponses(app, metrics)
  const poller = createPoller({
    client,
    ttlMs,
    log: app.log.child({ component: 'poller' }),
    clock,
    ...(deps.random && { random: deps.random }),
    ...(metrics && { observe: metrics.observePoll }),
  })
  const { isClosing } = wireLifecycle(app, poller)

  const source = createSnapshotSource({
    poller,
    clock,
    freshness: { ttlMs, staleIfErrorMs: config.staleIfErrorSeconds * 1000, pollGraceMs: config.upstreamTimeoutMs },
    startedAt,
    ...(deps.firstPollWaitMs !== undefined && { firstPollWaitMs: deps.firstPollWaitMs }),
  })
  app.decorate('representations', cache)
  const catalog = createComponentCatalog(config.publicComponents)

  // Three scopes, so that each hook runs only where it is needed: badges and
  // pages carry their security headers with their prepared bytes; CORS is
  // for the JSON; the probes get @fastify/helmet's hooks.
  await app.register(async function images(scope) {
    await scope.register(overallSvgRoutes, { source, formats, label })
    await scope.register(uptimeSvgRoutes, { source, formats })
    await scope.register(componentSvgRoutes, { source, formats, catalog })
    await scope.register(landingRoutes, {
      cache: createRepresentationCache({ maxBytes: 8 * 1024 * 1024, maxVariants: 256 }),
      source,
      catalog,
      label,
      publicUrl: config.publicUrl,
      version: VERSION,
      startedAt,
    })
  })
  await app.register(async function documents(scope) {
    // Before CORS's own hook, which ends a preflight there and then.
    scope.addHook('onRequest', guardPreflight(formats))
    await scope.register(fastifyCors, corsOptions(config.corsOrigins))
    await scope.register(overallJsonRoutes, { source, formats, label })
    await scope.register(uptimeJsonRoutes, { source, formats })
    await scope.register(componentJsonRoutes, { source, formats, catalog })
  })
  await app.register(async function probes(scope) {
    await scope.register(fastifyHelmet, HELMET_OPTIONS)
    await scope.register(healthRoutes, { poller, clock, ttlMs, startedAt, isClosing })
    if (metrics) await scope.register(metricsRoutes, { metrics, token: config.metricsToken })
  })
  setFallbacks(app, formats, label, metrics)
  return app
}
