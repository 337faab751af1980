import type { DocumentRoute } from '../routes/documents.js'
import { viewStatus } from '../status/overall.js'
import type { Snapshot } from '../status/snapshot.js'
import type { StatuspageDocuments } from './documents.js'
import {
  COMPONENTS_DOCUMENT,
  INCIDENTS_DOCUMENT,
  SCHEDULED_MAINTENANCES_DOCUMENT,
  STATUS_DOCUMENT,
  SUMMARY_DOCUMENT,
} from './schemas.js'

const statusKnown = (snapshot: Snapshot) => viewStatus(snapshot.status) !== 'unknown'

/**
 * Statuspage's public API v2, read-only, from the snapshot: what status
 * widgets, exporters and the `statuspage.io` client read. Incidents are the
 * active ones the upstream reports (with PUBLIC_INCIDENTS); scheduled
 * maintenances are not known here, so their lists are empty.
 */
export function statuspageRoutes(documents: StatuspageDocuments): DocumentRoute[] {
  const { page, status, components, incidents } = documents
  const maintenances = (summary: string, url: string): DocumentRoute => ({
    url,
    summary,
    schema: SCHEDULED_MAINTENANCES_DOCUMENT,
    resource: 'status',
    known: statusKnown,
    body: (snapshot) => ({ page: page(snapshot), scheduled_maintenances: [] }),
  })
  const incidentList = (summary: string, url: string): DocumentRoute => ({
    url,
    summary,
    schema: INCIDENTS_DOCUMENT,
    resource: 'status',
    known: statusKnown,
    body: (snapshot) => ({ page: page(snapshot), incidents: incidents(snapshot) }),
  })
  return [
    {
      url: '/api/v2/status.json',
      summary: 'Statuspage v2: the page and its overall status',
      schema: STATUS_DOCUMENT,
      resource: 'status',
      known: statusKnown,
      body: (snapshot) => ({ page: page(snapshot), status: status(snapshot) }),
    },
    {
      url: '/api/v2/components.json',
      summary: 'Statuspage v2: the public components',
      schema: COMPONENTS_DOCUMENT,
      resource: 'monitors',
      known: (snapshot) => snapshot.monitors.data !== undefined,
      body: (snapshot) => ({ page: page(snapshot), components: components(snapshot) }),
    },
    {
      url: '/api/v2/summary.json',
      summary: 'Statuspage v2: status, components, unresolved incidents, scheduled maintenances',
      schema: SUMMARY_DOCUMENT,
      resource: 'status',
      known: statusKnown,
      body: (snapshot) => ({
        page: page(snapshot),
        status: status(snapshot),
        components: components(snapshot),
        incidents: incidents(snapshot),
        scheduled_maintenances: [],
      }),
    },
    incidentList('Statuspage v2: unresolved incidents', '/api/v2/incidents/unresolved.json'),
    // Only active incidents are known here: the list of all is the same list.
    incidentList('Statuspage v2: incidents (the active ones: no history is kept)', '/api/v2/incidents.json'),
    maintenances('Statuspage v2: scheduled maintenances (none known)', '/api/v2/scheduled-maintenances.json'),
    maintenances('Statuspage v2: upcoming maintenances (none known)', '/api/v2/scheduled-maintenances/upcoming.json'),
    maintenances('Statuspage v2: active maintenances (none known)', '/api/v2/scheduled-maintenances/active.json'),
  ]
}
