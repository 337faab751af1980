import type { Subject } from '../subject.js'
import { uptimeFace } from '../uptime.js'

export const UPTIME_LABEL = 'uptime'

/** The uptime badge, from `uptime_percentage` in GET /status: `/uptime/badge.svg` and the rest. */
export const uptimeSubject: Subject = {
  name: 'uptime',
  path: '/uptime/badge',
  fields: { uptime: { anyOf: [{ type: 'number', minimum: 0, maximum: 100 }, { type: 'null' }] } },
  resource: 'status',
  errorLabel: UPTIME_LABEL,
  badge({ status: view }) {
    const uptime = view.data?.uptimePercentage
    return {
      label: UPTIME_LABEL,
      ...uptimeFace(uptime),
      known: uptime !== undefined,
      fields: { uptime: uptime ?? null },
      view,
    }
  },
}
