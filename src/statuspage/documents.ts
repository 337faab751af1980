import { hash } from 'node:crypto'
import type { ComponentCatalog } from '../status/components.js'
import { UNTITLED_INCIDENT, type IncidentCatalog } from '../status/incidents.js'
import { viewStatus } from '../status/overall.js'
import type { Snapshot } from '../status/snapshot.js'
import type { Incident } from '../upstream/schema.js'
import { incidentImpact, incidentStatus, MONITOR_AS_STATUS, STATUSPAGE_STATES } from './vocabulary.js'

export interface PageSettings {
  /** STATUS_PAGE_NAME (default BADGE_LABEL). */
  readonly name: string
  /** PUBLIC_URL, when set. */
  readonly url: string | undefined
}

/** A short, stable id from text: the same input, the same id, on any replica. */
const shortId = (text: string) => hash('sha256', text, 'hex').slice(0, 12)

/**
 * The Statuspage v2 documents of a snapshot, as plain objects (pure).
 * The page's id is ours to give: derived from its name and address, so it
 * stays put across restarts and replicas.
 */
export function createStatuspageDocuments(
  settings: PageSettings,
  catalog: ComponentCatalog,
  incidents: IncidentCatalog,
) {
  const pageId = shortId(`${settings.name}\n${settings.url ?? ''}`)

  function page(snapshot: Snapshot) {
    return {
      id: pageId,
      name: settings.name,
      url: settings.url ?? null,
      time_zone: 'Etc/UTC',
      updated_at: snapshot.status.updatedAt,
    }
  }

  function status(snapshot: Snapshot) {
    const { indicator, description } = STATUSPAGE_STATES[viewStatus(snapshot.status)]
    return { indicator, description, stale: snapshot.status.stale }
  }

  function components(snapshot: Snapshot) {
    return catalog.list(snapshot).map((component, index) => {
      const state = MONITOR_AS_STATUS[component.state]
      const monitor = snapshot.components.byId.get(component.id)
      return {
        id: component.id,
        name: component.name,
        status: STATUSPAGE_STATES[state].component,
        created_at: monitor?.createdAt ?? null,
        updated_at: monitor?.updatedAt ?? null,
        position: index + 1,
        description: state === 'unknown' ? 'Status unknown: no recent answer from the monitor' : null,
        showcase: true,
        start_date: null,
        group_id: null,
        page_id: pageId,
        group: false,
        only_show_if_degraded: false,
      }
    })
  }

  const incident = (item: Incident) => {
    const name = item.title ?? UNTITLED_INCIDENT
    return {
      // The upstream's id, else one derived from what the incident says (stable while it lasts).
      id: item.id ?? shortId(`${name}\n${item.startedAt ?? ''}\n${item.monitorId ?? ''}`),
      name,
      status: incidentStatus(item.status),
      impact: incidentImpact(item.impact),
      created_at: item.startedAt ?? null,
      updated_at: item.updatedAt ?? item.startedAt ?? null,
      started_at: item.startedAt ?? null,
      monitoring_at: null,
      resolved_at: null,
      shortlink: null,
      page_id: pageId,
      incident_updates: [],
    }
  }

  return {
    page,
    status,
    components,
    incidents: (snapshot: Snapshot) => incidents.list(snapshot).map(incident),
  }
}

export type StatuspageDocuments = ReturnType<typeof createStatuspageDocuments>
