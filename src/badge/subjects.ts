import type { ComponentLookup } from '../status/components.js'
import { overallStatus, type StatusKey } from '../status/overall.js'
import type { SnapshotView } from '../status/view.js'
import type { StatusData } from '../upstream/schema.js'
import { MONITOR_FACES, STATUS_FACES, type BadgeFace } from './faces.js'
import { uptimeFace } from './uptime.js'

/** Pure: what each badge shows, from a view of the polled data. */

export const UPTIME_LABEL = 'uptime'
/** The label of a component badge that has no name to show. */
export const COMPONENT_LABEL = 'component'

export function overallBadge(view: SnapshotView<StatusData>, label: string): { status: StatusKey; face: BadgeFace } {
  const status = view.data ? overallStatus(view.data.overall, view.data.counts) : 'unknown'
  return { status, face: { label, ...STATUS_FACES[status], known: status !== 'unknown' } }
}

export function uptimeBadge(view: SnapshotView<StatusData>): { uptime: number | null; face: BadgeFace } {
  const uptime = view.data?.uptimePercentage
  return {
    uptime: uptime ?? null,
    face: { label: UPTIME_LABEL, ...uptimeFace(uptime), known: uptime !== undefined },
  }
}

export function componentBadge(lookup: Exclude<ComponentLookup, { kind: 'not-found' }>) {
  if (lookup.kind === 'unknown') {
    const face: BadgeFace = { label: lookup.name ?? lookup.id, ...MONITOR_FACES.unknown, known: false }
    return { id: lookup.id, name: lookup.name ?? null, status: 'unknown' as const, face }
  }
  const { id, name, state } = lookup.component
  const face: BadgeFace = { label: name, ...MONITOR_FACES[state], known: state !== 'unknown' }
  return { id, name, status: state, face }
}
