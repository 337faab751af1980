import type { ComponentCatalog } from '../../status/components.js'
import { COMPONENT_ID } from '../../status/ids.js'
import type { MonitorState } from '../../status/monitor-state.js'
import { STATUS_KEYS, type StatusKey } from '../../status/overall.js'
import { facesWith, STATUS_FACES } from '../faces.js'
import { NO_STATE_WORDS, STATUS_FACE_STATE, type StateWords } from '../states.js'
import type { Subject } from '../subject.js'
import { COMPONENT_LABEL } from './component.js'

/** A roll-up names at most this many components. */
export const MAX_ROLLUP_IDS = 50
/** Room for every id at its longest (64), with a comma, and some repetition. */
const MAX_IDS_LENGTH = 4096

/**
 * The roll-up's state from its components', in the overall badge's words:
 * paused ones are left out, and so are those whose state is unknown; of the
 * rest, all down is a major outage, some a partial one, any pending (none
 * down) degraded, else operational; nothing left, unknown.
 */
export function rollupStatus(states: readonly MonitorState[]): StatusKey {
  const counted = states.filter((state) => state !== 'paused' && state !== 'unknown')
  if (counted.length === 0) return 'unknown'
  const down = counted.filter((state) => state === 'down').length
  if (down === counted.length) return 'major_outage'
  if (down > 0) return 'partial_outage'
  return counted.includes('pending') ? 'degraded' : 'operational'
}

/** "7,2,1,2" → "1,2,7": order and repetition do not change the badge, nor its cache key. */
export function canonicalIds(ids: readonly string[]): string {
  return [...new Set(ids)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : 1)).join(',')
}

/**
 * A badge for a chosen group of components: `/components/badge.svg?ids=1,2,7`,
 * worst state wins. Only public components count; a list naming any other
 * answers exactly as an unknown component id does (the same error answer),
 * so which ids exist cannot be probed.
 */
export function rollupSubject(
  catalog: ComponentCatalog,
  label: string,
  words: StateWords = NO_STATE_WORDS,
): Subject<{ readonly ids: string }> {
  const faces = facesWith(STATUS_FACES, STATUS_FACE_STATE, words)
  return {
    name: 'rollup',
    path: '/components/badge',
    query: {
      properties: {
        ids: { type: 'string', maxLength: MAX_IDS_LENGTH, pattern: '^[A-Za-z0-9_,-]*$' },
      },
      required: ['ids'],
    },
    identify(query) {
      const listed = String(query.ids)
        .split(',')
        .filter((id) => id !== '')
      if (listed.length === 0) return 'missing ids'
      if (!listed.every((id) => COMPONENT_ID.test(id))) return 'invalid ids'
      const ids = canonicalIds(listed)
      return ids.split(',').length > MAX_ROLLUP_IDS ? 'too many ids' : { ids }
    },
    fields: {
      ids: { type: 'array', items: { type: 'string' } },
      status: { type: 'string', enum: STATUS_KEYS },
    },
    resource: 'monitors',
    // The label of "not found": the component badges' own, so both answers are one.
    errorLabel: COMPONENT_LABEL,
    badge(snapshot, { ids }) {
      const states: MonitorState[] = []
      const list = ids.split(',')
      for (const id of list) {
        const lookup = catalog.lookup(snapshot, id)
        if (lookup.kind === 'not-found') return undefined
        states.push(lookup.kind === 'found' ? lookup.component.state : 'unknown')
      }
      const status = rollupStatus(states)
      return {
        label,
        ...faces[status],
        known: status !== 'unknown',
        fields: { ids: list, status },
        view: snapshot.monitors,
      }
    },
  }
}
