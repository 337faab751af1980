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
import { createLogger } from './logger.js'
import { componentRoutes } from './routes/components.js'
import { healthRoutes } from './routes/health.js'
import { landingRoutes } from './routes/landing.js'
import { setNotFound } from './routes/not-found.js'
import { overallRoutes } from './routes/overall.js'
import { uptimeRoutes } from './routes/uptime.js'
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
 * representations → routes. Registration order: caching defaults, security
 * headers, CORS, lifecycle hooks, routes, the not-found handler.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? { now: Date.now }
  const startedAt = clock.now()
  const ttlMs = config.cacheTtlSeconds * 1000

  const logger: FastifyBaseLogger = deps.logger ?? createLogger(config.logLevel)
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: config.trustProxy,
    // /badge.svg/ is /badge.svg: an <img> with a stray slash still gets an image.
    routerOptions: { ignoreTrailingSlash: true },
    // Idle keep-alive sockets are closed at shutdown so close() finishes fast.
    forceCloseConnections: 'idle',
    disableRequestLogging: true,
    // Requests that arrive while closing are answered as usual (with
    // Connection: close), not with a bare 503 lacking Cache-Control.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Only its Cache-Control fallback is used: a response no route dressed gets
  // no-store. Its ETag store stays empty because reply.etag() is never called:
  // that store would answer 304 for a tag whose content has since changed.
  // Validators are ours (src/http/).
  await app.register(fastifyCaching, { privacy: NO_STORE })
  await app.register(fastifyHelmet, HELMET_OPTIONS)
  await app.register(fastifyCors, corsOptions(config.corsOrigins))

  const client =
    deps.client ??
    createUpstreamClient({
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.upstreamTimeoutMs,
      userAgent: USER_AGENT,
    })
  const poller = createPoller({
    client,
    ttlMs,
    log: app.log.child({ component: 'poller' }),
    clock,
    ...(deps.random && { random: deps.random }),
  })
  const { isClosing } = wireLifecycle(app, poller)

  const source = createSnapshotSource({
    poller,
    clock,
    freshness: { ttlMs, staleIfErrorMs: config.staleIfErrorSeconds * 1000, pollGraceMs: config.upstreamTimeoutMs },
    startedAt,
    ...(deps.firstPollWaitMs !== undefined && { firstPollWaitMs: deps.firstPollWaitMs }),
  })
  const cache = createRepresentationCache()
  app.decorate('representations', cache)
  const cachePolicy = { maxAgeSeconds: config.badgeMaxAgeSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds }
  const formats = createBadgeFormats({ cache, cachePolicy, startedAt })
  const catalog = createComponentCatalog(config.publicComponents)
  const label = config.badgeLabel

  await app.register(overallRoutes, { source, formats, label })
  await app.register(uptimeRoutes, { source, formats })
  await app.register(componentRoutes, { source, formats, catalog })
  await app.register(landingRoutes, {
    cache: createRepresentationCache({ maxBytes: 1024 * 1024, maxVariants: 256 }),
    source,
    catalog,
    label,
    publicUrl: config.publicUrl,
    version: VERSION,
    startedAt,
  })
  await app.register(healthRoutes, { poller, clock, ttlMs, startedAt, isClosing })
  setNotFound(app, formats, label)
  return app
}
