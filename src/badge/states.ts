import type { MonitorState } from '../status/monitor-state.js'
import type { StatusKey } from '../status/overall.js'

/**
 * The states a status badge can be in, as its words and colours are named
 * (`majorOutageMessage`, BADGE_MESSAGES=majorOutage=down). A component's
 * states count as the nearest of these.
 */
export const FACE_STATES = [
  'operational',
  'degraded',
  'partialOutage',
  'majorOutage',
  'maintenance',
  'unknown',
] as const
export type FaceState = (typeof FACE_STATES)[number]

export const STATUS_FACE_STATE: Readonly<Record<StatusKey, FaceState>> = {
  operational: 'operational',
  degraded: 'degraded',
  partial_outage: 'partialOutage',
  major_outage: 'majorOutage',
  maintenance: 'maintenance',
  unknown: 'unknown',
}

export const MONITOR_FACE_STATE: Readonly<Record<MonitorState, FaceState>> = {
  up: 'operational',
  pending: 'degraded',
  down: 'majorOutage',
  paused: 'maintenance',
  unknown: 'unknown',
}

/** Words and colours for some states: the service's (BADGE_MESSAGES, BADGE_COLORS) or a request's. */
export interface StateWords {
  readonly messages: Readonly<Partial<Record<FaceState, string>>>
  readonly colors: Readonly<Partial<Record<FaceState, string>>>
}

export const NO_STATE_WORDS: StateWords = { messages: {}, colors: {} }
