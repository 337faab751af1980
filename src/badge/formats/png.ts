import { SECURITY_HEADERS } from '../../http/security.js'
import { badgeCacheControl, shortCacheControl } from '../cache-policy.js'
import type { BadgeError } from '../faces.js'
import type { BadgeFormat, Content } from '../format.js'
import type { BadgeOptions } from '../query.js'
import type { Rasteriser } from '../raster.js'
import { renderSvg } from '../render.js'
import { NOT_MODIFIED } from '../schemas.js'
import { imageOptions, imageQuery, specKey, withLogo } from './image.js'
import { BADGE_ERROR_HEADER, errorKey, errorSpec } from './svg.js'

export const PNG_CONTENT_TYPE = 'image/png'
/** Pixels per SVG unit: sharp on high-density screens, where most badges are seen. */
export const PNG_SCALE = 2
const PNG_BODY = { type: 'string', description: 'image/png badge, drawn at 2x; errors too are images' } as const

/** The PNG of an error badge: rendered once, on the event loop, so it is there when the rasteriser is full. */
function pngError(rasteriser: Rasteriser, label: string, reason: BadgeError, query: unknown, cacheControl: string) {
  const spec = errorSpec(label, reason, query)
  const headers = { ...SECURITY_HEADERS.png, [BADGE_ERROR_HEADER]: reason }
  return {
    key: `png\n${errorKey(spec)}`,
    prepare: () => ({
      body: rasteriser.renderNow(renderSvg(spec)),
      contentType: PNG_CONTENT_TYPE,
      cacheControl,
      headers,
      datable: false,
    }),
  } satisfies Content
}

/**
 * `<path>.png`: the SVG badge, with the same parameters, rasterised at 2x
 * (./raster.ts) on its first request and kept like any other variant, with
 * the same Cache-Control and validators. A render that cannot be made in
 * time, or for which no slot is free, is an error badge ("render timeout",
 * "busy") that lives for seconds.
 */
export const pngFormat: BadgeFormat = (subject, { cachePolicy, logos, rasteriser }) => {
  return {
    url: `${subject.path}.png`,
    scope: 'images',
    alwaysOk: true,
    raster: true,
    schema: {
      ...(subject.params && { params: subject.params }),
      querystring: imageQuery(subject),
      response: { 200: PNG_BODY, 304: NOT_MODIFIED },
    },
    options: imageOptions,
    content(badge, options: BadgeOptions) {
      const cacheControl = badge.known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
      return withLogo(logos, badge, options, (spec) => {
        const key = `png\n${specKey(spec, options)}`
        return {
          key,
          prepare: () =>
            // A failure (busy, render timeout) rejects with a BadgeFailure: the registry answers its error badge.
            rasteriser
              .render(key, renderSvg(spec))
              .then((body) => ({ body, contentType: PNG_CONTENT_TYPE, cacheControl, headers: SECURITY_HEADERS.png })),
        } satisfies Content
      })
    },
    error: (reason, request) =>
      pngError(rasteriser, subject.errorLabel, reason, request.query, shortCacheControl(cachePolicy)),
  }
}
