import { Ajv } from 'ajv'
import { COMPONENT_ID_PATTERN } from '../status/ids.js'
import type { PollOutcome, Resource, ResourceData, SharedResource } from '../status/poller.js'
import { MAX_BODY_BYTES } from '../upstream/client.js'
import { MAX_INCIDENTS, type Incident, type Monitor, type MonitorsData, type StatusData } from '../upstream/schema.js'

/**
 * The most a shared record may weigh, read or written. A record holds what
 * the client read from one upstream answer (itself capped at 1 MiB), minus
 * what it drops (monitor targets and types) and plus what it spells out
 * (`"name": "monitor 7"` for a nameless monitor, ISO timestamps): at worst
 * about 3.4 times the answer, for a list of bare `{"id": n}` items. Four
 * times the upstream's cap keeps every record a real answer can make, and a
 * Redis that holds something else can cost a replica no more than that.
 */
export const MAX_RECORD_BYTES = 4 * MAX_BODY_BYTES

const RECORD_VERSION = 1

/** What the leader writes for a resource after each poll: its data, when it was read, how the last poll went. */
export interface SharedRecord<R extends Resource = Resource> extends SharedResource<R> {
  readonly resource: R
}

const ajv = new Ajv({ allErrors: false, validateSchema: false })

// Strings are bounded by the record's size alone, as the upstream's are by its answer's.
const TEXT = { type: 'string' } as const
const COUNT = { type: 'integer', minimum: 0 } as const
const TIME_MS = { type: 'integer', minimum: 0 } as const
/** As src/upstream/lenient.ts writes them: Date#toISOString(). */
const ISO = { type: 'string', pattern: '^[+-]?\\d{4,6}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' } as const
const object = (properties: Record<string, object>, required: string[] = []) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as const

const INCIDENT = object({
  id: TEXT,
  title: TEXT,
  status: TEXT,
  impact: TEXT,
  monitorId: TEXT,
  startedAt: ISO,
  updatedAt: ISO,
})

const STATUS_DATA = object(
  {
    overall: TEXT,
    counts: object({ total: COUNT, up: COUNT, down: COUNT, pending: COUNT, paused: COUNT }),
    uptimePercentage: { type: 'number', minimum: 0, maximum: 100 },
    activeIncidents: COUNT,
    incidents: { type: 'array', maxItems: MAX_INCIDENTS, items: INCIDENT },
    upstreamTime: ISO,
  },
  ['counts', 'incidents'],
)

const MONITOR = object(
  {
    id: { type: 'string', pattern: COMPONENT_ID_PATTERN },
    name: TEXT,
    status: TEXT,
    active: { type: 'boolean' },
    createdAt: ISO,
    updatedAt: ISO,
  },
  ['id', 'name'],
)

const MONITORS_DATA = object({ monitors: { type: 'array', items: MONITOR }, skipped: COUNT, duplicates: COUNT }, [
  'monitors',
  'skipped',
  'duplicates',
])

const OUTCOME = object(
  {
    ok: { type: 'boolean' },
    at: TIME_MS,
    durationMs: { type: 'integer' },
    error: object(
      {
        code: { type: 'string', pattern: '^[A-Z_]{1,64}$' },
        reason: { type: 'string', maxLength: 64 },
        upstreamStatus: { type: 'integer', minimum: 100, maximum: 599 },
      },
      ['code', 'reason'],
    ),
  },
  ['ok', 'at', 'durationMs'],
)

const record = (resource: Resource, data: object) =>
  object(
    {
      v: { const: RECORD_VERSION },
      resource: { const: resource },
      snapshot: { anyOf: [{ type: 'null' }, object({ fetchedAt: TIME_MS, data }, ['fetchedAt', 'data'])] },
      outcome: OUTCOME,
      failures: COUNT,
      nextPollAt: { anyOf: [{ type: 'null' }, TIME_MS] },
    },
    ['v', 'resource', 'snapshot', 'outcome', 'failures', 'nextPollAt'],
  )

interface RecordJson {
  snapshot: { fetchedAt: number; data: unknown } | null
  outcome: {
    ok: boolean
    at: number
    durationMs: number
    error?: { code: string; reason: string; upstreamStatus?: number }
  }
  failures: number
  nextPollAt: number | null
}

const VALIDATORS = {
  status: ajv.compile<RecordJson & { snapshot: { data: StatusJson } | null }>(record('status', STATUS_DATA)),
  monitors: ajv.compile<RecordJson & { snapshot: { data: MonitorsJson } | null }>(record('monitors', MONITORS_DATA)),
}

type Optional<T> = { [K in keyof T]?: Exclude<T[K], undefined> }
type StatusJson = Optional<Omit<StatusData, 'counts' | 'incidents'>> & {
  counts: Optional<StatusData['counts']>
  incidents: Array<Optional<Incident>>
}
type MonitorsJson = {
  monitors: Array<Optional<Monitor> & { id: string; name: string }>
  skipped: number
  duplicates: number
}

/** A resource's record as JSON (undefined fields left out). */
export function encodeRecord<R extends Resource>(shared: SharedRecord<R>): string {
  const { resource, snapshot, lastOutcome, consecutiveFailures, nextPollAt } = shared
  return JSON.stringify({
    v: RECORD_VERSION,
    resource,
    snapshot: snapshot ? { fetchedAt: snapshot.fetchedAt, data: snapshot.data } : null,
    outcome: lastOutcome,
    failures: consecutiveFailures,
    nextPollAt: nextPollAt ?? null,
  })
}

export type Decoded<R extends Resource> = { readonly record: SharedRecord<R> } | { readonly problem: string }

/**
 * A record read from Redis, checked as an upstream answer is: its size, then
 * its shape (JSON Schema, by ajv, nothing more than the record holds: a
 * monitor's target, say, fails it), then rebuilt field by field into the
 * very objects the poller makes.
 */
export function decodeRecord<R extends Resource>(resource: R, body: string): Decoded<R> {
  if (Buffer.byteLength(body) > MAX_RECORD_BYTES) return { problem: 'larger than the record bound' }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { problem: 'not JSON' }
  }
  const validate = VALIDATORS[resource]
  if (!validate(parsed)) {
    const first = validate.errors?.[0]
    return { problem: `unexpected shape at ${first?.instancePath || '(root)'}: ${first?.message ?? 'invalid'}` }
  }
  const json = parsed as RecordJson
  const data = json.snapshot && readData(resource, json.snapshot.data)
  return {
    record: {
      resource,
      snapshot: json.snapshot && data ? { resource, data, fetchedAt: json.snapshot.fetchedAt } : undefined,
      lastOutcome: readOutcome(json.outcome),
      consecutiveFailures: json.failures,
      nextPollAt: json.nextPollAt ?? undefined,
    },
  }
}

function readData<R extends Resource>(resource: R, data: unknown): ResourceData[R] {
  return (
    resource === 'status' ? readStatusJson(data as StatusJson) : readMonitorsJson(data as MonitorsJson)
  ) as ResourceData[R]
}

function readOutcome(outcome: RecordJson['outcome']): PollOutcome {
  const { ok, at, durationMs, error } = outcome
  if (!error) return { ok, at, durationMs }
  return { ok, at, durationMs, error: { code: error.code, reason: error.reason, upstreamStatus: error.upstreamStatus } }
}

/** The shape src/upstream/schema.ts's readStatus makes, every field present. */
function readStatusJson(json: StatusJson): StatusData {
  const { counts } = json
  return {
    overall: json.overall,
    counts: { total: counts.total, up: counts.up, down: counts.down, pending: counts.pending, paused: counts.paused },
    uptimePercentage: json.uptimePercentage,
    activeIncidents: json.activeIncidents,
    incidents: json.incidents.map((incident) => ({
      id: incident.id,
      title: incident.title,
      status: incident.status,
      impact: incident.impact,
      monitorId: incident.monitorId,
      startedAt: incident.startedAt,
      updatedAt: incident.updatedAt,
    })),
    upstreamTime: json.upstreamTime,
  }
}

/** The shape readMonitors makes. */
function readMonitorsJson(json: MonitorsJson): MonitorsData {
  return {
    monitors: json.monitors.map((monitor) => ({
      id: monitor.id,
      name: monitor.name,
      status: monitor.status,
      active: monitor.active,
      createdAt: monitor.createdAt,
      updatedAt: monitor.updatedAt,
    })),
    skipped: json.skipped,
    duplicates: json.duplicates,
  }
}
