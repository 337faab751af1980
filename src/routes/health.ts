import type { FastifyInstance } from 'fastify'
import { NO_STORE } from '../badge/cache-policy.js'
import { firstPollsSettled, healthReport } from '../status/health.js'
import type { Clock, Poller } from '../status/poller.js'

const ISO = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } as const

const RESOURCE_HEALTH = {
  type: 'object',
  required: ['updatedAt', 'ageSeconds', 'fresh', 'lastPoll', 'consecutiveFailures', 'nextPollAt'],
  properties: {
    updatedAt: ISO,
    ageSeconds: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    fresh: { type: 'boolean' },
    lastPoll: {
      anyOf: [
        {
          type: 'object',
          required: ['ok', 'at', 'durationMs'],
          properties: {
            ok: { type: 'boolean' },
            at: { type: 'string', format: 'date-time' },
            durationMs: { type: 'integer' },
            error: { type: 'string' },
            reason: { type: 'string' },
            upstreamStatus: { type: 'integer' },
          },
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
    consecutiveFailures: { type: 'integer' },
    nextPollAt: ISO,
  },
  additionalProperties: false,
} as const

export const HEALTH_BODY = {
  type: 'object',
  required: ['status', 'uptimeSeconds', 'polls'],
  properties: {
    status: { const: 'ok' },
    uptimeSeconds: { type: 'integer' },
    polls: {
      type: 'object',
      required: ['status', 'monitors'],
      properties: { status: RESOURCE_HEALTH, monitors: RESOURCE_HEALTH },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const

export const READY_BODY = {
  type: 'object',
  required: ['ready'],
  properties: { ready: { type: 'boolean' }, reason: { type: 'string' } },
  additionalProperties: false,
} as const

export interface HealthRouteOptions {
  readonly poller: Poller
  readonly clock: Clock
  readonly ttlMs: number
  readonly startedAt: number
  readonly isClosing: () => boolean
}

export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { poller, clock, ttlMs, startedAt, isClosing } = options

  app.get(
    '/healthz',
    {
      schema: { summary: 'Liveness, with the age and outcome of the polls', response: { 200: HEALTH_BODY } },
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
        response: { 200: READY_BODY, 503: READY_BODY },
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
