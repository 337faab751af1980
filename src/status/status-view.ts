import type { StatusData } from '../upstream/schema.js'
import { overallStatus, type StatusKey } from './overall.js'
import type { SnapshotView } from './view.js'

export interface StatusView {
  readonly status: StatusKey
  readonly updatedAt: string | null
  readonly stale: boolean
  readonly asOf: number
}

export function toStatusView(view: SnapshotView<StatusData>): StatusView {
  const { data, updatedAt, stale, asOf } = view
  return {
    status: data ? overallStatus(data.overall, data.counts) : 'unknown',
    updatedAt,
    stale,
    asOf,
  }
}
