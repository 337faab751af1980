import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NO_STORE } from '../badge/cache-policy.js'
import { firstPollsSettled, healthReport } from '../status/health.js'
import type { Clock, Poller } from '../status/poller.js'

const Iso = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

const ResourceHealth = Type.Object({
  updatedAt: Iso,
  ageSeconds: Type.Union([Type.Integer(), Type.Null()]),
  fresh: Type.Boolean(),
  lastPoll: Type.Union([
    Type.Object({
      ok: Type.Boolean(),
      at: Type.String({ format: 'date-time' }),
      durationMs: Type.Integer(),
      error: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      upstreamStatus: Type.Optional(Type.Integer()),
    }),
    Type.Null(),
  ]),
  consecutiveFailures: Type.Integer(),
  nextPollAt: Iso,
})

export const HealthBody = Type.Object({
  status: Type.Literal('ok'),
  uptimeSeconds: Type.Integer(),
  polls: Type.Object({ status: ResourceHealth, monitors: ResourceHealth }),
})

export const ReadyBody = Type.Object({
  ready: Type.Boolean(),
  reason: Type.Optional(Type.String()),
})

export interface HealthRouteOptions {
  readonly poller: Poller
  readonly clock: Clock
  readonly ttlMs: number
  readonly startedAt: number
  readonly isClosing: () => boolean
}

export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, options) => {
  const { poller, clock, ttlMs, startedAt, isClosing } = options

  app.get(
    '/healthz',
    {
      schema: { summary: 'Liveness, with the age and outcome of the polls', response: { 200: HealthBody } },
    },
    async function healthz(_request, reply) {
      reply.header('cache-control', NO_STORE)
      return healthReport(poller, clock, ttlMs, startedAt)
    },
  )

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: 200 once the first poll has finished',
        response: { 200: ReadyBody, 503: ReadyBody },
      },
    },
    async function readyz(_request, reply) {
      reply.header('cache-control', NO_STORE)
      if (isClosing()) return reply.code(503).send({ ready: false, reason: 'shutting down' })
      if (!firstPollsSettled(poller)) return reply.code(503).send({ ready: false, reason: 'first poll pending' })
      return { ready: true }
    },
  )
}
