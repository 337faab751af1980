import type { StatusCounts } from '../upstream/schema.js'

export const STATUS_KEYS = [
  'operational',
  'degraded',
  'partial_outage',
  'major_outage',
  'maintenance',
  'unknown',
] as const

export type StatusKey = (typeof STATUS_KEYS)[number]

/**
 * Wire spellings, folded to lower case with spaces and hyphens as "_", mapped
 * to the five states. Statuspage's vocabulary is included because the
 * vendor's state names follow it.
 */
const SPELLINGS: ReadonlyMap<string, Exclude<StatusKey, 'unknown'>> = new Map([
  ['operational', 'operational'],
  ['degraded', 'degraded'],
  ['degraded_performance', 'degraded'],
  ['partial_outage', 'partial_outage'],
  ['major_outage', 'major_outage'],
  ['maintenance', 'maintenance'],
  ['under_maintenance', 'maintenance'],
])

export function foldSpelling(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
}

/**
 * The overall state from GET /status. Precedence:
 * 1. every counted monitor down (down >= total > 0): major_outage, whatever
 *    was reported (the vendor's docs only ever show operational/degraded);
 * 2. a recognised `overall_status`;
 * 3. derived from the counts; no usable counts: unknown.
 */
export function overallStatus(reported: string | undefined, counts: StatusCounts): StatusKey {
  const { total, down } = counts
  if (total !== undefined && down !== undefined && total > 0 && down >= total) return 'major_outage'
  const recognised = reported === undefined ? undefined : SPELLINGS.get(foldSpelling(reported))
  if (recognised) return recognised
  if (total === undefined || down === undefined || total === 0) return 'unknown'
  return down === 0 ? 'operational' : 'partial_outage'
}

/** The overall state a view of GET /status shows: unknown when it has no data to show. */
export function viewStatus(view: {
  readonly data: { overall: string | undefined; counts: StatusCounts } | undefined
}): StatusKey {
  return view.data ? overallStatus(view.data.overall, view.data.counts) : 'unknown'
}
