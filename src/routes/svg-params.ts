import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { BadgeError } from '../badge/faces.js'
import { badgeParams, validationReason, type BadgeParams, type BadgeQuery } from '../badge/params.js'

/**
 * An SVG route's parameters, or why they cannot be honoured. SVG routes use
 * attachValidation: a bad parameter gets an image that says so, never a 400
 * that an <img> would show as broken.
 */
export function svgParams(
  request: FastifyRequest<{ Querystring: Static<typeof BadgeQuery> }>,
): BadgeParams | BadgeError {
  if (request.validationError) return validationReason(request.validationError)
  return badgeParams(request.query)
}
