import { COMPONENTS_JSON } from '../badge/schemas.js'
import type { ComponentCatalog } from '../status/components.js'
import type { DocumentRoute } from './documents.js'

/** GET /components.json: the public components and their states, in the upstream's order. */
export function componentsDocument(catalog: ComponentCatalog): DocumentRoute {
  return {
    url: '/components.json',
    summary: 'The public components and their states',
    schema: COMPONENTS_JSON,
    resource: 'monitors',
    known: (snapshot) => snapshot.monitors.data !== undefined,
    body: (snapshot) => ({
      components: catalog.list(snapshot).map(({ id, name, state }) => ({ id, name, status: state })),
      updatedAt: snapshot.monitors.updatedAt,
      stale: snapshot.monitors.stale,
    }),
  }
}
