import { UNTITLED_INCIDENT, type IncidentCatalog } from '../../status/incidents.js'
import { STATUS_KEYS, viewStatus } from '../../status/overall.js'
import { STATUS_FACES } from '../faces.js'
import type { Subject } from '../subject.js'

const INCIDENTS_FIELD = {
  type: 'object',
  required: ['count', 'titles'],
  properties: { count: { type: 'integer', minimum: 0 }, titles: { type: 'array', items: { type: 'string' } } },
  additionalProperties: false,
} as const

/**
 * The overall badge, from GET /status: `/badge.svg`, `/badge.json`,
 * `/badge.shields.json`. With PUBLIC_INCIDENTS its JSON also says
 * `"incidents": {"count", "titles"}` (the field exists only then).
 */
export function overallSubject(label: string, incidents?: IncidentCatalog): Subject {
  const withIncidents = incidents?.enabled === true
  return {
    name: 'overall',
    path: '/badge',
    fields: {
      status: { type: 'string', enum: STATUS_KEYS },
      ...(withIncidents && { incidents: INCIDENTS_FIELD }),
    },
    resource: 'status',
    errorLabel: label,
    badge(snapshot) {
      const view = snapshot.status
      const status = viewStatus(view)
      const active = withIncidents ? incidents.list(snapshot) : []
      const fields = withIncidents
        ? { status, incidents: { count: active.length, titles: active.map((i) => i.title ?? UNTITLED_INCIDENT) } }
        : { status }
      return { label, ...STATUS_FACES[status], known: status !== 'unknown', fields, view }
    },
  }
}
