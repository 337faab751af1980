import type { ComponentCatalog } from '../../status/components.js'
import { COMPONENT_ID_PATTERN } from '../../status/ids.js'
import { MONITOR_STATES } from '../../status/monitor-state.js'
import { facesWith, MONITOR_FACES } from '../faces.js'
import { MONITOR_FACE_STATE, NO_STATE_WORDS, type StateWords } from '../states.js'
import type { Subject } from '../subject.js'

/** The label of a component's error badges. */
export const COMPONENT_LABEL = 'component'

/**
 * One public monitor's badge: `/components/:id/badge.svg` and the rest. A
 * hidden id and a missing one are both "not found", answered alike.
 */
export function componentSubject(
  catalog: ComponentCatalog,
  words: StateWords = NO_STATE_WORDS,
): Subject<{ readonly id: string }> {
  const faces = facesWith(MONITOR_FACES, MONITOR_FACE_STATE, words)
  return {
    name: 'component',
    path: '/components/:id/badge',
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: COMPONENT_ID_PATTERN } },
    },
    fields: {
      id: { type: 'string' },
      name: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      status: { type: 'string', enum: MONITOR_STATES },
    },
    resource: 'monitors',
    errorLabel: COMPONENT_LABEL,
    badge(snapshot, { id }) {
      const view = snapshot.monitors
      const lookup = catalog.lookup(snapshot, id)
      if (lookup.kind === 'not-found') return undefined
      if (lookup.kind === 'unknown') {
        return {
          label: id,
          ...faces.unknown,
          known: false,
          fields: { id, name: null, status: 'unknown' },
          view,
        }
      }
      const { name, state } = lookup.component
      return {
        label: name,
        ...faces[state],
        known: state !== 'unknown',
        fields: { id, name, status: state },
        view,
      }
    },
  }
}
