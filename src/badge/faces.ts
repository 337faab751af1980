import type { MonitorState } from '../status/monitor-state.js'
import type { StatusKey } from '../status/overall.js'
import type { BadgeColor } from './colors.js'
import type { FaceState, StateWords } from './states.js'

/** What a badge says and in which colour, before any query parameter. */
export interface Face {
  readonly message: string
  /** A badge-maker colour name, or "#" and lower-case hex (BADGE_COLORS). */
  readonly color: string
}

/**
 * A badge ready to draw. `known` is false for "unknown" and for errors: such
 * a badge is cached for seconds only, and shields.io gets `isError`. `state`
 * is set on badges of a status, whose words and colours a request may choose.
 */
export interface BadgeFace extends Face {
  readonly label: string
  readonly known: boolean
  readonly state?: FaceState
}

/** The overall badge: one face per state. */
export const STATUS_FACES: Readonly<Record<StatusKey, Face & { color: BadgeColor }>> = {
  operational: { message: 'operational', color: 'brightgreen' },
  degraded: { message: 'degraded', color: 'yellow' },
  partial_outage: { message: 'partial outage', color: 'orange' },
  major_outage: { message: 'major outage', color: 'red' },
  maintenance: { message: 'maintenance', color: 'blue' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}

/** Component badges: one face per monitor state. */
export const MONITOR_FACES: Readonly<Record<MonitorState, Face & { color: BadgeColor }>> = {
  up: { message: 'up', color: 'brightgreen' },
  down: { message: 'down', color: 'red' },
  pending: { message: 'pending', color: 'yellow' },
  paused: { message: 'paused', color: 'lightgrey' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}

/** A face table with the service's words and colours per state (BADGE_MESSAGES, BADGE_COLORS) in place. */
export function facesWith<K extends string>(
  faces: Readonly<Record<K, Face>>,
  states: Readonly<Record<K, FaceState>>,
  words: StateWords,
): Readonly<Record<K, Face & { readonly state: FaceState }>> {
  const entries = (Object.keys(faces) as K[]).map((key) => {
    const state = states[key]
    const face = faces[key]
    return [
      key,
      { message: words.messages[state] ?? face.message, color: words.colors[state] ?? face.color, state },
    ] as const
  })
  return Object.fromEntries(entries) as Record<K, Face & { readonly state: FaceState }>
}

/** A query parameter that names a state's words or colour. */
export type StateParameter = `${FaceState}Message` | `${FaceState}Color`

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
  | `invalid ${StateParameter}`
  | 'invalid logo'
  | 'invalid logoColor'
  | 'invalid theme'
  | 'invalid ids'
  | 'missing ids'
  | 'too many ids'
  | 'invalid request'
  | 'invalid id'
  | 'bad request'
  | 'busy'
  | 'render timeout'
  | 'internal server error'

/** The HTTP status of a JSON route's error; images and shields JSON answer 200 whatever it is. */
export function errorStatus(reason: BadgeError): number {
  if (reason === 'not found') return 404
  if (reason === 'busy' || reason === 'render timeout') return 503
  return reason === 'internal server error' ? 500 : 400
}

export function errorFace(label: string, reason: BadgeError): BadgeFace {
  return { label, message: reason, color: reason === 'not found' ? 'lightgrey' : 'red', known: false }
}

/** A failure met while making content (a PNG that could not be rendered in time): answered as its error badge, never kept. */
export class BadgeFailure extends Error {
  constructor(readonly reason: BadgeError) {
    super(reason)
    this.name = 'BadgeFailure'
  }
}
