import type { RepresentationCache, Served } from '../http/representation.js'
import { SECURITY_HEADERS } from '../http/security.js'
import {
  badgeCacheControl,
  NO_STORE,
  shieldsCacheSeconds,
  shortCacheControl,
  type CachePolicyOptions,
} from './cache-policy.js'
import { errorFace, type BadgeError, type BadgeFace } from './faces.js'
import type { BadgeParams } from './params.js'
import { badgeText, renderSvg, SVG_CONTENT_TYPE, type BadgeStyle } from './render.js'

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

/**
 * Every badge in its formats (SVG, JSON, shields.io endpoint JSON), each
 * prepared once per distinct content through the representation cache.
 * `route` names the URL without its query; with the canonical parameters it
 * is the cache's variant.
 */
export function createBadgeFormats({ cache, cachePolicy, startedAt }: BadgeFormatOptions) {
  const cacheControl = (known: boolean) => (known ? badgeCacheControl(cachePolicy) : shortCacheControl())

  function svg(route: string, face: BadgeFace, params: BadgeParams, asOf: number): Served {
    const variant = params.key ? `${route}?${params.key}` : route
    return cache.serve(variant, faceKey(face), asOf, () => ({
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

  return {
    svg,
    json,
    shields,

    /** An image that says what is wrong: 200, short-lived, the reason in a header too. */
    errorSvg(label: string, reason: BadgeError, style?: BadgeStyle): Served {
      const face = errorFace(label, reason)
      // Each error is a variant of its own: its bytes never change.
      return cache.serve(`error.svg?${style ?? ''}\n${faceKey(face)}`, '', startedAt, () => ({
        body: renderSvg({ label, message: reason, color: face.color, style }),
        contentType: SVG_CONTENT_TYPE,
        cacheControl: shortCacheControl(),
        headers: { ...SECURITY_HEADERS.svg, [BADGE_ERROR_HEADER]: reason },
      }))
    },

    errorShields(label: string, reason: BadgeError): Served {
      const face = errorFace(label, reason)
      return shields(`error.shields.json\n${faceKey(face)}`, face, startedAt, reason)
    },

    /** A JSON route's error: the real status goes with it (see sendError). */
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
