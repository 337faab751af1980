import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { RepresentationCache } from '../http/representation.js'
import { SECURITY_HEADERS } from '../http/security.js'
import { sendRepresentation } from '../http/send.js'
import { FAVICON_SVG } from '../landing/favicon.js'
import { renderLandingPage } from '../landing/page.js'
import type { ComponentCatalog } from '../status/components.js'
import type { SnapshotSource } from '../status/source.js'
import { NotModified } from './schemas.js'

export interface LandingRouteOptions {
  readonly source: SnapshotSource
  readonly catalog: ComponentCatalog
  /** A cache of its own: pages per Host header must not evict the badges. */
  readonly cache: RepresentationCache
  readonly label: string
  readonly publicUrl: string | undefined
  readonly version: string
  readonly startedAt: number
}

const HTML_TYPE = 'text/html; charset=utf-8'
const FAVICON_CACHE = 'public, max-age=86400'

/**
 * GET /: the badges, live, with copy-paste snippets. Snippets use PUBLIC_URL,
 * else the request's own origin (forwarded headers count only under
 * TRUST_PROXY); a page built from a request's Host is cached privately, so
 * no shared cache can hand one client's Host to another.
 */
export const landingRoutes: FastifyPluginAsyncTypebox<LandingRouteOptions> = async (app, options) => {
  const { source, catalog, cache, label, publicUrl, version, startedAt } = options
  const assets = publicUrl ? `${new URL(publicUrl).pathname.replace(/\/$/, '')}/` : ''

  app.get(
    '/',
    {
      schema: {
        summary: 'Landing page: the badges and how to embed them',
        response: { 200: Type.String({ description: 'text/html' }), 304: NotModified },
      },
    },
    async function landingPage(request, reply) {
      const view = await source.view('monitors')
      const base = publicUrl ?? `${request.protocol}://${request.host}`
      const components = catalog.list(view)
      const componentsState = !catalog.publishesAny ? 'none-public' : view.last ? 'listed' : 'not-loaded'
      // The page shows names and ids only (the badges themselves are live images).
      const stateKey = `${componentsState}\n${components.map((c) => `${c.id}\u0000${c.name}`).join('\u0001')}`
      const served = cache.serve(`landing\n${base}`, stateKey, view.asOf, () => ({
        body: renderLandingPage({ base, assets, label, components, componentsState, version }),
        contentType: HTML_TYPE,
        cacheControl: publicUrl ? 'public, no-cache' : 'private, no-cache',
        headers: SECURITY_HEADERS.html,
        // A page per Host header (no PUBLIC_URL) is one a client can make us
        // prepare at will: keep it cheap, uncompressed.
        compressible: publicUrl !== undefined,
      }))
      return sendRepresentation(request, reply, served)
    },
  )

  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(
      path,
      {
        schema: { summary: 'The landing page icon', response: { 200: Type.String(), 304: NotModified } },
      },
      async function favicon(request, reply) {
        const served = cache.serve('favicon', '', startedAt, () => ({
          body: FAVICON_SVG,
          contentType: 'image/svg+xml; charset=utf-8',
          cacheControl: FAVICON_CACHE,
          headers: SECURITY_HEADERS.svg,
        }))
        return sendRepresentation(request, reply, served)
      },
    )
  }
}
