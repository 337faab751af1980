import type { Incident } from '../upstream/schema.js'
import type { ComponentCatalog } from './components.js'
import type { Snapshot } from './snapshot.js'

/**
 * The active incidents a snapshot may publish: none unless PUBLIC_INCIDENTS
 * (titles can say more than a company wants public), and never one tied to
 * a monitor that is not public. An incident naming no monitor concerns the
 * whole service and is shown.
 */
export function createIncidentCatalog(enabled: boolean, catalog: ComponentCatalog) {
  return {
    enabled,
    list(snapshot: Snapshot): readonly Incident[] {
      if (!enabled) return []
      const incidents = snapshot.status.data?.incidents ?? []
      return incidents.filter((incident) => incident.monitorId === undefined || catalog.isPublic(incident.monitorId))
    },
  }
}

export type IncidentCatalog = ReturnType<typeof createIncidentCatalog>

/** What an incident is called when the upstream gives it no title. */
export const UNTITLED_INCIDENT = 'Untitled incident'
