import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ResponseCounts } from '../observability/response-counts.js'
import { isNotModified } from './conditional.js'
import { chooseEncoding } from './encoding.js'
import { wire, type Encoded, type Representation } from './prepared.js'

/** Adds Accept-Encoding to Vary, keeping what CORS put there (Origin). */
function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary')
  reply.header('vary', typeof current === 'string' && current ? `${current}, Accept-Encoding` : 'Accept-Encoding')
}

/** The form of `rep` the client accepts: a compressed one held for its Accept-Encoding, or the identity. */
function encodingFor(request: FastifyRequest, rep: Representation): Encoded {
  if (!rep.encoded) return rep
  const encoding = chooseEncoding(request.headers)
  return (encoding && rep.encoded[encoding]) || rep
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
 *
 * `send` goes through Fastify's reply, keeping any header a hook set on it
 * (CORS for a list of origins). `direct` writes the representation's
 * prepared header block (its Wire) and bytes to node:http itself, for
 * routes where no hook sets a header: Fastify's reply would copy the
 * headers one by one into an object, parse the Content-Type again and
 * measure the body again at every send. The same headers either way, but
 * that a 304 says no Content-Length. A hook on a direct route would be
 * skipped: test/http/hooks.test.ts fails on any but those it names.
 */
export function createResponder({ closing, counts }: ResponderOptions) {
  function send(route: string, request: FastifyRequest, reply: FastifyReply, rep: Representation): FastifyReply {
    if (rep.encoded) varyOnEncoding(reply)
    const chosen = encodingFor(request, rep)
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

  function direct(route: string, request: FastifyRequest, reply: FastifyReply, rep: Representation): FastifyReply {
    const chosen = encodingFor(request, rep)
    // Every representation a direct route sends comes from represent(), which made its block; one made
    // by hand (the landing page makes its own, and is sent by `send`) would have it made here.
    const block = chosen.wire ?? wire(chosen, rep.encoded !== undefined)
    const res = reply.raw
    if (rep.conditional && isNotModified(request.headers, chosen.validators)) {
      res.writeHead(304, closing() ? [...block.notModified, 'connection', 'close'] : (block.notModified as string[]))
      res.end()
      counts.count(route, 304)
    } else {
      res.writeHead(rep.statusCode, closing() ? [...block.ok, 'connection', 'close'] : (block.ok as string[]))
      res.end(chosen.body)
      counts.count(route, rep.statusCode, chosen.headers['x-badge-error'])
    }
    // Told once it is written, so that a writeHead that throws leaves the reply to the error handler.
    // Fastify's onResponse hooks still run: they listen for the response's end.
    return reply.hijack()
  }

  return { send, direct }
}

export type Send = ReturnType<typeof createResponder>['send']
