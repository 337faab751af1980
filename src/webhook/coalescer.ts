import type { FastifyBaseLogger } from 'fastify'
import { RESOURCES, type Clock, type Poller, type Resource } from '../status/poller.js'

/** What a webhook did to a resource: refreshed it now, set a refresh for the window's end, or joined one. */
export type RefreshAction = 'started' | 'scheduled' | 'coalesced'

export interface CoalescerOptions {
  readonly poller: Poller
  /** WEBHOOK_MIN_INTERVAL_SECONDS: refreshes of one resource start at least this far apart. */
  readonly intervalMs: number
  readonly clock: Clock
  readonly log: FastifyBaseLogger
  /** Told when a refresh starts (`triggered`) and when a request is folded into another (`coalesced`). */
  readonly observe?: (resource: Resource, what: 'triggered' | 'coalesced') => void
}

export interface RefreshCoalescer {
  request(resource: Resource): RefreshAction
  close(): void
}

interface Lane {
  lastStartAt: number
  running: boolean
  timer: NodeJS.Timeout | undefined
  /** The poller's call count at the latest request not yet served: a call sent after it serves it. */
  pending: number | undefined
}

/**
 * Webhook refreshes, at most one per interval per resource, and never one
 * lost: a request inside the window (or while a refresh runs) leaves one
 * refresh pending, started at the window's end, unless a call sent after
 * the request has answered by then. State is one lane per resource: a
 * storm costs a counter, never a queue.
 */
export function createRefreshCoalescer(options: CoalescerOptions): RefreshCoalescer {
  const { poller, intervalMs, clock, log } = options
  const lanes = Object.fromEntries(
    RESOURCES.map((resource) => [
      resource,
      { lastStartAt: Number.NEGATIVE_INFINITY, running: false, timer: undefined, pending: undefined },
    ]),
  ) as Record<Resource, Lane>
  let closed = false

  /** Whether a call sent after `mark` has answered (the pending request is served). */
  const served = (resource: Resource, mark: number) => poller.state(resource).answeredCall > mark

  function start(resource: Resource) {
    const lane = lanes[resource]
    lane.timer = undefined
    const after = lane.pending ?? poller.state(resource).calls
    lane.pending = undefined
    if (closed) return
    if (served(resource, after)) {
      // A poll sent since the request has answered it already.
      options.observe?.(resource, 'coalesced')
      return
    }
    lane.running = true
    lane.lastStartAt = clock.now()
    options.observe?.(resource, 'triggered')
    poller
      .refresh(resource, { after })
      .catch((err: unknown) => {
        log.error({ err, resource }, 'webhook refresh failed unexpectedly')
      })
      .finally(() => {
        finish(resource)
      })
  }

  function finish(resource: Resource) {
    const lane = lanes[resource]
    lane.running = false
    if (closed || lane.pending === undefined) return
    if (served(resource, lane.pending)) {
      lane.pending = undefined
      options.observe?.(resource, 'coalesced')
      return
    }
    arm(resource, lane)
  }

  function arm(resource: Resource, lane: Lane) {
    lane.timer = setTimeout(
      () => {
        start(resource)
      },
      Math.max(0, lane.lastStartAt + intervalMs - clock.now()),
    )
    lane.timer.unref()
  }

  return {
    request(resource) {
      const lane = lanes[resource]
      if (closed) return 'coalesced'
      const hadPending = lane.pending !== undefined
      lane.pending = poller.state(resource).calls
      if (lane.timer || (lane.running && hadPending)) {
        options.observe?.(resource, 'coalesced')
        return 'coalesced'
      }
      // Running, nothing pending yet: this request is the one that runs next (finish() arms it).
      if (lane.running) return 'scheduled'
      if (clock.now() >= lane.lastStartAt + intervalMs) {
        start(resource)
        return 'started'
      }
      arm(resource, lane)
      return 'scheduled'
    },
    close() {
      closed = true
      for (const lane of Object.values(lanes)) {
        clearTimeout(lane.timer)
        lane.timer = undefined
      }
    },
  }
}
