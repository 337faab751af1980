import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { badgeJsonSchema } from '../src/badge/schemas.js'
import { componentSubject } from '../src/badge/subjects/component.js'
import { overallSubject } from '../src/badge/subjects/overall.js'
import { uptimeSubject } from '../src/badge/subjects/uptime.js'
import { createComponentCatalog } from '../src/status/components.js'

const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)

/** Whether `value` is valid under `schema` (JSON Schema, as the routes declare it). */
export function matchesSchema(schema: object, value: unknown): boolean {
  return ajv.validate(schema, value)
}

export { COMPONENTS_JSON, ERROR_BODY, SHIELDS_ENDPOINT_JSON } from '../src/badge/schemas.js'
export { HEALTH_BODY, READY_BODY } from '../src/routes/health.js'
/** Each badge's `.json` schema, as its route declares it. */
export const STATUS_BADGE_JSON = badgeJsonSchema(overallSubject('status').fields)
export const UPTIME_BADGE_JSON = badgeJsonSchema(uptimeSubject.fields)
export const COMPONENT_BADGE_JSON = badgeJsonSchema(componentSubject(createComponentCatalog('*')).fields)
