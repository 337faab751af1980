import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ResponseCounts } from '../observability/response-counts.js'
import { isNotModified } from './conditional.js'
import { chooseEncoding } from './encoding.js'
import type { Encoded, Representation } from './prepared.js'

/** Adds Accept-Encoding to Vary, keeping what CORS put there (Origin). */
function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary')
  reply.header('vary', typeof current === 'string' && current ? `${current}, Accept-Encoding` : 'Accept-Encoding')
}

export interface ResponderOptions {
  /** Shutdown has begun: ask keep-alive clients to reconnect elsewhere. */
  readonly closing: () => boolean
  readonly counts: ResponseCounts
}

/**
 * Sends prepared representations: the one place a prepared answer meets a
 * reply. It picks the encoding, answers 304 when the validators match, and
 * counts the answer for /metrics, by route pattern; nothing else.
 */
export function createResponder({ closing, counts }: ResponderOptions) {
  return function send(route: string, request: FastifyRequest, reply: FastifyReply, rep: Representation): FastifyReply {
    let chosen: Encoded = rep
    if (rep.encoded) {
      varyOnEncoding(reply)
      const encoding = chooseEncoding(request.headers)
      chosen = (encoding && rep.encoded[encoding]) || rep
    }
    if (closing()) reply.header('connection', 'close')
    reply.headers(chosen.headers)
    if (rep.conditional && isNotModified(request.headers, chosen.validators)) {
      counts.count(route, 304)
      return reply.code(304).send()
    }
    counts.count(route, rep.statusCode, chosen.headers['x-badge-error'])
    if (rep.statusCode !== 200) reply.code(rep.statusCode)
    return reply.send(chosen.body)
  }
}

export type Send = ReturnType<typeof createResponder>
