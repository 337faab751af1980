import type { FastifyReply, FastifyRequest } from 'fastify'
import { isNotModified } from './conditional.js'
import type { Served } from './representation.js'

/** Sends a prepared representation, or 304 with the same validators and Cache-Control. */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, served: Served): FastifyReply {
  const { representation } = served
  reply.headers(representation.headers).header('last-modified', served.lastModified)
  if (isNotModified(request.headers, representation.etag, served.lastModifiedMs)) {
    return reply.code(304).send()
  }
  return reply.send(representation.body)
}
