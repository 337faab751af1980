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

/**
 * One of `active_incidents[]`, whose shape the vendor does not document:
 * read as tolerantly as the rest (a string is a title; the usual names of
 * each field are tried in turn). Nothing else of an item is kept.
 */
export interface Incident {
  /** The upstream's id when it gives one. */
  readonly id: string | undefined
  readonly title: string | undefined
  /** As the upstream spells it: the Statuspage layer maps it. */
  readonly status: string | undefined
  readonly impact: string | undefined
  /** The monitor it concerns, when it names one: then it is public only if that monitor is. */
  readonly monitorId: string | undefined
  readonly startedAt: string | undefined
  readonly updatedAt: string | undefined
}

/** At most this many incidents are read from one answer. */
export const MAX_INCIDENTS = 100

/** GET /status → data, as the status model reads it. */
export interface StatusData {
  readonly overall: string | undefined
  readonly counts: StatusCounts
  readonly uptimePercentage: number | undefined
  readonly activeIncidents: number | undefined
  readonly incidents: readonly Incident[]
  readonly upstreamTime: string | undefined
}

const first = <T>(record: Record<string, unknown>, names: readonly string[], read: (v: unknown) => T | undefined) => {
  for (const name of names) {
    const value = read(record[name])
    if (value !== undefined) return value
  }
  return undefined
}

/**
 * A title is upstream text bound for responses (Statuspage documents,
 * /badge.json, the landing page), so it goes through `untrusted.text`; the
 * id is published as it is and the monitor id decides who may see the
 * incident, so an incident whose ids hold the key is left out, not cut.
 */
function readIncident(item: unknown, untrusted: Untrusted): Incident | undefined {
  const titled = (title: string | undefined) => (title === undefined ? undefined : untrusted.text(title) || undefined)
  if (typeof item === 'string') {
    const title = text(item)
    return title === undefined
      ? undefined
      : {
          id: undefined,
          title: titled(title),
          status: undefined,
          impact: undefined,
          monitorId: undefined,
          startedAt: undefined,
          updatedAt: undefined,
        }
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined
  const record = item as Record<string, unknown>
  const monitor = record.monitor
  const nested =
    typeof monitor === 'object' && monitor !== null ? id((monitor as Record<string, unknown>).id) : undefined
  const incidentId = id(record.id)
  const monitorId = first(record, ['monitor_id', 'monitorId', 'component_id'], id) ?? nested
  if ([incidentId, monitorId].some((value) => value !== undefined && untrusted.holdsKey(value))) return undefined
  return {
    id: incidentId,
    title: titled(first(record, ['title', 'name', 'message', 'summary', 'description'], text)),
    status: first(record, ['status', 'state'], text),
    impact: first(record, ['impact', 'severity', 'level'], text),
    monitorId,
    startedAt: first(record, ['started_at', 'created_at', 'start_time', 'startedAt', 'createdAt'], timestamp),
    updatedAt: first(record, ['updated_at', 'updatedAt'], timestamp),
  }
}

function readIncidents(value: unknown, untrusted: Untrusted): Incident[] {
  if (!Array.isArray(value)) return []
  const incidents: Incident[] = []
  for (const item of value.slice(0, MAX_INCIDENTS)) {
    const incident = readIncident(item, untrusted)
    if (incident) incidents.push(incident)
  }
  return incidents
}

export function readStatus(
  data: { status: Record<string, unknown>; [key: string]: unknown },
  untrusted: Untrusted,
): StatusData {
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
    incidents: readIncidents(incidents, untrusted),
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
  readonly createdAt?: string | undefined
  readonly updatedAt?: string | undefined
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
      createdAt: timestamp(record.created_at),
      updatedAt: timestamp(record.updated_at),
    })
  }
  return { monitors, skipped, duplicates: items.length - skipped - monitors.length }
}
