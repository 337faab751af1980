import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, INDICATORS } from './vocabulary.js'

/**
 * Atlassian Statuspage's public API v2 documents (../shared/statuspage-v2.md),
 * as JSON Schema: the routes' response schemas and, compiled by
 * fast-json-stringify, what writes their bodies. Every field a Statuspage
 * client reads is there; what this service cannot know is null.
 */
const ISO = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } as const
const TEXT_OR_NULL = { anyOf: [{ type: 'string' }, { type: 'null' }] } as const

const object = <P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', required: Object.keys(properties), properties, additionalProperties: false }) as const

export const PAGE = object({
  id: { type: 'string' },
  name: { type: 'string' },
  url: TEXT_OR_NULL,
  time_zone: { type: 'string' },
  updated_at: ISO,
})

export const STATUS = object({
  indicator: { type: 'string', enum: INDICATORS },
  description: { type: 'string' },
  stale: { type: 'boolean', description: 'not Statuspage: true while the data is older than it should be' },
})

export const COMPONENT = object({
  id: { type: 'string' },
  name: { type: 'string' },
  status: { type: 'string', enum: COMPONENT_STATUSES },
  created_at: ISO,
  updated_at: ISO,
  position: { type: 'integer' },
  description: TEXT_OR_NULL,
  showcase: { type: 'boolean' },
  start_date: TEXT_OR_NULL,
  group_id: TEXT_OR_NULL,
  page_id: { type: 'string' },
  group: { type: 'boolean' },
  only_show_if_degraded: { type: 'boolean' },
})

export const INCIDENT = object({
  id: { type: 'string' },
  name: { type: 'string' },
  status: { type: 'string', enum: INCIDENT_STATUSES },
  impact: { anyOf: [{ type: 'string', enum: IMPACTS }, { type: 'null' }] },
  created_at: ISO,
  updated_at: ISO,
  started_at: ISO,
  monitoring_at: ISO,
  resolved_at: ISO,
  shortlink: TEXT_OR_NULL,
  page_id: { type: 'string' },
  incident_updates: { type: 'array', maxItems: 0 },
})

const list = (items: object) => ({ type: 'array', items }) as const

export const STATUS_DOCUMENT = object({ page: PAGE, status: STATUS })
export const COMPONENTS_DOCUMENT = object({ page: PAGE, components: list(COMPONENT) })
export const INCIDENTS_DOCUMENT = object({ page: PAGE, incidents: list(INCIDENT) })
/** Scheduled maintenances: this service knows of none; the list is always empty. */
export const SCHEDULED_MAINTENANCES_DOCUMENT = object({
  page: PAGE,
  scheduled_maintenances: { type: 'array', maxItems: 0 },
})
export const SUMMARY_DOCUMENT = object({
  page: PAGE,
  status: STATUS,
  components: list(COMPONENT),
  incidents: list(INCIDENT),
  scheduled_maintenances: { type: 'array', maxItems: 0 },
})
