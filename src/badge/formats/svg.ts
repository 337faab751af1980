import { SECURITY_HEADERS } from '../../http/security.js'
import { badgeCacheControl, shortCacheControl } from '../cache-policy.js'
import { errorFace, type BadgeError } from '../faces.js'
import type { BadgeFormat, Content } from '../format.js'
import { requestedStyle, type BadgeOptions } from '../query.js'
import { renderSvg, SVG_CONTENT_TYPE, type BadgeSpec } from '../render.js'
import { NOT_MODIFIED, SVG_BODY } from '../schemas.js'
import { imageOptions, imageQuery, specKey, withLogo } from './image.js'

/** Set on every error answer, so that scripts can tell why without reading an image. */
export const BADGE_ERROR_HEADER = 'x-badge-error'

/** An SVG answer for a spec, cached as long as the badge deserves. */
export function svgContent(
  key: string,
  spec: BadgeSpec,
  cacheControl: string,
  headers = SECURITY_HEADERS.svg,
): Content {
  return {
    key,
    prepare: () => ({ body: renderSvg(spec), contentType: SVG_CONTENT_TYPE, cacheControl, headers }),
  }
}

/** An error badge's spec: its own words and colours, in the style asked for when that style is itself valid. */
export function errorSpec(label: string, reason: BadgeError, query: unknown): BadgeSpec {
  const face = errorFace(label, reason)
  return { label, message: face.message, color: face.color, style: requestedStyle(query) }
}

export const errorKey = (spec: BadgeSpec) => `error\n${spec.label}\n${spec.message}\n${spec.color}\n${spec.style ?? ''}`

/**
 * An image that says what is wrong: HTTP 200 (an <img> shows any other
 * status as a broken image; GitHub's camo too), short-lived, the reason in
 * X-Badge-Error, in the style asked for when that style is itself valid.
 */
export function svgError(label: string, reason: BadgeError, query: unknown, cacheControl: string): Content {
  const spec = errorSpec(label, reason, query)
  const headers = { ...SECURITY_HEADERS.svg, [BADGE_ERROR_HEADER]: reason }
  return {
    key: errorKey(spec),
    prepare: () => ({ body: renderSvg(spec), contentType: SVG_CONTENT_TYPE, cacheControl, headers, datable: false }),
  }
}

/** `<path>.svg`: the badge drawn by badge-maker, with the image query parameters. */
export const svgFormat: BadgeFormat = (subject, { cachePolicy, logos }) => ({
  url: `${subject.path}.svg`,
  scope: 'images',
  alwaysOk: true,
  schema: {
    ...(subject.params && { params: subject.params }),
    querystring: imageQuery(subject),
    response: { 200: SVG_BODY, 304: NOT_MODIFIED },
  },
  options: imageOptions,
  content(badge, options: BadgeOptions) {
    const cacheControl = badge.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
    return withLogo(logos, badge, options, (spec) => svgContent(specKey(spec, options), spec, cacheControl))
  },
  error: (reason, request) => svgError(subject.errorLabel, reason, request.query, shortCacheControl(cachePolicy)),
})
