import { overallStatus, STATUS_KEYS } from '../../status/overall.js'
import { STATUS_FACES } from '../faces.js'
import type { Subject } from '../subject.js'

/** The overall badge, from GET /status: `/badge.svg`, `/badge.json`, `/badge.shields.json`. */
export function overallSubject(label: string): Subject {
  return {
    name: 'overall',
    path: '/badge',
    fields: { status: { type: 'string', enum: STATUS_KEYS } },
    resource: 'status',
    errorLabel: label,
    badge({ status: view }) {
      const status = view.data ? overallStatus(view.data.overall, view.data.counts) : 'unknown'
      return { label, ...STATUS_FACES[status], known: status !== 'unknown', fields: { status }, view }
    },
  }
}
