import type { MonitorsData, StatusData } from '../upstream/schema.js'
import { createComponentIndex, type ComponentIndex } from './components.js'
import { resourceView, type Freshness, type ResourceView } from './freshness.js'
import type { Clock, Poller, Resource } from './poller.js'

/** How long a request may wait for the very first poll; never longer. */
export const FIRST_POLL_WAIT_MS = 2_000

/**
 * Everything the request path reads, as of one moment: each resource as a
 * badge should show it, and the monitors indexed by id. Immutable; a new one
 * (with the next generation number) replaces it when a poll settles or when
 * time alone changes a view (fresh → stale → expired).
 */
export interface Snapshot {
  readonly generation: number
  readonly status: ResourceView<StatusData>
  readonly monitors: ResourceView<MonitorsData>
  readonly components: ComponentIndex
  /** Whether each resource's first poll has settled (either way). */
  readonly settled: Readonly<Record<Resource, boolean>>
  /** When time alone will change a view. */
  readonly validUntil: number
}

export interface SnapshotStore {
  /** The snapshot for now: never calls the upstream, never waits. */
  current(): Snapshot
  /** Settles when the resource's first poll has, or after FIRST_POLL_WAIT_MS, whichever is first. */
  firstPoll(resource: Resource): Promise<void>
  /** Builds the snapshot again (a poll settled). */
  update(): void
  /** Told of every new snapshot; returns the unsubscribe. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void
  close(): void
}

export interface SnapshotStoreOptions {
  readonly poller: Poller
  readonly clock: Clock
  readonly freshness: Freshness
  readonly startedAt: number
  readonly firstPollWaitMs?: number
}

/**
 * The one place a snapshot is made. Requests read `current()`: a field read
 * and a clock check. A timer (unref'd, cleared at close) rebuilds it when a
 * view's time runs out, so that subscribers hear of a change of staleness
 * without a request; `current()` checks the clock too, so a late timer never
 * serves an outdated view.
 */
export function createSnapshotStore(options: SnapshotStoreOptions): SnapshotStore {
  const { poller, clock, freshness, startedAt } = options
  const waitMs = options.firstPollWaitMs ?? FIRST_POLL_WAIT_MS
  const listeners = new Set<(snapshot: Snapshot) => void>()
  let timer: NodeJS.Timeout | undefined
  let closed = false
  let generation = 0
  let index: { data: MonitorsData | undefined; components: ComponentIndex } | undefined

  function build(): Snapshot {
    const now = clock.now()
    const view = <R extends Resource>(resource: R) =>
      resourceView(poller.snapshot(resource), poller.state(resource), now, freshness, startedAt)
    const status = view('status')
    const monitors = view('monitors')
    // The index is rebuilt only when the monitors themselves change.
    const components =
      index !== undefined && index.data === monitors.last ? index.components : createComponentIndex(monitors.last)
    index = { data: monitors.last, components }
    return {
      generation: ++generation,
      status,
      monitors,
      components,
      settled: {
        status: poller.state('status').firstAttemptSettled,
        monitors: poller.state('monitors').firstAttemptSettled,
      },
      validUntil: Math.min(status.validUntil, monitors.validUntil),
    }
  }

  let snapshot = build()

  function update() {
    snapshot = build()
    clearTimeout(timer)
    timer = undefined
    if (!closed && Number.isFinite(snapshot.validUntil)) {
      timer = setTimeout(update, Math.max(0, snapshot.validUntil - clock.now()) + 1)
      timer.unref()
    }
    for (const listener of listeners) listener(snapshot)
  }

  return {
    current() {
      if (clock.now() > snapshot.validUntil) update()
      return snapshot
    },
    async firstPoll(resource) {
      if (poller.state(resource).firstAttemptSettled) return
      let deadline: NodeJS.Timeout | undefined
      await Promise.race([
        poller.firstAttempt(resource),
        new Promise<void>((resolve) => {
          deadline = setTimeout(resolve, waitMs)
          deadline.unref()
        }),
      ])
      clearTimeout(deadline)
    },
    update,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed = true
      clearTimeout(timer)
      listeners.clear()
    },
  }
}

/**
 * `serve(snapshot)` now, or, before the resource's first poll has settled,
 * once it has (at most FIRST_POLL_WAIT_MS later): the only wait a request
 * ever makes.
 */
export function withSnapshot<T>(
  store: SnapshotStore,
  resource: Resource,
  serve: (snapshot: Snapshot) => T,
): T | Promise<T> {
  const snapshot = store.current()
  if (snapshot.settled[resource]) return serve(snapshot)
  return store.firstPoll(resource).then(() => serve(store.current()))
}
