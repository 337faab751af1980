import type { PublicComponents } from '../config-fields.js'
import type { Monitor, MonitorsData } from '../upstream/schema.js'
import { monitorState, type MonitorState } from './monitor-state.js'
import type { SnapshotView } from './view.js'

/** One public component as badges show it: never its target or type. */
export interface Component {
  readonly id: string
  readonly name: string
  readonly state: MonitorState
}

/** A component badge's subject: found, unknown for now, or not found (hidden and missing alike). */
export type ComponentLookup =
  | { readonly kind: 'found'; readonly component: Component }
  | { readonly kind: 'unknown'; readonly id: string; readonly name: string | undefined }
  | { readonly kind: 'not-found' }

const toComponent = (monitor: Monitor, known: boolean): Component => ({
  id: monitor.id,
  name: monitor.name,
  state: known ? monitorState(monitor.status, monitor.active) : 'unknown',
})

/**
 * Which monitors are public (PUBLIC_COMPONENTS) and how they look now.
 * A hidden id gets the same answer as a missing one, so ids cannot be probed.
 */
export function createComponentCatalog(visibility: PublicComponents) {
  const isPublic = (id: string) => visibility === '*' || visibility.has(id)

  return {
    isPublic,
    /** Whether any monitor can be public at all. */
    publishesAny: visibility === '*' || visibility.size > 0,

    lookup(view: SnapshotView<MonitorsData>, id: string): ComponentLookup {
      if (!isPublic(id)) return { kind: 'not-found' }
      // Until /monitors has answered once, a public id may well exist.
      if (!view.last) return { kind: 'unknown', id, name: undefined }
      const monitor = view.last.monitors.find((m) => m.id === id)
      if (!monitor) return { kind: 'not-found' }
      // Too old to show its state: keep the name, say unknown.
      return { kind: 'found', component: toComponent(monitor, view.data !== undefined) }
    },

    /** The public components, in the upstream's order. */
    list(view: SnapshotView<MonitorsData>): Component[] {
      if (!view.last) return []
      const known = view.data !== undefined
      return view.last.monitors.filter((m) => isPublic(m.id)).map((m) => toComponent(m, known))
    },
  }
}

export type ComponentCatalog = ReturnType<typeof createComponentCatalog>
