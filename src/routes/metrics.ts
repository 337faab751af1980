import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NO_STORE } from '../badge/cache-policy.js'
import type { Metrics } from '../metrics.js'
import type { Secret } from '../secret.js'
import { ErrorBody } from './schemas.js'

export interface MetricsRouteOptions {
  readonly metrics: Metrics
  /** METRICS_TOKEN: when set, a bearer token is required. */
  readonly token: Secret | undefined
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
}

/** GET /metrics, Prometheus' text format; behind a bearer token when METRICS_TOKEN is set. */
export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRouteOptions> = async (app, { metrics, token }) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        response: { 200: Type.String({ description: 'text/plain; version=0.0.4' }), 401: ErrorBody },
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
