import type { MonitorState } from '../status/monitor-state.js'
import type { StatusKey } from '../status/overall.js'
import type { BadgeColor } from './colors.js'

/** What a badge says and in which colour, before any query parameter. */
export interface Face {
  readonly message: string
  readonly color: BadgeColor
}

/**
 * A badge ready to draw. `known` is false for "unknown" and for errors: such
 * a badge is cached for seconds only, and shields.io gets `isError`.
 */
export interface BadgeFace extends Face {
  readonly label: string
  readonly known: boolean
}

/** The overall badge: one face per state. */
export const STATUS_FACES: Readonly<Record<StatusKey, Face>> = {
  operational: { message: 'operational', color: 'brightgreen' },
  degraded: { message: 'degraded', color: 'yellow' },
  partial_outage: { message: 'partial outage', color: 'orange' },
  major_outage: { message: 'major outage', color: 'red' },
  maintenance: { message: 'maintenance', color: 'blue' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}

/** Component badges: one face per monitor state. */
export const MONITOR_FACES: Readonly<Record<MonitorState, Face>> = {
  up: { message: 'up', color: 'brightgreen' },
  down: { message: 'down', color: 'red' },
  pending: { message: 'pending', color: 'yellow' },
  paused: { message: 'paused', color: 'lightgrey' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}

/**
 * Why an answer could not be what was asked: the text is an error badge's
 * message, a JSON error's `error` and the X-Badge-Error header.
 */
export type BadgeError =
  | 'not found'
  | 'invalid style'
  | 'invalid label'
  | 'invalid labelColor'
  | 'invalid color'
  | 'invalid request'
  | 'invalid id'
  | 'bad request'
  | 'internal server error'

/** The HTTP status of a JSON route's error; images and shields JSON answer 200 whatever it is. */
export function errorStatus(reason: BadgeError): number {
  if (reason === 'not found') return 404
  return reason === 'internal server error' ? 500 : 400
}

export function errorFace(label: string, reason: BadgeError): BadgeFace {
  return { label, message: reason, color: reason === 'not found' ? 'lightgrey' : 'red', known: false }
}
