import { UNTITLED_INCIDENT, type IncidentCatalog } from '../../status/incidents.js'
import { STATUS_KEYS, viewStatus } from '../../status/overall.js'
import { facesWith, STATUS_FACES } from '../faces.js'
import { NO_STATE_WORDS, STATUS_FACE_STATE, type StateWords } from '../states.js'
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
 * BADGE_MESSAGES and BADGE_COLORS (`words`) replace its words per state.
 */
export function overallSubject(
  label: string,
  incidents?: IncidentCatalog,
  words: StateWords = NO_STATE_WORDS,
): Subject {
  const withIncidents = incidents?.enabled === true
  const faces = facesWith(STATUS_FACES, STATUS_FACE_STATE, words)
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
      return { label, ...faces[status], known: status !== 'unknown', fields, view }
    },
  }
}
