import { foldSpelling } from './overall.js'

export const MONITOR_STATES = ['up', 'down', 'pending', 'paused', 'unknown'] as const
export type MonitorState = (typeof MONITOR_STATES)[number]

/** The four documented values, plus the obvious synonyms other monitors use. */
const SPELLINGS: ReadonlyMap<string, Exclude<MonitorState, 'unknown'>> = new Map([
  ['up', 'up'],
  ['online', 'up'],
  ['operational', 'up'],
  ['down', 'down'],
  ['offline', 'down'],
  ['pending', 'pending'],
  ['paused', 'paused'],
  ['disabled', 'paused'],
  ['maintenance', 'paused'],
  ['under_maintenance', 'paused'],
])

/** A monitor switched off (`is_active` false) is paused, whatever its last status. */
export function monitorState(status: string | undefined, active: boolean | undefined): MonitorState {
  if (active === false) return 'paused'
  return (status === undefined ? undefined : SPELLINGS.get(foldSpelling(status))) ?? 'unknown'
}
