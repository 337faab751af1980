import { createHash } from 'node:crypto'
import type { FastifyCorsOptions } from '@fastify/cors'
import { Socket } from 'node:net'
import helmet, { type HelmetOptions } from 'helmet'
import { BUILDER_SCRIPT } from '../landing/builder.js'
import { nodeHttp } from './node-http.js'
import { LANDING_CSS, LANDING_SCRIPT } from '../landing/page.js'

/**
 * Security headers that keep embedding working: helmet's defaults, except
 * where they would break the service.
 * - Cross-Origin-Resource-Policy is cross-origin: badges and JSON are meant
 *   to be embedded and fetched by other sites.
 * - No upgrade-insecure-requests: the service may be served over plain HTTP
 *   on a LAN, where it would break every subresource.
 * - No Strict-Transport-Security: TLS is terminated in front of the service,
 *   and its policy belongs there.
 * - No X-Frame-Options: it would also stop an <object>/<embed> of a badge on
 *   other sites (a way to keep an SVG's links live); CSP frame-ancestors
 *   guards the JSON and the landing page instead.
 * The default CSP suits JSON and errors (nothing may run); SVG and the
 * landing page have their own.
 */
export const HELMET_OPTIONS = {
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
  frameguard: false,
} satisfies HelmetOptions

/** An SVG badge may draw and style itself, and nothing else: no script, no fetch. */
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/**
 * The landing page: its own images, its one stylesheet and its two scripts
 * (live updates, the badge builder), each by hash, and the live-update
 * stream of its own origin; its form may open the service's own badges.
 */
export const LANDING_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src ${hashOf(LANDING_CSS)}`,
  `script-src ${hashOf(LANDING_SCRIPT)} ${hashOf(BUILDER_SCRIPT)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Helmet's headers under HELMET_OPTIONS, read once by running helmet against
 * a stand-in response. Prepared representations carry them with their bytes,
 * so the badge routes need no per-request helmet hooks (which cost a fifth of
 * the throughput, bench/throughput.mjs); the probes use @fastify/helmet itself.
 */
function helmetHeaders(): Record<string, string> {
  const { IncomingMessage, ServerResponse } = nodeHttp()
  const request = new IncomingMessage(new Socket())
  const response = new ServerResponse(request)
  helmet(HELMET_OPTIONS)(request, response, () => undefined)
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]))
}

const BASE = helmetHeaders()

/** The security headers of each kind of prepared representation. */
export const SECURITY_HEADERS: Readonly<Record<'json' | 'svg' | 'png' | 'html', Readonly<Record<string, string>>>> = {
  json: BASE,
  png: BASE,
  svg: { ...BASE, 'content-security-policy': SVG_CSP },
  html: { ...BASE, 'content-security-policy': LANDING_CSP },
}

/** Headers a script may read on a cross-origin response. */
export const EXPOSED_HEADERS = ['ETag', 'Last-Modified', 'X-Badge-Error']

/**
 * Request headers a cross-origin script may send beyond the safelisted ones:
 * the validators of a conditional request, Cache-Control, and the
 * Last-Event-ID of a live-update stream that reconnects. A fixed list:
 * without one, @fastify/cors echoes whatever a preflight asks for.
 */
export const ALLOWED_HEADERS = ['If-None-Match', 'If-Modified-Since', 'Cache-Control', 'Last-Event-ID']

/**
 * The headers of every JSON answer (badges, documents, their errors, the
 * live-update stream). When any origin may read them (CORS_ORIGINS=*, the
 * default) they all carry the same CORS headers, which are then prepared
 * with their bytes: no hook runs on a JSON request, and @fastify/cors
 * answers only preflights. With a list of origins the answer depends on
 * the request's Origin, and the plugin sets it per request (app.ts).
 */
export function jsonHeaders(origins: '*' | readonly string[]): Readonly<Record<string, string>> {
  if (origins !== '*') return SECURITY_HEADERS.json
  return {
    ...SECURITY_HEADERS.json,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
  }
}

/**
 * CORS for the JSON routes (registered in their scope only): any origin, or
 * a list (then with Vary: Origin, set by the plugin); GET and HEAD; never
 * credentials. Preflights are answered and cached for a day.
 */
export function corsOptions(origins: '*' | string[]): FastifyCorsOptions {
  return {
    origin: origins,
    methods: ['GET', 'HEAD'],
    credentials: false,
    exposedHeaders: EXPOSED_HEADERS,
    allowedHeaders: ALLOWED_HEADERS,
    maxAge: 86_400,
    cacheControl: 'public, max-age=86400',
  }
}
