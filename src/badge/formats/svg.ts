import type { FastifyRequest } from 'fastify'
import { SECURITY_HEADERS } from '../../http/security.js'
import { badgeCacheControl, shortCacheControl } from '../cache-policy.js'
import { errorFace, type BadgeError } from '../faces.js'
import type { BadgeFormat, Content } from '../format.js'
import {
  BADGE_QUERY,
  badgeOptions,
  requestedStyle,
  validationReason,
  type BadgeOptions,
  type BadgeQuery,
} from '../query.js'
import { renderSvg, SVG_CONTENT_TYPE, type BadgeSpec } from '../render.js'
import { NOT_MODIFIED, SVG_BODY } from '../schemas.js'

/** Set on every error answer, so that scripts can tell why without reading an image. */
export const BADGE_ERROR_HEADER = 'x-badge-error'

const specKey = (spec: BadgeSpec) =>
  `${spec.label}\n${spec.message}\n${spec.color}\n${spec.labelColor ?? ''}\n${spec.style ?? ''}`

/** An SVG answer for a spec, cached as long as the badge deserves. */
export function svgContent(spec: BadgeSpec, cacheControl: string, headers = SECURITY_HEADERS.svg): Content {
  return {
    key: specKey(spec),
    prepare: () => ({ body: renderSvg(spec), contentType: SVG_CONTENT_TYPE, cacheControl, headers }),
  }
}

/**
 * An image that says what is wrong: HTTP 200 (an <img> shows any other
 * status as a broken image; GitHub's camo too), short-lived, the reason in
 * X-Badge-Error, in the style asked for when that style is itself valid.
 */
export function svgError(label: string, reason: BadgeError, query: unknown, cacheControl: string): Content {
  const face = errorFace(label, reason)
  const spec: BadgeSpec = { label, message: face.message, color: face.color, style: requestedStyle(query) }
  const content = svgContent(spec, cacheControl, { ...SECURITY_HEADERS.svg, [BADGE_ERROR_HEADER]: reason })
  return {
    key: `error\n${content.key}`,
    prepare: () => ({ ...content.prepare(), datable: false }),
  }
}

/** `<path>.svg`: the badge drawn by badge-maker, with the image query parameters. */
export const svgFormat: BadgeFormat = (subject, { cachePolicy }) => ({
  url: `${subject.path}.svg`,
  scope: 'images',
  alwaysOk: true,
  schema: {
    ...(subject.params && { params: subject.params }),
    querystring: BADGE_QUERY,
    response: { 200: SVG_BODY, 304: NOT_MODIFIED },
  },
  options(request: FastifyRequest): BadgeOptions | BadgeError {
    if (request.validationError) return validationReason(request.validationError)
    return badgeOptions(request.query as BadgeQuery)
  },
  content(badge, options: BadgeOptions) {
    return svgContent(
      {
        label: options.label ?? badge.label,
        message: badge.message,
        // An unknown badge keeps its grey whatever was asked.
        color: (badge.known ? options.color : undefined) ?? badge.color,
        labelColor: options.labelColor,
        style: options.style,
      },
      badge.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy),
    )
  },
  error: (reason, request) => svgError(subject.errorLabel, reason, request.query, shortCacheControl(cachePolicy)),
})
