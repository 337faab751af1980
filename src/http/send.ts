import type { FastifyReply, FastifyRequest } from 'fastify'
import { isNotModified } from './conditional.js'
import type { Served } from './representation.js'

function dress(reply: FastifyReply, served: Served): FastifyReply {
  return reply.headers(served.representation.headers).header('last-modified', served.lastModified)
}

/** Sends a prepared representation, or 304 with the same validators and Cache-Control. */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, served: Served): FastifyReply {
  dress(reply, served)
  if (isNotModified(request.headers, served.representation.etag, served.lastModifiedMs)) {
    return reply.code(304).send()
  }
  return reply.send(served.representation.body)
}

/** Sends a prepared error body with its real status (no conditional handling). */
export function sendStatus(reply: FastifyReply, statusCode: number, served: Served): FastifyReply {
  return dress(reply, served).code(statusCode).send(served.representation.body)
}
