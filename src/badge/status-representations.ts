import type { Served, RepresentationCache } from '../http/representation.js'
import { toStatusView, type StatusView } from '../status/status-view.js'
import type { SnapshotView } from '../status/view.js'
import type { StatusData } from '../upstream/schema.js'
import { badgeCacheControl, shortCacheControl, type CachePolicyOptions } from './cache-policy.js'
import { BADGE_COLORS } from './colors.js'
import { SVG_CONTENT_TYPE, renderSvg } from './render.js'
import { STATUS_FACES } from './status-badge.js'

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export interface StatusRepresentationOptions {
  readonly label: string
  readonly cache: RepresentationCache
  readonly cachePolicy: CachePolicyOptions
}

/**
 * The overall badge, as SVG and as JSON, prepared once per distinct content.
 * The source hands out one view object per state, so the last answer per
 * route is kept by the view's identity: a request on an unchanged state
 * does two reference comparisons and sends bytes.
 */
export function createStatusRepresentations({ label, cache, cachePolicy }: StatusRepresentationOptions) {
  const cacheControlFor = (view: StatusView) =>
    view.status === 'unknown' ? shortCacheControl() : badgeCacheControl(cachePolicy)

  function lastPer(serve: (view: StatusView) => Served) {
    let last: { source: SnapshotView<StatusData>; served: Served } | undefined
    return (source: SnapshotView<StatusData>): Served => {
      if (last?.source !== source) last = { source, served: serve(toStatusView(source)) }
      return last.served
    }
  }

  function svg(view: StatusView): Served {
    // Only the status decides these bytes: the stale flag and poll time do not show.
    return cache.serve('badge.svg', view.status, view.asOf, () => {
      const face = STATUS_FACES[view.status]
      return {
        body: renderSvg({ label, message: face.message, color: face.color }),
        contentType: SVG_CONTENT_TYPE,
        cacheControl: cacheControlFor(view),
      }
    })
  }

  function json(view: StatusView): Served {
    const stateKey = `${view.status}|${view.updatedAt ?? ''}|${String(view.stale)}`
    return cache.serve('badge.json', stateKey, view.asOf, () => {
      const face = STATUS_FACES[view.status]
      return {
        body: JSON.stringify({
          status: view.status,
          label,
          message: face.message,
          color: BADGE_COLORS[face.color],
          updatedAt: view.updatedAt,
          stale: view.stale,
        }),
        contentType: JSON_CONTENT_TYPE,
        cacheControl: cacheControlFor(view),
      }
    })
  }

  return { svg: lastPer(svg), json: lastPer(json) }
}

export type StatusRepresentations = ReturnType<typeof createStatusRepresentations>
