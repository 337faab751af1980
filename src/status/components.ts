import type { PublicComponents } from '../config/fields.js'
import type { Monitor, MonitorsData } from '../upstream/schema.js'
import { monitorState, type MonitorState } from './monitor-state.js'
import type { Snapshot } from './snapshot.js'

/**
 * At most this many components are listed in a document (/components.json,
 * the Statuspage API): the documents of a snapshot are prepared and kept
 * whole, so their size is bounded (README, "Memory"); a component past it
 * still has its own badge.
 */
export const MAX_DOCUMENT_COMPONENTS = 2000

/** One public component as badges show it: never its target or type. */
export interface Component {
  readonly id: string
  readonly name: string
  readonly state: MonitorState
}

/** The monitors of one snapshot by id. A repeated id keeps its first entry, in every output. */
export interface ComponentIndex {
  readonly byId: ReadonlyMap<string, Monitor>
  /** In the upstream's order, each id once. */
  readonly monitors: readonly Monitor[]
}

export function createComponentIndex(data: MonitorsData | undefined): ComponentIndex {
  const byId = new Map<string, Monitor>()
  for (const monitor of data?.monitors ?? []) if (!byId.has(monitor.id)) byId.set(monitor.id, monitor)
  return { byId, monitors: [...byId.values()] }
}

/** A component badge's subject: found, unknown for now, or not found (hidden and missing alike). */
export type ComponentLookup =
  | { readonly kind: 'found'; readonly component: Component }
  | { readonly kind: 'unknown'; readonly id: string }
  | { readonly kind: 'not-found' }

const toComponent = (monitor: Monitor, known: boolean): Component => ({
  id: monitor.id,
  name: monitor.name,
  state: known ? monitorState(monitor.status, monitor.active) : 'unknown',
})

/**
 * Which monitors are public (PUBLIC_COMPONENTS) and how they look in a
 * snapshot. A hidden id gets the same answer as a missing one, so ids
 * cannot be probed.
 */
export function createComponentCatalog(visibility: PublicComponents) {
  const isPublic = (id: string) => visibility === '*' || visibility.has(id)

  return {
    isPublic,
    /** Whether any monitor can be public at all. */
    publishesAny: visibility === '*' || visibility.size > 0,
    /** How many ids PUBLIC_COMPONENTS names, or "*" for all. */
    namedCount: visibility === '*' ? ('*' as const) : visibility.size,

    lookup(snapshot: Snapshot, id: string): ComponentLookup {
      if (!isPublic(id)) return { kind: 'not-found' }
      // Until /monitors has answered once, a public id may well exist.
      if (!snapshot.monitors.last) return { kind: 'unknown', id }
      const monitor = snapshot.components.byId.get(id)
      if (!monitor) return { kind: 'not-found' }
      // Too old to show its state: keep the name, say unknown.
      return { kind: 'found', component: toComponent(monitor, snapshot.monitors.data !== undefined) }
    },

    /** The public components, in the upstream's order; at most `limit`. */
    list(snapshot: Snapshot, limit = MAX_DOCUMENT_COMPONENTS): Component[] {
      const known = snapshot.monitors.data !== undefined
      const listed: Component[] = []
      for (const monitor of snapshot.components.monitors) {
        if (listed.length >= limit) break
        if (isPublic(monitor.id)) listed.push(toComponent(monitor, known))
      }
      return listed
    },

    /** How many public components the snapshot has in all. */
    count(snapshot: Snapshot): number {
      let count = 0
      for (const monitor of snapshot.components.monitors) if (isPublic(monitor.id)) count++
      return count
    },
  }
}

export type ComponentCatalog = ReturnType<typeof createComponentCatalog>
