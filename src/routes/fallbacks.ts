import { STATUS_CODES } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { BadgeFormats } from '../badge/formats.js'
import { NO_PARAMS } from '../badge/params.js'
import { SECURITY_HEADERS } from '../http/security.js'
import { sendRepresentation, sendStatus } from '../http/send.js'
import { UNMATCHED_ROUTE, type Metrics } from '../metrics.js'

const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? ''

/**
 * Answers for what no route answers, in the format asked for: an image for
 * *.svg (a typo in an <img> shows "not found", not a broken image), shields'
 * JSON for *.shields.json, else a JSON 404. Errors thrown anywhere become a
 * JSON body naming only the status, never the error's own text.
 */
export function setFallbacks(app: FastifyInstance, formats: BadgeFormats, label: string, metrics?: Metrics): void {
  function notFoundIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const readable = request.method === 'GET' || request.method === 'HEAD'
    const path = pathOf(request)
    if (readable && path.endsWith('.svg')) {
      return sendRepresentation(request, reply, formats.errorSvg(`unmatched:${path}`, label, 'not found', NO_PARAMS))
    }
    if (readable && path.endsWith('.shields.json')) {
      return sendRepresentation(request, reply, formats.errorShields(`unmatched:${path}`, label, 'not found'))
    }
    return sendStatus(request, reply, 404, formats.errorJson('not found'))
  }

  app.setNotFoundHandler(function notFound(request, reply) {
    const sent = notFoundIn(request, reply)
    // Routes count their own answers (src/metrics.ts); this one has no route.
    metrics?.observeResponse(UNMATCHED_ROUTE, sent.statusCode, 'not found')
    return sent
  })

  app.setErrorHandler(function failed(error: { statusCode?: number }, request, reply) {
    const { statusCode } = error
    const status = statusCode !== undefined && statusCode >= 400 && statusCode < 500 ? statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    const reason = (STATUS_CODES[status] ?? 'error').toLowerCase()
    return sendStatus(request, reply, status, formats.errorJson(reason))
  })
}

/** Fastify's frameworkErrors: a URL the router cannot decode (bad percent-encoding). */
export function badUrl(formats: BadgeFormats, label: string) {
  return function frameworkError(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
    const readable = request.method === 'GET' || request.method === 'HEAD'
    const path = pathOf(request)
    if (readable && path.endsWith('.svg')) {
      void sendRepresentation(request, reply, formats.errorSvg(`unmatched:${path}`, label, 'not found', NO_PARAMS))
    } else void sendStatus(request, reply, 400, formats.errorJson('bad request'))
  }
}

/**
 * An onRequest hook for the JSON scope, ahead of @fastify/cors (whose
 * catch-all OPTIONS route would answer a preflight for any path): preflights
 * are answered for the JSON routes only, and dressed like every other answer.
 */
export function guardPreflight(formats: BadgeFormats) {
  return function preflightForJsonOnly(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    if (request.method !== 'OPTIONS') {
      done()
      return
    }
    reply.headers(SECURITY_HEADERS.json)
    if (pathOf(request).endsWith('.json')) done()
    else void sendStatus(request, reply, 404, formats.errorJson('not found'))
  }
}
