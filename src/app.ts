import fastifyCaching from '@fastify/caching'
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
import { createStatusRepresentations } from './badge/status-representations.js'
import type { Config } from './config.js'
import { createRepresentationCache } from './http/representation.js'
import { createLogger } from './logger.js'
import { badgeRoutes } from './routes/badge.js'
import { healthRoutes } from './routes/health.js'
import { createPoller, type Clock, type Poller } from './status/poller.js'
import { createSnapshotSource } from './status/source.js'
import { createUpstreamClient, type UpstreamClient } from './upstream/client.js'
import { USER_AGENT } from './version.js'

export interface AppDeps {
  readonly logger?: Logger
  readonly clock?: Clock
  /** Replaces the HTTP client (tests of the routes without a network). */
  readonly client?: UpstreamClient
  readonly random?: () => number
  readonly firstPollWaitMs?: number
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

declare module 'fastify' {
  interface FastifyInstance {
    /** The background poller; tests drive it directly. */
    poller: Poller
    /** Stops polling and turns /readyz to 503; close() still drains requests. */
    beginShutdown(): void
  }
}

/**
 * Builds the service; never listens (src/server.ts does). Registration order:
 * logger → caching defaults → the poller's lifecycle hooks → routes.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? { now: Date.now }
  const startedAt = clock.now()
  const ttlMs = config.cacheTtlSeconds * 1000

  const logger: FastifyBaseLogger = deps.logger ?? createLogger(config.logLevel)
  const app = Fastify({
    loggerInstance: logger,
    // Idle keep-alive sockets are closed at shutdown so close() finishes fast.
    forceCloseConnections: 'idle',
    disableRequestLogging: true,
    // Requests that arrive while closing are answered as usual (with
    // Connection: close, below), not with a bare 503 lacking Cache-Control.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Only its Cache-Control fallback is used: a response no route dressed gets
  // no-store (errors and 404s included). Its ETag store stays empty because
  // reply.etag() is never called: that store would answer 304 for a tag whose
  // content has since changed. Validators are ours (src/http/).
  await app.register(fastifyCaching, { privacy: NO_STORE })

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
  app.decorate('poller', poller)

  let closing = false
  app.decorate('beginShutdown', function beginShutdown() {
    closing = true
    poller.stop()
  })
  app.addHook('onReady', async function startPolling() {
    poller.start()
  })
  app.addHook('preClose', async function stopPolling() {
    app.beginShutdown()
  })
  // close() ends only idle keep-alive sockets; one busy at that moment would
  // linger after its answer until the keep-alive timeout. Ask it to close.
  app.addHook('onSend', function closeConnectionWhenClosing(_request, reply, payload, done) {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  // One line per request, at debug: at info it would halve the badge
  // throughput (bench/throughput.mjs) and flood the logs of a busy embed.
  app.addHook('onResponse', function logRequest(request, reply, done) {
    if (request.log.level === 'debug' || request.log.level === 'trace') {
      request.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    }
    done()
  })

  const source = createSnapshotSource({
    poller,
    clock,
    freshness: {
      ttlMs,
      staleIfErrorMs: config.staleIfErrorSeconds * 1000,
      pollGraceMs: config.upstreamTimeoutMs,
    },
    startedAt,
    ...(deps.firstPollWaitMs !== undefined && { firstPollWaitMs: deps.firstPollWaitMs }),
  })
  const representations = createStatusRepresentations({
    label: config.badgeLabel,
    cache: createRepresentationCache(),
    cachePolicy: { maxAgeSeconds: config.badgeMaxAgeSeconds, staleIfErrorSeconds: config.staleIfErrorSeconds },
  })

  await app.register(badgeRoutes, { source, representations })
  await app.register(healthRoutes, { poller, clock, ttlMs, startedAt, isClosing: () => closing })
  return app
}
