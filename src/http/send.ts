import type { FastifyReply, FastifyRequest } from 'fastify'
import { chooseEncoding } from './accept-encoding.js'
import { isNotModified } from './conditional.js'
import { ENCODINGS, type Encoding, type Representation, type Served } from './representation.js'

/** Adds a field to Vary, keeping what another plugin (CORS: Origin) put there. */
function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary')
  const fields = typeof current === 'string' && current ? current.split(/\s*,\s*/) : []
  if (!fields.some((f) => f.toLowerCase() === field.toLowerCase())) fields.push(field)
  reply.header('vary', fields.join(', '))
}

/** The body and ETag to send: a compressed form when the client accepts one (br first). */
function pickEncoded(request: FastifyRequest, reply: FastifyReply, representation: Representation) {
  const { encoded } = representation
  if (!encoded) return { body: representation.body, etag: representation.etag }
  addVary(reply, 'Accept-Encoding')
  const encoding = chooseEncoding<Encoding>(request.headers['accept-encoding'], ENCODINGS)
  if (!encoding) return { body: representation.body, etag: representation.etag }
  reply.header('content-encoding', encoding)
  return encoded[encoding]
}

function dress(request: FastifyRequest, reply: FastifyReply, served: Served) {
  const chosen = pickEncoded(request, reply, served.representation)
  reply.headers(served.representation.headers).header('etag', chosen.etag).header('last-modified', served.lastModified)
  return chosen
}

/** Sends a prepared representation, or 304 with the same validators and Cache-Control. */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, served: Served): FastifyReply {
  const { body, etag } = dress(request, reply, served)
  if (isNotModified(request.headers, etag, served.lastModifiedMs)) return reply.code(304).send()
  return reply.send(body)
}

/** Sends a prepared error body with its real status (no conditional handling). */
export function sendStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  served: Served,
): FastifyReply {
  const { body } = dress(request, reply, served)
  return reply.code(statusCode).send(body)
}
