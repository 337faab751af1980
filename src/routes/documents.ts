import type { FastifyInstance } from 'fastify'
import { badgeCacheControl, shortCacheControl, type CachePolicyOptions } from '../badge/cache-policy.js'
import { JSON_CONTENT_TYPE } from '../badge/formats/json.js'
import { NOT_MODIFIED } from '../badge/schemas.js'
import { serializer } from '../badge/serializer.js'
import { strongEtag } from '../http/prepared.js'
import type { Send } from '../http/responder.js'
import type { VariantCache } from '../http/variants.js'
import type { Resource } from '../status/poller.js'
import { withSnapshot, type Snapshot, type SnapshotStore } from '../status/snapshot.js'

/** A JSON document about many subjects at once: /components.json, the Statuspage API. */
export interface DocumentRoute {
  readonly url: string
  readonly summary: string
  /** Its response schema: fast-json-stringify writes the body with it. */
  readonly schema: object
  /** The resource it waits for before its first poll. */
  readonly resource: Resource
  /** Whether it shows known data (cached as long as a badge) or not (seconds only). */
  known(snapshot: Snapshot): boolean
  /** Pure: the document for this snapshot. */
  body(snapshot: Snapshot): unknown
}

export interface DocumentRouteOptions {
  readonly store: SnapshotStore
  readonly cachePolicy: CachePolicyOptions
  /** Documents prepared per snapshot: a fixed set, each at most the upstream's body cap. */
  readonly documents: VariantCache
  readonly send: Send
  /** The JSON answers' headers (http/security.ts jsonHeaders). */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * Registers documents on `app` (the JSON scope: CORS and JSON errors). Each
 * is prepared once per snapshot (serialised, compressed when large) and kept
 * with its ETag while its bytes stay the same.
 */
export function registerDocuments(
  app: FastifyInstance,
  routes: readonly DocumentRoute[],
  options: DocumentRouteOptions,
) {
  const { store, cachePolicy, documents, send, headers } = options
  for (const route of routes) {
    const serialize = serializer(route.schema)
    app.get(
      route.url,
      { schema: { summary: route.summary, response: { 200: route.schema, 304: NOT_MODIFIED } } },
      function document(request, reply) {
        return withSnapshot(store, route.resource, (snapshot) => {
          let rep = documents.get(route.url, snapshot.generation)
          if (!rep) {
            const text = serialize(route.body(snapshot))
            const cacheControl = route.known(snapshot) ? badgeCacheControl(cachePolicy) : shortCacheControl(cachePolicy)
            // Dated by the later of the two resources' facts: the content changed with one of them.
            const asOf = Math.max(snapshot.status.asOf, snapshot.monitors.asOf)
            // Named by its hash: the text itself, kept as the key, would double what the entry holds.
            const contentKey = `${cacheControl}\n${strongEtag(text)}`
            rep = documents.put(route.url, snapshot.generation, contentKey, asOf, () => ({
              body: text,
              contentType: JSON_CONTENT_TYPE,
              cacheControl,
              headers,
              compressible: true,
            }))
          }
          return send(route.url, request, reply, rep)
        })
      },
    )
  }
}
