import { z } from 'zod'
import { count, flag, id, percentage, successFlag, text, timestamp } from './lenient.js'

/** The documented error envelope: `{"success": false, "error": "<message>"}`. */
export const errorEnvelope = z.object({
  success: z.unknown(),
  error: z.unknown(),
})

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: successFlag, data })
}

/** GET /status → data. Only what the badges use is read; the rest is dropped. */
export const statusData = z
  .object({
    status: z.object({
      total: count,
      up: count,
      down: count,
      pending: count,
      paused: count,
      overall_status: text,
      uptime_percentage: percentage,
    }),
    active_incidents: z.array(z.unknown()).optional().catch(undefined),
    timestamp,
  })
  .transform((d) => ({
    overall: d.status.overall_status,
    counts: {
      total: d.status.total,
      up: d.status.up,
      down: d.status.down,
      pending: d.status.pending,
      paused: d.status.paused,
    },
    uptimePercentage: d.status.uptime_percentage,
    activeIncidents: d.active_incidents?.length,
    upstreamTime: d.timestamp,
  }))

export type StatusData = z.output<typeof statusData>
export type StatusCounts = StatusData['counts']

/**
 * One monitor. `target` (the monitored address, possibly internal) and `type`
 * are deliberately not read, so they cannot travel any further.
 */
export const monitor = z
  .object({
    id,
    name: text,
    status: text,
    is_active: flag,
  })
  .transform((m) => ({
    id: m.id,
    name: m.name ?? `monitor ${m.id}`,
    status: m.status,
    active: m.is_active,
  }))

export type Monitor = z.output<typeof monitor>

/** GET /monitors → data; items are checked one by one (see the client). */
export const monitorsData = z.object({
  monitors: z.array(z.unknown()),
})

export interface MonitorsData {
  readonly monitors: readonly Monitor[]
  /** Items that could not be read (no usable id, not an object) and were left out. */
  readonly skipped: number
}
