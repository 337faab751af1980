import { Type, type TSchema } from 'typebox'
import { COLOR_NAMES } from '../badge/params.js'
import { COMPONENT_ID_PATTERN } from '../ids.js'
import { MONITOR_STATES } from '../status/monitor-state.js'
import { STATUS_KEYS } from '../status/overall.js'

/** Response schemas shared by the routes. They document; tests hold the bodies to them. */

export const SvgBody = Type.String({ description: 'image/svg+xml badge; errors too are images (see X-Badge-Error)' })
export const NotModified = Type.Null({ description: 'Not modified: same validators, no body' })
export const ErrorBody = Type.Object({ error: Type.String() }, { additionalProperties: false })

const HexColor = Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'CSS hex colour' })
const UpdatedAt = Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
  description: 'ISO time of the last successful poll; null before one',
})
const Stale = Type.Boolean({ description: 'true while the data is older than it should be (see README)' })
export const StatusKey = Type.Enum(STATUS_KEYS)
export const MonitorState = Type.Enum(MONITOR_STATES)

export const ComponentParams = Type.Object({ id: Type.String({ pattern: COMPONENT_ID_PATTERN }) })

/** What every badge's JSON ends with (formats.badgeJson): its face and its freshness. */
const BADGE_FIELDS = {
  label: Type.String(),
  message: Type.String(),
  color: HexColor,
  updatedAt: UpdatedAt,
  stale: Stale,
}

/** A badge's JSON: the fields naming its subject, then the shared ones; nothing else. */
const badgeJson = <T extends Record<string, TSchema>>(subject: T) =>
  Type.Object({ ...subject, ...BADGE_FIELDS }, { additionalProperties: false })

export const StatusBadgeJson = badgeJson({ status: StatusKey })

export const UptimeBadgeJson = badgeJson({
  uptime: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
})

export const ComponentBadgeJson = badgeJson({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  status: MonitorState,
})

export const ComponentsJson = Type.Object(
  {
    components: Type.Array(
      Type.Object({ id: Type.String(), name: Type.String(), status: MonitorState }, { additionalProperties: false }),
    ),
    updatedAt: UpdatedAt,
    stale: Stale,
  },
  { additionalProperties: false },
)

/** https://shields.io/badges/endpoint-badge: these keys and no others. */
export const ShieldsEndpointJson = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    label: Type.String(),
    message: Type.String({ minLength: 1 }),
    color: Type.Union([Type.Enum(COLOR_NAMES), Type.String({ pattern: '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' })]),
    cacheSeconds: Type.Integer({ minimum: 300 }),
    isError: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
)
