import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { maskUrl } from './logger.js'

/** What a request line says: never headers, never a body. */
export function requestLine(request: FastifyRequest, reply: FastifyReply) {
  return {
    reqId: request.id,
    // The webhook's token travels in its query (the vendor's dashboard takes only a URL): masked.
    req: { method: request.method, url: maskUrl(request.url), host: request.host, remoteAddress: request.ip },
    res: { statusCode: reply.statusCode },
    responseTime: reply.elapsedTime,
  }
}

/**
 * One line per request, at debug, and only when the level is debug or
 * trace. Fastify is given no logger (src/app.ts): with one, it makes a child
 * logger for every request and listens for the end of every response to
 * log it, some 3 µs of a 30 µs badge even when nothing is logged. So the
 * service logs what it means to, itself, and this hook exists only when its
 * lines would be written.
 */
export function logRequests(app: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('debug')) return
  app.addHook('onResponse', function logRequest(request, reply, done) {
    logger.debug(requestLine(request, reply), 'request completed')
    done()
  })
}
