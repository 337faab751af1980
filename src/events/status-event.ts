import type { JsonRoute } from '../badge/formats/json.js'
import { NO_DOCUMENT_OPTIONS } from '../badge/query.js'
import type { Subject } from '../badge/subject.js'
import type { Snapshot } from '../status/snapshot.js'
import type { StatusEvent } from './hub.js'

/**
 * The `status` event of the live-update stream: the overall badge's JSON,
 * the very bytes /badge.json serves for the snapshot. Its key leaves
 * `updatedAt` out, so that a poll that changes nothing else sends nothing.
 */
export function statusEvents(subject: Subject, json: JsonRoute): (snapshot: Snapshot) => StatusEvent {
  return (snapshot) => {
    const badge = subject.badge(snapshot, {})
    if (!badge) throw new Error(`the ${subject.name} subject always has a badge`)
    const body = json.content(badge, NO_DOCUMENT_OPTIONS).prepare().body
    const { label, message, color, known, fields } = badge
    return { key: JSON.stringify([fields, label, message, color, known, badge.view.stale]), data: String(body) }
  }
}
