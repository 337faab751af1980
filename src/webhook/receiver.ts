import type { FastifyBaseLogger } from 'fastify'
import type { Clock, Poller, Resource } from '../status/poller.js'
import { createRefreshCoalescer, type RefreshAction } from './coalescer.js'
import { resourcesFor } from './events.js'

/** What a webhook did to a resource here: a refresh (coalesced), or passed to the fleet's leader. */
export type WebhookAction = RefreshAction | 'forwarded'

/** The last webhook accepted, for /healthz: when, which event, what it did. Nothing of its body beyond the name. */
export interface LastWebhook {
  readonly receivedAt: number
  readonly event: string | undefined
  readonly refresh: Readonly<Partial<Record<Resource, WebhookAction>>>
}

export interface WebhookReceiver {
  /** An authenticated webhook, by its event name (undefined: unreadable): refreshes what it names. */
  receive(event: string | undefined): LastWebhook
  /** A refresh a webhook at another replica asked for: this one polls for the fleet. */
  relayed(resource: Resource): void
  last(): LastWebhook | undefined
  close(): void
}

export interface WebhookReceiverOptions {
  readonly poller: Poller
  readonly intervalMs: number
  readonly clock: Clock
  readonly log: FastifyBaseLogger
  readonly observe?: (resource: Resource, what: 'triggered' | 'coalesced') => void
  /** With a fleet: passes the refresh to the leader when another replica polls (true), else false. */
  readonly forward?: (resources: readonly Resource[]) => boolean
}

/** What POST /webhook does once the sender is known: never waits for the upstream. */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { clock, log } = options
  const coalescer = createRefreshCoalescer(options)
  let last: LastWebhook | undefined
  let lastForwardAt = Number.NEGATIVE_INFINITY

  return {
    receive(event) {
      const refresh: Partial<Record<Resource, WebhookAction>> = {}
      const resources = resourcesFor(event)
      const forwarded = options.forward?.(resources) ?? false
      for (const resource of resources) refresh[resource] = forwarded ? 'forwarded' : coalescer.request(resource)
      const now = clock.now()
      last = { receivedAt: now, event, refresh }
      // A storm of repeats is one line per refresh (or per window of forwarded ones), not one per webhook.
      const quiet = forwarded
        ? now < lastForwardAt + options.intervalMs
        : Object.values(refresh).every((action) => action === 'coalesced')
      if (forwarded && !quiet) lastForwardAt = now
      log[quiet ? 'debug' : 'info']({ event: event ?? '(unreadable)', refresh }, 'webhook received')
      return last
    },
    relayed(resource) {
      coalescer.request(resource)
    },
    last: () => last,
    close() {
      coalescer.close()
    },
  }
}
