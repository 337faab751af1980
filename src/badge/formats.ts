import type { RepresentationCache, Served } from '../http/representation.js'
import { SECURITY_HEADERS } from '../http/security.js'
import type { SnapshotView } from '../status/view.js'
import { BADGE_COLORS } from './colors.js'
import {
  badgeCacheControl,
  NO_STORE,
  shieldsCacheSeconds,
  shortCacheControl,
  type CachePolicyOptions,
} from './cache-policy.js'
import { errorFace, type BadgeError, type BadgeFace } from './faces.js'
import type { BadgeParams } from './params.js'
import { badgeText, renderSvg, SVG_CONTENT_TYPE } from './render.js'

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'
/** Set on every error answer, so that scripts can tell why without reading an image. */
export const BADGE_ERROR_HEADER = 'x-badge-error'

export interface BadgeFormatOptions {
  readonly cache: RepresentationCache
  readonly cachePolicy: CachePolicyOptions
  /** Last-Modified of answers that never change (errors). */
  readonly startedAt: number
}

const faceKey = (face: BadgeFace) => `${face.label}\n${face.message}\n${face.color}\n${String(face.known)}`

/** A URL's variant in the representation cache: the route and its canonical parameters. */
const variantOf = (route: string, params: BadgeParams | undefined) =>
  params === undefined ? `${route}?!` : params.key ? `${route}?${params.key}` : route

/**
 * Every badge in its formats (SVG, JSON, shields.io endpoint JSON), each
 * prepared once per distinct content through the representation cache.
 * `route` names the URL without its query; with the canonical parameters it
 * is the cache's variant, whose Last-Modified history spans whatever the URL
 * answers, errors included, so it only ever moves forward.
 */
export function createBadgeFormats({ cache, cachePolicy, startedAt }: BadgeFormatOptions) {
  const cacheControl = (known: boolean) => (known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy))

  function svg(route: string, face: BadgeFace, params: BadgeParams, asOf: number): Served {
    return cache.serve(variantOf(route, params), faceKey(face), asOf, () => ({
      body: renderSvg({
        label: params.label ?? face.label,
        message: face.message,
        // An unknown or error badge keeps its grey or red whatever was asked.
        color: (face.known ? params.color : undefined) ?? face.color,
        labelColor: params.labelColor,
        style: params.style,
      }),
      contentType: SVG_CONTENT_TYPE,
      cacheControl: cacheControl(face.known),
      headers: SECURITY_HEADERS.svg,
    }))
  }

  /** `stateKey` must name everything `body()` depends on. */
  function json(route: string, stateKey: string, known: boolean, asOf: number, body: () => unknown): Served {
    return cache.serve(route, stateKey, asOf, () => ({
      body: JSON.stringify(body()),
      contentType: JSON_CONTENT_TYPE,
      cacheControl: cacheControl(known),
      headers: SECURITY_HEADERS.json,
      compressible: true,
    }))
  }

  /** https://shields.io/badges/endpoint-badge: only these keys, or shields rejects it. */
  function shields(route: string, face: BadgeFace, asOf: number, error?: BadgeError): Served {
    return cache.serve(route, faceKey(face), asOf, () => ({
      body: JSON.stringify({
        schemaVersion: 1,
        label: badgeText(face.label),
        message: face.message,
        color: face.color,
        cacheSeconds: shieldsCacheSeconds(face.known, cachePolicy),
        ...(!face.known && { isError: true }),
      }),
      contentType: JSON_CONTENT_TYPE,
      cacheControl: cacheControl(face.known),
      headers: error ? { ...SECURITY_HEADERS.json, [BADGE_ERROR_HEADER]: error } : SECURITY_HEADERS.json,
    }))
  }

  /**
   * A badge as JSON: what identifies its subject first (status, uptime, id
   * and name…), then the face and the freshness every badge shares.
   */
  function badgeJson(
    route: string,
    face: BadgeFace,
    view: Pick<SnapshotView<unknown>, 'updatedAt' | 'stale' | 'asOf'>,
    subject: Readonly<Record<string, unknown>>,
  ): Served {
    const stateKey = `${JSON.stringify(subject)}\n${faceKey(face)}\n${view.updatedAt ?? ''}\n${String(view.stale)}`
    return json(route, stateKey, face.known, view.asOf, () => ({
      ...subject,
      label: face.label,
      message: face.message,
      color: BADGE_COLORS[face.color],
      updatedAt: view.updatedAt,
      stale: view.stale,
    }))
  }

  return {
    svg,
    json,
    badgeJson,
    shields,

    /**
     * An image that says what is wrong: 200, short-lived, the reason in a
     * header too. `params` are the request's valid parameters (a not-found
     * badge keeps its style); undefined when they were the problem.
     */
    errorSvg(route: string, label: string, reason: BadgeError, params?: BadgeParams): Served {
      const face = errorFace(label, reason)
      return cache.serve(variantOf(route, params), `error\n${faceKey(face)}`, startedAt, () => ({
        body: renderSvg({ label, message: reason, color: face.color, style: params?.style }),
        contentType: SVG_CONTENT_TYPE,
        cacheControl: shortCacheControl(cachePolicy),
        headers: { ...SECURITY_HEADERS.svg, [BADGE_ERROR_HEADER]: reason },
      }))
    },

    errorShields(route: string, label: string, reason: BadgeError): Served {
      return shields(route, errorFace(label, reason), startedAt, reason)
    },

    /** A JSON route's error, sent with its real status (http/send.ts sendStatus), never as a 304. */
    errorJson(reason: string): Served {
      return cache.serve(`error.json\n${reason}`, '', startedAt, () => ({
        body: JSON.stringify({ error: reason }),
        contentType: JSON_CONTENT_TYPE,
        cacheControl: NO_STORE,
        headers: { ...SECURITY_HEADERS.json, [BADGE_ERROR_HEADER]: reason },
      }))
    },
  }
}

export type BadgeFormats = ReturnType<typeof createBadgeFormats>
