import type { FastifyRequest } from 'fastify'
import type { BadgeError, Face } from '../faces.js'
import {
  documentOptions,
  querySchema,
  DOCUMENT_QUERY,
  validationReason,
  type DocumentOptions,
  type Query,
} from '../query.js'
import type { Badge, Subject } from '../subject.js'

/** The query schema of a subject's documents (.json, .shields.json): words and colours per state. */
export const documentQuery = (subject: Subject) => querySchema(DOCUMENT_QUERY, subject.query)

/** A document route's options, or why they fail; `badId` is what a bad path parameter means in this format. */
export function documentRouteOptions(request: FastifyRequest, badId: BadgeError): DocumentOptions | BadgeError {
  const failed = request.validationError
  if (failed) return failed.validationContext === 'params' ? badId : validationReason(failed)
  return documentOptions(request.query as Query)
}

/** A badge's message and colour with the request's words and colours per state. */
export function documentFace(badge: Badge, options: DocumentOptions): Face {
  const { state } = badge
  return {
    message: (state && options.words.messages[state]) ?? badge.message,
    color: (state && options.words.colors[state]) ?? badge.color,
  }
}
