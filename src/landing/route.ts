import type { FastifyInstance, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import { NOT_MODIFIED } from '../badge/schemas.js'
import { chooseEncoding, type Encoding } from '../http/encoding.js'
import {
  compress,
  encodedHeaders,
  nextLastModified,
  strongEtag,
  type Encoded,
  type Representation,
} from '../http/prepared.js'
import type { Send } from '../http/responder.js'
import { SECURITY_HEADERS } from '../http/security.js'
import type { Admission, VariantCache } from '../http/variants.js'
import type { ComponentCatalog } from '../status/components.js'
import { UNTITLED_INCIDENT, type IncidentCatalog } from '../status/incidents.js'
import { withSnapshot, type Snapshot, type SnapshotStore } from '../status/snapshot.js'
import { FAVICON_SVG } from './favicon.js'
import {
  landingParts,
  MAX_LISTED_COMPONENTS,
  originSection,
  type ComponentsState,
  type LandingContent,
} from './page.js'

export interface LandingRouteOptions {
  readonly store: SnapshotStore
  readonly catalog: ComponentCatalog
  readonly incidents: IncidentCatalog
  readonly label: string
  readonly publicUrl: string | undefined
  readonly version: string
  /** Pages prepared per snapshot (with PUBLIC_URL: the page itself), and the icon. */
  readonly pages: VariantCache
  /** Bytes kept for pages built for a request's origin (without PUBLIC_URL). */
  readonly originPagesMaxBytes: number
  /** Which origins' pages are kept: one asked for before, a few a second. */
  readonly originPagesAdmission: Admission
  readonly send: Send
}

const HTML_TYPE = 'text/html; charset=utf-8'
const FAVICON_CACHE = 'public, max-age=86400'
/** What the snippets show when the request names no usable address. */
export const PLACEHOLDER_ORIGIN = 'https://status.example.com'
const MAX_HOST_LENGTH = 255
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
/** A host name, an IPv4 address or a bracketed IPv6 one, then an optional port. */
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?$`)

/**
 * The request's origin as the snippets should show it, or undefined when the
 * Host (or a trusted X-Forwarded-Host/-Proto) is not a valid host[:port] of
 * at most 255 characters: such a value is not reflected at all.
 */
export function requestOrigin(request: FastifyRequest): string | undefined {
  const protocol = request.protocol.toLowerCase()
  const host = request.host
  if ((protocol !== 'http' && protocol !== 'https') || host.length > MAX_HOST_LENGTH || !HOST.test(host))
    return undefined
  return `${protocol}://${host}`
}

interface Parts {
  readonly generation: number
  /**
   * The bulk of every page, encoded to UTF-8 once per change: a page made
   * for one request is these bytes around its origin's section. Sent as a
   * string, each page was encoded again as it was written, most of the
   * service's CPU under a flood of invented Hosts (test/load/hostile.test.ts).
   */
  readonly head: Buffer
  readonly tail: Buffer
  readonly content: LandingContent
  /** Names the parts' bytes: with the origin, it names a page's. */
  readonly key: string
  readonly lastModifiedMs: number
}

interface OriginPage {
  readonly identity: Representation
  readonly encoded: Partial<Record<Encoding, Encoded>>
}

/**
 * GET /: the badges, live, with copy-paste snippets. With PUBLIC_URL the
 * page is one for everyone, prepared and compressed once per snapshot.
 * Without it, the snippets name the request's own origin: the page is
 * assembled from parts prepared per snapshot around a small section made for
 * that origin, so its cost does not grow with the components. The page of
 * an origin asked for once is made for that request and kept by nobody; an
 * origin that asks again has its page kept (and compressed, in the one
 * encoding it takes) in a byte-bounded cache of recent origins, a few new
 * ones a second at most. A client inventing Hosts costs what a badge does.
 */
export async function landingRoutes(app: FastifyInstance, options: LandingRouteOptions): Promise<void> {
  const { store, catalog, incidents, label, publicUrl, version, pages, send } = options
  const assets = publicUrl ? `${new URL(publicUrl).pathname.replace(/\/$/, '')}/` : ''
  let parts: Parts | undefined
  const originPages = new LRUCache<string, OriginPage>({
    maxSize: options.originPagesMaxBytes,
    sizeCalculation: (page, key) =>
      page.identity.size + (page.encoded.br?.body.length ?? 0) + (page.encoded.gzip?.body.length ?? 0) + key.length * 2,
  })

  function componentsState(snapshot: Snapshot): ComponentsState {
    if (!catalog.publishesAny) return { kind: 'none-public' }
    if (!snapshot.monitors.last) return { kind: 'not-loaded' }
    const shown = catalog.list(snapshot, MAX_LISTED_COMPONENTS)
    if (shown.length > 0) return { kind: 'listed', shown, total: catalog.count(snapshot) }
    return { kind: 'none-listed', upstreamCount: snapshot.components.monitors.length, named: catalog.namedCount }
  }

  /** The parts for this snapshot: rebuilt when the generation moves, kept (dates too) when their bytes do not. */
  function partsFor(snapshot: Snapshot): Parts {
    if (parts?.generation === snapshot.generation) return parts
    const content: LandingContent = {
      assets,
      label,
      components: componentsState(snapshot),
      incidents: incidents.enabled ? incidents.list(snapshot).map((i) => i.title ?? UNTITLED_INCIDENT) : undefined,
      version,
    }
    const { head, tail } = landingParts(content)
    const key = strongEtag(`${head}\u0000${tail}`)
    if (parts?.key === key) return (parts = { ...parts, generation: snapshot.generation })
    const lastModifiedMs = nextLastModified(snapshot.monitors.asOf, parts?.lastModifiedMs)
    parts = {
      generation: snapshot.generation,
      head: Buffer.from(head),
      tail: Buffer.from(tail),
      content,
      key,
      lastModifiedMs,
    }
    return parts
  }

  /** The page for `origin`, or for none usable (the placeholder, with a note saying why). */
  function pageBytes(current: Parts, origin: string | undefined): Buffer {
    const section = origin
      ? originSection(origin, current.content)
      : originSection(
          PLACEHOLDER_ORIGIN,
          current.content,
          `The request did not name a usable address, so the snippets use ${PLACEHOLDER_ORIGIN}: set PUBLIC_URL to the service's public address.`,
        )
    const { head, tail } = current
    const page = Buffer.allocUnsafe(head.length + Buffer.byteLength(section) + tail.length)
    head.copy(page, 0)
    const end = head.length + page.write(section, head.length)
    tail.copy(page, end)
    return page
  }

  /** One page for everyone (PUBLIC_URL): prepared and compressed once per snapshot. */
  function publicPage(snapshot: Snapshot, base: string): Representation {
    const current = partsFor(snapshot)
    return (
      pages.get('landing', snapshot.generation) ??
      pages.put('landing', snapshot.generation, current.key, snapshot.monitors.asOf, () => ({
        body: pageBytes(current, base),
        contentType: HTML_TYPE,
        cacheControl: 'public, no-cache',
        headers: SECURITY_HEADERS.html,
        compressible: true,
      }))
    )
  }

  /**
   * A page for a request's origin. Cached privately only (no shared cache
   * may hand one client's Host to another), its ETag derived from the parts
   * and the origin rather than by hashing the page.
   */
  function originPage(request: FastifyRequest, snapshot: Snapshot): Representation {
    const current = partsFor(snapshot)
    const origin = requestOrigin(request)
    const key = `${current.key}\n${origin ?? ''}`
    let page = originPages.get(key)
    if (!page) {
      const body = pageBytes(current, origin)
      const validators = { etag: strongEtag(key), 'last-modified': new Date(current.lastModifiedMs).toUTCString() }
      const base = { ...SECURITY_HEADERS.html, 'content-type': HTML_TYPE, 'cache-control': 'private, no-cache' }
      const identity: Representation = {
        statusCode: 200,
        body,
        validators,
        headers: encodedHeaders(base, validators),
        conditional: true,
        lastModifiedMs: current.lastModifiedMs,
        size: 0,
      }
      if (!options.originPagesAdmission.admit(key)) return { ...identity, encoded: {} }
      page = { identity: { ...identity, size: body.length + 2048 }, encoded: {} }
      originPages.set(key, page)
    }
    // Kept: worth compressing, in the one encoding this client takes.
    const encoding = chooseEncoding(request.headers)
    if (encoding && !page.encoded[encoding]) {
      const bytes = compress(page.identity.body, encoding)
      const validators = { ...page.identity.validators, etag: strongEtag(bytes) }
      const encoded = { body: bytes, validators, headers: encodedHeaders(page.identity.headers, validators, encoding) }
      page = { ...page, encoded: { ...page.encoded, [encoding]: encoded } }
      originPages.set(key, page)
    }
    return { ...page.identity, encoded: page.encoded }
  }

  app.get(
    '/',
    {
      schema: {
        summary: 'Landing page: the badges and how to embed them',
        response: { 200: { type: 'string', description: 'text/html' }, 304: NOT_MODIFIED },
      },
    },
    function landingPage(request, reply) {
      return withSnapshot(store, 'monitors', (snapshot) =>
        send('/', request, reply, publicUrl ? publicPage(snapshot, publicUrl) : originPage(request, snapshot)),
      )
    },
  )

  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(
      path,
      { schema: { summary: 'The landing page icon', response: { 200: { type: 'string' }, 304: NOT_MODIFIED } } },
      function favicon(request, reply) {
        const rep =
          pages.get('favicon', 0) ??
          pages.put('favicon', 0, 'favicon', 0, () => ({
            body: FAVICON_SVG,
            contentType: 'image/svg+xml; charset=utf-8',
            cacheControl: FAVICON_CACHE,
            headers: SECURITY_HEADERS.svg,
            datable: false,
          }))
        return send(path, request, reply, rep)
      },
    )
  }
}
