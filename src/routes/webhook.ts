import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_BODY } from '../badge/schemas.js'
import type { Secret } from '../config/secret.js'
import { RESOURCES, type Clock } from '../status/poller.js'
import { clientKey, createRefusalLimiter, offeredTokens, tokenMatches } from '../webhook/auth.js'
import { readEventName } from '../webhook/events.js'
import type { WebhookReceiver } from '../webhook/receiver.js'
import type { Logger } from 'pino'

export type WebhookResult = 'accepted' | 'unauthorized' | 'rate_limited' | 'too_large' | 'bad_request'

export const WEBHOOK_ACCEPTED = {
  type: 'object',
  required: ['accepted', 'event', 'refresh'],
  properties: {
    accepted: { const: true },
    event: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    refresh: { type: 'array', items: { enum: RESOURCES } },
  },
  additionalProperties: false,
} as const

export interface WebhookRouteOptions {
  /** WEBHOOK_TOKEN: one, or two while rotating. */
  readonly tokens: readonly Secret[]
  readonly receiver: WebhookReceiver
  readonly clock: Clock
  /** A body is read up to `bodyBytes` (413 past it); refusals are counted for `refusedClients` clients. */
  readonly bounds: { readonly bodyBytes: number; readonly refusedClients: number }
  /** Told of every webhook's result (metrics). */
  readonly observe?: (result: WebhookResult) => void
  /** The service's logger (Fastify itself has none). */
  readonly log: Logger
}

/**
 * POST /webhook: the vendor's hint that something changed. The sender is
 * known by a token of ours (webhooks are not signed); the body is read for
 * its event name only; the answer, 202, never waits for the upstream.
 * Registered only when WEBHOOK_TOKEN is set, in a scope of its own: any
 * content type is taken as bytes (JSON or not, an unreadable body refreshes
 * everything), and its errors are answered here.
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { tokens, receiver } = options
  const observe = options.observe ?? (() => undefined)
  const refusals = createRefusalLimiter(options.clock, options.bounds.refusedClients)

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, function keepBytes(_request, body, done) {
    done(null, body)
  })

  app.setErrorHandler(function webhookFailed(error: FastifyError, request, reply) {
    const status = error.statusCode ?? 500
    if (status === 413) {
      observe('too_large')
      return reply.code(413).send({ error: 'payload too large' })
    }
    if (status >= 400 && status < 500) {
      observe('bad_request')
      return reply.code(status).send({ error: 'bad request' })
    }
    options.log.error({ err: error, reqId: request.id }, 'request failed')
    return reply.code(500).send({ error: 'internal server error' })
  })

  /** Before the body is read: a stranger costs a comparison, never a parse. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const client = clientKey(request.ip)
    const waitMs = refusals.blockedFor(client)
    if (waitMs > 0) {
      observe('rate_limited')
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(waitMs / 1000)))
        .send({ error: 'too many requests' })
    }
    if (tokenMatches(tokens, offeredTokens(request))) return undefined
    observe('unauthorized')
    if (refusals.refuse(client)) {
      options.log.warn({ client }, 'webhook: too many wrong or missing tokens from one client, refused for a minute')
    }
    return reply.code(401).header('www-authenticate', 'Bearer realm="webhook"').send({ error: 'unauthorized' })
  }

  app.post(
    '/webhook',
    {
      bodyLimit: options.bounds.bodyBytes,
      onRequest: authenticate,
      schema: {
        summary: "The monitor's webhook: refreshes what the event names, in the background",
        response: { 202: WEBHOOK_ACCEPTED, 401: ERROR_BODY, 413: ERROR_BODY, 429: ERROR_BODY },
      },
    },
    async function webhook(request, reply) {
      const body = Buffer.isBuffer(request.body) ? request.body : undefined
      const event = readEventName(body, request.headers['content-type'])
      const { refresh } = receiver.receive(event)
      observe('accepted')
      return reply.code(202).send({ accepted: true, event: event ?? null, refresh: Object.keys(refresh) })
    },
  )
}
