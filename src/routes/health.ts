import type { FastifyInstance } from 'fastify'
import { NO_STORE } from '../badge/cache-policy.js'
import { firstPollsSettled, healthReport, type HealthSources } from '../status/health.js'
import { RESOURCES } from '../status/poller.js'

const ISO = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } as const

const RESOURCE_HEALTH = {
  type: 'object',
  required: ['updatedAt', 'ageSeconds', 'fresh', 'lastCode', 'lastPoll', 'consecutiveFailures', 'nextPollAt'],
  properties: {
    updatedAt: ISO,
    ageSeconds: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
    fresh: { type: 'boolean' },
    /** "OK", or the last poll's error code; null before the first. */
    lastCode: { anyOf: [{ type: 'string' }, { type: 'null' }] },
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

const BUDGET_WINDOW = {
  type: 'object',
  required: ['limit', 'left'],
  properties: { limit: { type: 'integer' }, left: { type: 'integer' } },
  additionalProperties: false,
} as const

const REFRESH_ACTION = { enum: ['started', 'scheduled', 'coalesced'] } as const

const WEBHOOK_HEALTH = {
  type: 'object',
  required: ['enabled', 'last'],
  properties: {
    enabled: { type: 'boolean' },
    last: {
      anyOf: [
        {
          type: 'object',
          required: ['receivedAt', 'event', 'refresh'],
          properties: {
            receivedAt: { type: 'string', format: 'date-time' },
            event: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            refresh: {
              type: 'object',
              properties: Object.fromEntries(RESOURCES.map((resource) => [resource, REFRESH_ACTION])),
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
  },
  additionalProperties: false,
} as const

export const HEALTH_BODY = {
  type: 'object',
  required: ['status', 'uptimeSeconds', 'pollEverySeconds', 'polls', 'budget', 'webhook'],
  properties: {
    status: { const: 'ok' },
    uptimeSeconds: { type: 'integer' },
    pollEverySeconds: { type: 'integer' },
    polls: {
      type: 'object',
      required: ['status', 'monitors'],
      properties: { status: RESOURCE_HEALTH, monitors: RESOURCE_HEALTH },
      additionalProperties: false,
    },
    budget: {
      type: 'object',
      required: ['minute', 'hour'],
      properties: { minute: BUDGET_WINDOW, hour: BUDGET_WINDOW },
      additionalProperties: false,
    },
    webhook: WEBHOOK_HEALTH,
  },
  additionalProperties: false,
} as const

export const READY_BODY = {
  type: 'object',
  required: ['ready'],
  properties: { ready: { type: 'boolean' }, reason: { type: 'string' } },
  additionalProperties: false,
} as const

export interface HealthRouteOptions extends HealthSources {
  readonly isClosing: () => boolean
}

export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { poller, isClosing } = options

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness, with the age and outcome of the polls, the upstream budget and the last webhook',
        response: { 200: HEALTH_BODY },
      },
    },
    async function healthz(_request, reply) {
      reply.header('cache-control', NO_STORE)
      return healthReport(options)
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
