import type { MonitorState } from '../status/monitor-state.js'
import type { StatusKey } from '../status/overall.js'

/**
 * Our six states in Statuspage's words: the page's indicator and
 * description, and a component's status. One table, the README's.
 * Statuspage has no word for "we do not know": `unknown` reads as a minor
 * indicator that says so, which a client colours as a warning rather than
 * as all-clear or as an outage.
 */
export const STATUSPAGE_STATES: Readonly<
  Record<
    StatusKey,
    { readonly indicator: Indicator; readonly description: string; readonly component: ComponentStatus }
  >
> = {
  operational: { indicator: 'none', description: 'All Systems Operational', component: 'operational' },
  degraded: { indicator: 'minor', description: 'Minor Service Outage', component: 'degraded_performance' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage', component: 'partial_outage' },
  major_outage: { indicator: 'critical', description: 'Major Service Outage', component: 'major_outage' },
  maintenance: { indicator: 'minor', description: 'Service Under Maintenance', component: 'under_maintenance' },
  unknown: { indicator: 'minor', description: 'Status Unknown', component: 'degraded_performance' },
}

export const INDICATORS = ['none', 'minor', 'major', 'critical'] as const
export type Indicator = (typeof INDICATORS)[number]
export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number]

/** A monitor's state in the overall vocabulary (as the per-state badge words read it too). */
export const MONITOR_AS_STATUS: Readonly<Record<MonitorState, StatusKey>> = {
  up: 'operational',
  pending: 'degraded',
  down: 'major_outage',
  paused: 'maintenance',
  unknown: 'unknown',
}

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const
export type Impact = (typeof IMPACTS)[number]

const fold = (word: string | undefined) =>
  word
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/**
 * An active incident's status: the upstream's word when it is one of
 * Statuspage's (an active one is never `resolved`), else `investigating`,
 * which is what an unresolved incident is until someone says more.
 */
export function incidentStatus(word: string | undefined): IncidentStatus {
  const folded = fold(word)
  return folded === 'identified' || folded === 'monitoring' ? folded : 'investigating'
}

/** An incident's impact, when the upstream's severity is one of these words (or "major_outage" and the like). */
export function incidentImpact(word: string | undefined): Impact | null {
  const folded = fold(word)
  if (folded === undefined) return null
  if (folded === 'none' || folded === 'minor' || folded === 'major' || folded === 'critical') return folded
  if (folded === 'degraded' || folded === 'degraded_performance' || folded === 'low' || folded === 'warning')
    return 'minor'
  if (folded === 'partial_outage' || folded === 'medium' || folded === 'high') return 'major'
  if (folded === 'major_outage' || folded === 'outage' || folded === 'down') return 'critical'
  return null
}
