import type { FastifyInstance } from 'fastify'
import { ERROR_BODY } from '../badge/schemas.js'
import type { EventHub, EventHubOptions } from './hub.js'

/** What the live updates have done so far, for /metrics. */
export interface LiveUpdateStats {
  readonly open: number
  readonly refused: number
  readonly dropped: number
}

/**
 * GET /events: live updates (Server-Sent Events). The hub, and the
 * subscription to snapshots that feeds it, are made on the first request:
 * a service nobody listens to live holds nothing for it. Streams end when
 * shutdown begins (`close`), inside the drain.
 */
export function createLiveUpdates(options: EventHubOptions) {
  let hub: EventHub | undefined
  let closed = false

  return {
    register(app: FastifyInstance): void {
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
    },

    close(): void {
      closed = true
      hub?.close()
    },

    stats(): LiveUpdateStats {
      return hub?.stats() ?? { open: 0, refused: 0, dropped: 0 }
    },
  }
}

export type LiveUpdates = ReturnType<typeof createLiveUpdates>
