import type { FastifyBaseLogger } from 'fastify'
import type { Clock, Poller, Resource } from '../status/poller.js'
import { createRefreshCoalescer, type RefreshAction } from './coalescer.js'
import { resourcesFor } from './events.js'

/** The last webhook accepted, for /healthz: when, which event, what it did. Nothing of its body beyond the name. */
export interface LastWebhook {
  readonly receivedAt: number
  readonly event: string | undefined
  readonly refresh: Readonly<Partial<Record<Resource, RefreshAction>>>
}

export interface WebhookReceiver {
  /** An authenticated webhook, by its event name (undefined: unreadable): refreshes what it names. */
  receive(event: string | undefined): LastWebhook
  last(): LastWebhook | undefined
  close(): void
}

export interface WebhookReceiverOptions {
  readonly poller: Poller
  readonly intervalMs: number
  readonly clock: Clock
  readonly log: FastifyBaseLogger
  readonly observe?: (resource: Resource, what: 'triggered' | 'coalesced') => void
}

/** What POST /webhook does once the sender is known: never waits for the upstream. */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { clock, log } = options
  const coalescer = createRefreshCoalescer(options)
  let last: LastWebhook | undefined

  return {
    receive(event) {
      const refresh: Partial<Record<Resource, RefreshAction>> = {}
      for (const resource of resourcesFor(event)) refresh[resource] = coalescer.request(resource)
      last = { receivedAt: clock.now(), event, refresh }
      // A storm of repeats is one line per refresh, not one per webhook.
      const quiet = Object.values(refresh).every((action) => action === 'coalesced')
      log[quiet ? 'debug' : 'info']({ event: event ?? '(unreadable)', refresh }, 'webhook received')
      return last
    },
    last: () => last,
    close() {
      coalescer.close()
    },
  }
}
