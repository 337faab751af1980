import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { Logger } from 'pino'
import { NO_STORE } from '../badge/cache-policy.js'
import { jsonError } from '../badge/formats/json.js'
import type { BadgeError } from '../badge/faces.js'
import { UNMATCHED_ROUTE, type BadgeRegistry } from '../badge/registry.js'
import { represent, type Representation } from '../http/prepared.js'
import type { Send } from '../http/responder.js'
import { SECURITY_HEADERS } from '../http/security.js'

const readable = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD'

/**
 * Answers for what no route answers. A GET for a URL whose suffix names an
 * image or shields JSON gets "not found" in that format (the registry's);
 * anything else a JSON error with its real status. The JSON errors are made
 * once, here.
 */
export function createFallbacks(registry: BadgeRegistry, send: Send, logger: Logger) {
  /** The JSON errors with these headers, each made once. */
  function errorAnswers(headers: Readonly<Record<string, string>>) {
    const answers = new Map<BadgeError, Representation>()
    return (reason: BadgeError) => {
      let answer = answers.get(reason)
      if (!answer) answers.set(reason, (answer = represent(jsonError(reason, headers).prepare(), 0)))
      return answer
    }
  }
  const json = errorAnswers(SECURITY_HEADERS.json)
  function failedWith(errors: (reason: BadgeError) => Representation) {
    return function failed(error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) {
      const { statusCode } = error
      if (statusCode === undefined || statusCode >= 500) {
        logger.error({ err: error, reqId: request.id }, 'request failed')
        return send(request.routeOptions.url ?? UNMATCHED_ROUTE, request, reply, errors('internal server error'))
      }
      // A client error Fastify raised (a malformed preflight, say): its status, our body.
      return send(request.routeOptions.url ?? UNMATCHED_ROUTE, request, reply, {
        ...errors('bad request'),
        statusCode: statusCode >= 400 && statusCode < 500 ? statusCode : 400,
      })
    }
  }
  const answer = (request: FastifyRequest, reply: FastifyReply, reason: BadgeError, jsonReason: BadgeError) =>
    (readable(request) && registry.answerUnmatched(request, reply, reason)) ||
    send(UNMATCHED_ROUTE, request, reply, json(jsonReason))

  return {
    /** Fastify's frameworkErrors: a URL the router cannot decode (bad percent-encoding). */
    badUrl: (_error: Error, request: FastifyRequest, reply: FastifyReply): void => {
      void answer(request, reply, 'not found', 'bad request')
    },

    /** The root's not-found and error handlers (the badge routes handle their own errors). */
    install: (app: FastifyInstance): void => {
      app.setNotFoundHandler(function notFound(request, reply) {
        return answer(request, reply, 'not found', 'not found')
      })
      app.setErrorHandler(failedWith(json))
    },

    /** The JSON scope's error handler: its answers carry the JSON answers' headers (CORS's among them). */
    jsonErrors: (headers: Readonly<Record<string, string>>) => failedWith(errorAnswers(headers)),

    /**
     * An onRequest hook for the JSON scope, ahead of @fastify/cors (whose
     * catch-all OPTIONS route would answer a preflight for any path):
     * preflights are answered for the JSON routes only, and dressed like
     * every other answer.
     */
    guardPreflight: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      if (request.method !== 'OPTIONS') {
        done()
        return
      }
      // CORS replaces Cache-Control on a preflight it answers; a refused one keeps this.
      reply.headers({ ...SECURITY_HEADERS.json, 'cache-control': NO_STORE })
      if ((request.url.split('?', 1)[0] ?? '').endsWith('.json')) done()
      else void send(UNMATCHED_ROUTE, request, reply, json('not found'))
    },
  }
}
