import { createHash } from 'node:crypto'
import type { FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyCorsOptions } from '@fastify/cors'
import { LANDING_CSS } from '../landing/page.js'

/**
 * Security headers that keep embedding working. Helmet's defaults, except
 * where they would break the service:
 * - Cross-Origin-Resource-Policy is cross-origin: badges and JSON are meant
 *   to be embedded and fetched by other sites;
 * - no upgrade-insecure-requests: the service may be served over plain HTTP
 *   on a LAN, where it would break every subresource;
 * - no Strict-Transport-Security: TLS is terminated in front of the service,
 *   and its policy belongs there;
 * - no X-Frame-Options (below).
 * The default CSP suits JSON and errors (nothing may run); SVG and the
 * landing page carry their own, prepared with their bytes.
 */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: false,
  // X-Frame-Options would also stop <object>/<embed> of a badge on other
  // sites (a way to keep an SVG's links live); CSP frame-ancestors guards
  // the JSON and the landing page instead.
  frameguard: false,
}

/** An SVG badge may draw and style itself, and nothing else: no script, no fetch. */
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const LANDING_STYLE_HASH = `'sha256-${createHash('sha256').update(LANDING_CSS).digest('base64')}'`

/** The landing page: its own images and its one stylesheet (by hash); no script at all. */
export const LANDING_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src ${LANDING_STYLE_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers a script may read on a cross-origin response. */
export const EXPOSED_HEADERS = ['ETag', 'Last-Modified', 'X-Badge-Error']

/**
 * CORS for the JSON routes (routes opt out with `config: { cors: false }`):
 * any origin, or a list (then with Vary: Origin, set by the plugin); GET and
 * HEAD; never credentials. Preflights are answered and cached for a day.
 */
export function corsOptions(origins: '*' | string[]): FastifyCorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'HEAD'],
    credentials: false,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 86_400,
    cacheControl: 'public, max-age=86400',
  }
}

/** Route config for the routes that are not JSON: no CORS headers. */
export const NO_CORS = { cors: false } as const
