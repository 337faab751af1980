import type { FastifyInstance } from 'fastify'
import { ERROR_BODY } from '../badge/schemas.js'
import type { EventHub, EventHubOptions } from './hub.js'

export interface EventRouteOptions extends EventHubOptions {
  /** Told when shutdown begins: the streams end then, inside the drain. */
  readonly onShutdown: (listener: () => void) => void
}

/**
 * GET /events: live updates (Server-Sent Events). The hub, and the
 * subscription to snapshots that feeds it, are made on the first request:
 * a service nobody listens to live holds nothing for it.
 */
export async function eventRoutes(app: FastifyInstance, options: EventRouteOptions): Promise<void> {
  let hub: EventHub | undefined
  let closed = false
  options.onShutdown(() => {
    closed = true
    hub?.close()
  })

  app.get(
    '/events',
    {
      schema: {
        summary: 'Live updates: the overall status as a Server-Sent Events stream',
        response: {
          200: {
            type: 'string',
            description: 'text/event-stream: a `status` event with /badge.json on connect and at each change',
          },
          503: ERROR_BODY,
        },
      },
    },
    async function events(request, reply) {
      if (!hub) {
        const { createEventHub } = await import('./hub.js')
        hub ??= createEventHub(options)
        if (closed) hub.close()
      }
      return hub.accept(request, reply)
    },
  )
}
