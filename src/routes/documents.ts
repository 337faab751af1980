import type { FastifyInstance } from 'fastify'
import { badgeCacheControl, shortCacheControl, type CachePolicyOptions } from '../badge/cache-policy.js'
import { JSON_CONTENT_TYPE } from '../badge/formats/json.js'
import { COMPONENTS_JSON, NOT_MODIFIED } from '../badge/schemas.js'
import type { Send } from '../http/responder.js'
import { SECURITY_HEADERS } from '../http/security.js'
import type { VariantCache } from '../http/variants.js'
import type { ComponentCatalog } from '../status/components.js'
import { withSnapshot, type SnapshotStore } from '../status/snapshot.js'
import { serializer } from '../badge/serializer.js'

export interface DocumentRouteOptions {
  readonly store: SnapshotStore
  readonly catalog: ComponentCatalog
  readonly cachePolicy: CachePolicyOptions
  /** Documents prepared per snapshot: a fixed set, each at most the upstream's body cap. */
  readonly documents: VariantCache
  readonly send: Send
}

/** JSON documents about many subjects at once, prepared once per snapshot (and compressed when large). */
export async function documentRoutes(app: FastifyInstance, options: DocumentRouteOptions): Promise<void> {
  const { store, catalog, cachePolicy, documents, send } = options
  const serialize = serializer(COMPONENTS_JSON)
  const url = '/components.json'

  app.get(
    url,
    {
      schema: {
        summary: 'The public components and their states',
        response: { 200: COMPONENTS_JSON, 304: NOT_MODIFIED },
      },
    },
    function componentsJson(request, reply) {
      return withSnapshot(store, 'monitors', (snapshot) => {
        const view = snapshot.monitors
        let rep = documents.get(url, snapshot.generation)
        if (!rep) {
          const text = serialize({
            components: catalog.list(snapshot).map(({ id, name, state }) => ({ id, name, status: state })),
            updatedAt: view.updatedAt,
            stale: view.stale,
          })
          const known = view.data !== undefined
          const cacheControl = known ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
          rep = documents.put(url, snapshot.generation, `${cacheControl}\n${text}`, view.asOf, () => ({
            body: text,
            contentType: JSON_CONTENT_TYPE,
            cacheControl,
            headers: SECURITY_HEADERS.json,
            compressible: true,
          }))
        }
        return send(url, request, reply, rep)
      })
    },
  )
}
