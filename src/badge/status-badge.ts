import type { StatusKey } from '../status/overall.js'
import type { BadgeColor } from './colors.js'

export interface BadgeFace {
  readonly message: string
  readonly color: BadgeColor
}

/** The overall badge's face for each state: message text and badge-maker colour. */
export const STATUS_FACES: Readonly<Record<StatusKey, BadgeFace>> = {
  operational: { message: 'operational', color: 'brightgreen' },
  degraded: { message: 'degraded', color: 'yellow' },
  partial_outage: { message: 'partial outage', color: 'orange' },
  major_outage: { message: 'major outage', color: 'red' },
  maintenance: { message: 'maintenance', color: 'blue' },
  unknown: { message: 'unknown', color: 'lightgrey' },
}
