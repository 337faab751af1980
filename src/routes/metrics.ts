import type { FastifyInstance } from 'fastify'
import { NO_STORE } from '../badge/cache-policy.js'
import { ERROR_BODY } from '../badge/schemas.js'
import type { Secret } from '../config/secret.js'
import type { Metrics } from '../observability/metrics.js'

export interface MetricsRouteOptions {
  readonly metrics: Metrics
  /** METRICS_TOKEN: when set, a bearer token is required. */
  readonly token: Secret | undefined
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
}

/** GET /metrics, Prometheus' text format; behind a bearer token when METRICS_TOKEN is set. */
export async function metricsRoutes(app: FastifyInstance, { metrics, token }: MetricsRouteOptions): Promise<void> {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        response: { 200: { type: 'string', description: 'text/plain; version=0.0.4' }, 401: ERROR_BODY },
      },
    },
    async function metricsText(request, reply) {
      reply.header('cache-control', NO_STORE)
      if (token) {
        const offered = bearer(request.headers.authorization)
        if (offered === undefined || !token.equals(offered)) {
          return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'unauthorized' })
        }
      }
      const text = await metrics.registry.metrics()
      return reply.type(metrics.registry.contentType).send(text)
    },
  )
}
