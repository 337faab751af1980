import type { JSONSchema } from 'json-schema-to-ts'
import { MONITOR_STATES } from '../status/monitor-state.js'
import { COLOR_NAMES } from './query.js'

/**
 * Response schemas, JSON Schema as Fastify reads it. They are compiled by
 * fast-json-stringify when a JSON body is prepared, so a body that does not
 * fit them fails there; tests hold the answers to them too.
 */

export const SVG_BODY = {
  type: 'string',
  description: 'image/svg+xml badge; errors too are images (see X-Badge-Error)',
} as const
export const NOT_MODIFIED = { type: 'null', description: 'Not modified: same validators, no body' } as const
export const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
  additionalProperties: false,
} as const

const UPDATED_AT = {
  anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }],
  description: 'ISO time of the last successful poll; null before one',
} as const
const STALE = { type: 'boolean', description: 'true while the data is older than it should be (see README)' } as const

/** What every badge's JSON ends with: its face and its freshness. */
const BADGE_FIELDS = {
  label: { type: 'string' },
  message: { type: 'string' },
  color: { type: 'string', pattern: '^#[0-9a-f]{6}$', description: 'CSS hex colour' },
  updatedAt: UPDATED_AT,
  stale: STALE,
} as const

/** A badge's JSON: the fields naming its subject, then the shared ones; nothing else. */
export function badgeJsonSchema(fields: Readonly<Record<string, JSONSchema>>) {
  const properties = { ...fields, ...BADGE_FIELDS }
  return { type: 'object', required: Object.keys(properties), properties, additionalProperties: false } as const
}

export const COMPONENTS_JSON = {
  type: 'object',
  required: ['components', 'updatedAt', 'stale'],
  properties: {
    components: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'status'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          status: { type: 'string', enum: MONITOR_STATES },
        },
        additionalProperties: false,
      },
    },
    updatedAt: UPDATED_AT,
    stale: STALE,
  },
  additionalProperties: false,
} as const

/** https://shields.io/badges/endpoint-badge: these keys and no others. */
export const SHIELDS_ENDPOINT_JSON = {
  type: 'object',
  required: ['schemaVersion', 'label', 'message', 'color', 'cacheSeconds'],
  properties: {
    schemaVersion: { const: 1 },
    label: { type: 'string' },
    message: { type: 'string', minLength: 1 },
    color: {
      anyOf: [
        { type: 'string', enum: COLOR_NAMES },
        { type: 'string', pattern: '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' },
      ],
    },
    cacheSeconds: { type: 'integer', minimum: 300 },
    isError: { const: true },
  },
  additionalProperties: false,
} as const
