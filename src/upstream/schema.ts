import { Ajv } from 'ajv'
import { count, flag, id, percentage, text, timestamp } from './lenient.js'
import type { Untrusted } from './untrusted.js'

/**
 * The upstream's payloads: JSON Schema for their shape (checked by ajv, the
 * validator Fastify runs), then the lenient readers of ./lenient.ts for each
 * field. Only what the badges use is read; the rest is dropped here.
 */
// The schemas are ours and fixed (tests cover them): no meta-schema check, which costs an ajv
// instance some 2.5 MB of resident memory.
const ajv = new Ajv({ allErrors: false, validateSchema: false })

const SUCCESS = { enum: [true, 1, '1', 'true'] } as const

const envelope = (data: object) =>
  ({ type: 'object', required: ['success', 'data'], properties: { success: SUCCESS, data } }) as const

/** The documented error envelope: `{"success": false, "error": "<message>"}`. */
export const isErrorEnvelope = ajv.compile<{ success: unknown; error: unknown }>({
  type: 'object',
  required: ['success', 'error'],
})

export const isStatusEnvelope = ajv.compile<{ data: { status: Record<string, unknown>; timestamp?: unknown } }>(
  envelope({ type: 'object', required: ['status'], properties: { status: { type: 'object' } } }),
)

export const isMonitorsEnvelope = ajv.compile<{ data: { monitors: unknown[] } }>(
  envelope({ type: 'object', required: ['monitors'], properties: { monitors: { type: 'array' } } }),
)

/** A monitor needs an id that can stand in a URL; every other field may be missing. */
const isMonitorItem = ajv.compile<Record<string, unknown>>({
  type: 'object',
  required: ['id'],
  properties: {
    id: {
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', pattern: '^\\s*[A-Za-z0-9_-]{1,64}\\s*$' },
      ],
    },
  },
})

interface ShapeError {
  readonly instancePath: string
  readonly params: { readonly missingProperty?: string }
}

/** Where the first shape problem is, for the log line: "(root)", "data", "data.status"… */
export function shapeProblem(validate: { errors?: readonly ShapeError[] | null }): string {
  const first = validate.errors?.[0]
  const path = [...(first?.instancePath.split('/').slice(1) ?? []), first?.params.missingProperty ?? []].flat()
  return path.length > 0 ? path.join('.') : '(root)'
}

export interface StatusCounts {
  readonly total: number | undefined
  readonly up: number | undefined
  readonly down: number | undefined
  readonly pending: number | undefined
  readonly paused: number | undefined
}

/** GET /status → data, as the status model reads it. */
export interface StatusData {
  readonly overall: string | undefined
  readonly counts: StatusCounts
  readonly uptimePercentage: number | undefined
  readonly activeIncidents: number | undefined
  readonly upstreamTime: string | undefined
}

export function readStatus(data: { status: Record<string, unknown>; [key: string]: unknown }): StatusData {
  const { status } = data
  const incidents = data.active_incidents
  return {
    overall: text(status.overall_status),
    counts: {
      total: count(status.total),
      up: count(status.up),
      down: count(status.down),
      pending: count(status.pending),
      paused: count(status.paused),
    },
    uptimePercentage: percentage(status.uptime_percentage),
    activeIncidents: Array.isArray(incidents) ? incidents.length : undefined,
    upstreamTime: timestamp(data.timestamp),
  }
}

/**
 * One monitor. `target` (the monitored address, possibly internal) and `type`
 * are deliberately not read, so they cannot travel any further.
 */
export interface Monitor {
  readonly id: string
  readonly name: string
  readonly status: string | undefined
  readonly active: boolean | undefined
}

export interface MonitorsData {
  /** Each id once: the first item with it (the same rule in every output). */
  readonly monitors: readonly Monitor[]
  /** Items that could not be read (not an object, no usable id, the key in the id) and were left out. */
  readonly skipped: number
  /** Items left out because an earlier one had the same id. */
  readonly duplicates: number
}

/**
 * Items are checked one by one: an unreadable one is left out, not the whole
 * list. A name is upstream text bound for responses, so it goes through
 * `untrusted.text` here, once per poll; an id is published as it is, so one
 * that holds the key is refused rather than cut.
 */
export function readMonitors(items: readonly unknown[], untrusted: Untrusted): MonitorsData {
  const monitors: Monitor[] = []
  const seen = new Set<string>()
  let skipped = 0
  for (const item of items) {
    const monitorId = isMonitorItem(item) ? id(item.id) : undefined
    if (monitorId === undefined || untrusted.holdsKey(monitorId)) {
      skipped++
      continue
    }
    if (seen.has(monitorId)) continue
    seen.add(monitorId)
    const record = item as Record<string, unknown>
    const name = text(record.name)
    monitors.push({
      id: monitorId,
      name: (name === undefined ? '' : untrusted.text(name)) || `monitor ${monitorId}`,
      status: text(record.status),
      active: flag(record.is_active),
    })
  }
  return { monitors, skipped, duplicates: items.length - skipped - monitors.length }
}
