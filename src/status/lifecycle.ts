import type { FastifyInstance } from 'fastify'
import type { Poller } from './poller.js'
import type { SnapshotStore } from './snapshot.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The background poller; tests (and metrics) read it. */
    poller: Poller
    /** The snapshots the request path reads. */
    snapshots: SnapshotStore
    /** Stops polling and turns /readyz to 503; close() still drains requests. */
    beginShutdown(): void
  }
}

/**
 * The poller's life follows the app's: polling starts when the app is ready
 * and stops when shutdown begins; the snapshot store's timer stops at close.
 * Returns whether shutdown has begun, and a way to be told when it does
 * (live-update streams end then).
 */
export function wireLifecycle(
  app: FastifyInstance,
  poller: Poller,
  snapshots: SnapshotStore,
): { isClosing: () => boolean; onShutdown: (listener: () => void) => void } {
  let closing = false
  const listeners: Array<() => void> = []
  app.decorate('poller', poller)
  app.decorate('snapshots', snapshots)
  app.decorate('beginShutdown', function beginShutdown() {
    if (closing) return
    closing = true
    poller.stop()
    for (const listener of listeners) listener()
  })
  app.addHook('onReady', async function startPolling() {
    poller.start()
  })
  app.addHook('preClose', async function stopPolling() {
    app.beginShutdown()
  })
  app.addHook('onClose', async function stopSnapshots() {
    snapshots.close()
  })
  return { isClosing: () => closing, onShutdown: (listener) => listeners.push(listener) }
}
