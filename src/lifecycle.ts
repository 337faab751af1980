import type { FastifyInstance } from 'fastify'
import type { Poller } from './status/poller.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The background poller; tests (and metrics) read it. */
    poller: Poller
    /** Stops polling and turns /readyz to 503; close() still drains requests. */
    beginShutdown(): void
  }
}

/**
 * The poller's life follows the app's: polling starts when the app is ready
 * and stops when shutdown begins. Returns whether shutdown has begun.
 */
export function wireLifecycle(app: FastifyInstance, poller: Poller): { isClosing: () => boolean } {
  let closing = false
  app.decorate('poller', poller)
  app.decorate('beginShutdown', function beginShutdown() {
    closing = true
    poller.stop()
  })
  app.addHook('onReady', async function startPolling() {
    poller.start()
  })
  app.addHook('preClose', async function stopPolling() {
    app.beginShutdown()
  })
  // close() ends only idle keep-alive sockets; one busy at that moment would
  // linger after its answer until the keep-alive timeout. Ask it to close.
  app.addHook('onSend', function closeConnectionWhenClosing(_request, reply, payload, done) {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  return { isClosing: () => closing }
}
