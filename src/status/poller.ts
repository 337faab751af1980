import { LRUCache } from 'lru-cache'
import type { FastifyBaseLogger } from 'fastify'
import { UpstreamError, UpstreamRateLimitedError } from '../upstream/errors.js'
import type { UpstreamClient } from '../upstream/client.js'
import type { MonitorsData, StatusData } from '../upstream/schema.js'
import { BACKOFF_BASE_MS, rateLimitDelay, retryDelay } from './backoff.js'

export const RESOURCES = ['status', 'monitors'] as const
export type Resource = (typeof RESOURCES)[number]

export interface ResourceData {
  status: StatusData
  monitors: MonitorsData
}

export interface ResourceSnapshot<R extends Resource = Resource> {
  readonly resource: R
  readonly data: ResourceData[R]
  /** Clock time (ms) of the successful poll that produced it. */
  readonly fetchedAt: number
}

type AnySnapshot = { [R in Resource]: ResourceSnapshot<R> }[Resource]

export interface PollOutcome {
  readonly ok: boolean
  /** Clock time (ms) when the poll settled. */
  readonly at: number
  readonly durationMs: number
  readonly error?: {
    readonly code: string
    readonly reason: string
    readonly upstreamStatus: number | undefined
  }
}

export interface ResourceState {
  readonly lastOutcome: PollOutcome | undefined
  readonly consecutiveFailures: number
  readonly nextPollAt: number | undefined
  readonly firstAttemptSettled: boolean
}

export interface Clock {
  now(): number
}

export interface PollerOptions {
  readonly client: UpstreamClient
  readonly ttlMs: number
  readonly log: FastifyBaseLogger
  readonly clock?: Clock
  /** In [0, 1); jitter for the backoff. */
  readonly random?: () => number
  /** Told of every poll outcome (metrics). */
  readonly observe?: (resource: Resource, outcome: PollOutcome) => void
  /** Told once a poll has settled and its snapshot (if any) is in the cache. */
  readonly settled?: (resource: Resource) => void
}

export interface Poller {
  /** Polls now, then keeps each resource fresh. Idempotent. */
  start(): void
  /** Stops the loop and aborts a poll in flight. Idempotent. */
  stop(): void
  /** Polls one resource now; concurrent calls share one upstream request. */
  refresh(resource: Resource): Promise<PollOutcome | undefined>
  snapshot<R extends Resource>(resource: R): ResourceSnapshot<R> | undefined
  state(resource: Resource): ResourceState
  /** Settles when the resource's first poll has (either way). */
  firstAttempt(resource: Resource): Promise<void>
}

interface Schedule {
  dueAt: number
  failures: number
  lastOutcome: PollOutcome | undefined
  settleFirst: () => void
  readonly first: Promise<void>
  settled: boolean
}

function createSchedule(): Schedule {
  let settleFirst = () => {}
  const first = new Promise<void>((resolve) => (settleFirst = resolve))
  return { dueAt: 0, failures: 0, lastOutcome: undefined, settleFirst, first, settled: false }
}

/**
 * The background poller, shaped like under-pressure's loop: a setTimeout that
 * re-arms after each run (runs never overlap), unref'd, stopped on close.
 * Snapshots live in an lru-cache whose TTL is the freshness; stale entries are
 * kept (and served, marked stale) while polls fail. The cache's fetch() is
 * what makes concurrent refreshes share one upstream call.
 */
export function createPoller(options: PollerOptions): Poller {
  const { client, ttlMs, log } = options
  const clock = options.clock ?? { now: Date.now }
  const random = options.random ?? Math.random
  const aborter = new AbortController()
  const schedules: Record<Resource, Schedule> = { status: createSchedule(), monitors: createSchedule() }
  /** Set by a 429: no resource is polled before it (the limit is per key). */
  let holdUntil = 0
  let timer: NodeJS.Timeout | undefined
  let started = false
  let stopped = false

  const cache = new LRUCache<Resource, AnySnapshot>({
    max: RESOURCES.length,
    ttl: ttlMs,
    perf: clock,
    allowStale: true,
    noDeleteOnStaleGet: true,
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: pollUpstream,
  })

  async function pollUpstream(
    resource: Resource,
    _stale: unknown,
    { signal: fetchSignal }: { signal: AbortSignal },
  ): Promise<AnySnapshot> {
    const startedAt = clock.now()
    // cache.fetch() is never given a signal: lru-cache links one to its own
    // with addEventListener({ signal }) and, after a successful fetch, never
    // removes it, pinning every poll's closure (snapshots included). stop()
    // reaches this one request through listeners removed when it ends.
    const controller = new AbortController()
    const abort = () => {
      controller.abort()
    }
    aborter.signal.addEventListener('abort', abort)
    fetchSignal.addEventListener('abort', abort)
    const { signal } = controller
    try {
      const snapshot: AnySnapshot =
        resource === 'status'
          ? { resource, data: await client.fetchStatus(signal), fetchedAt: clock.now() }
          : { resource, data: await client.fetchMonitors(signal), fetchedAt: clock.now() }
      recordSuccess(resource, snapshot, startedAt)
      return snapshot
    } catch (err) {
      if (!aborter.signal.aborted) recordFailure(resource, err, startedAt)
      throw err
    } finally {
      aborter.signal.removeEventListener('abort', abort)
      fetchSignal.removeEventListener('abort', abort)
    }
  }

  function settle(resource: Resource, outcome: PollOutcome, dueAt: number) {
    const schedule = schedules[resource]
    schedule.lastOutcome = outcome
    schedule.dueAt = dueAt
    options.observe?.(resource, outcome)
  }

  function recordSuccess(resource: Resource, snapshot: AnySnapshot, startedAt: number) {
    const at = snapshot.fetchedAt
    const fields: Record<string, unknown> = { resource, durationMs: at - startedAt, nextPollInMs: ttlMs }
    if (schedules[resource].failures > 0) fields.recoveredAfterFailures = schedules[resource].failures
    if (snapshot.resource === 'monitors') {
      if (snapshot.data.skipped > 0) fields.skippedMonitors = snapshot.data.skipped
      if (snapshot.data.duplicates > 0) fields.duplicateMonitors = snapshot.data.duplicates
    }
    schedules[resource].failures = 0
    settle(resource, { ok: true, at, durationMs: at - startedAt }, at + ttlMs)
    log.info(fields, `poll ${resource}: ok`)
  }

  function recordFailure(resource: Resource, err: unknown, startedAt: number) {
    const at = clock.now()
    const schedule = schedules[resource]
    schedule.failures += 1
    const backoff = retryDelay(schedule.failures, ttlMs, random)
    let delay = backoff
    if (err instanceof UpstreamRateLimitedError) {
      delay = rateLimitDelay(err.retryAfterMs, backoff)
      holdUntil = Math.max(holdUntil, at + delay)
    }
    const error =
      err instanceof UpstreamError
        ? { code: err.code, reason: err.reason, upstreamStatus: err.upstreamStatus }
        : { code: 'POLL_FAILED', reason: 'internal error', upstreamStatus: undefined }
    settle(resource, { ok: false, at, durationMs: at - startedAt, error }, at + delay)
    const fields = {
      resource,
      code: error.code,
      upstreamStatus: error.upstreamStatus,
      consecutiveFailures: schedule.failures,
      retryInMs: delay,
    }
    if (err instanceof UpstreamError) log.warn(fields, `poll ${resource} failed: ${err.message}`)
    else log.error({ ...fields, err }, `poll ${resource} failed unexpectedly`)
  }

  async function refresh(resource: Resource): Promise<PollOutcome | undefined> {
    const schedule = schedules[resource]
    if (stopped) return schedule.lastOutcome
    try {
      await cache.fetch(resource, { forceRefresh: true, allowStale: false })
    } finally {
      // Only now is a new snapshot in the cache: the first attempt settles here.
      if (!schedule.settled) {
        schedule.settled = true
        schedule.settleFirst()
      }
      options.settled?.(resource)
    }
    return schedule.lastOutcome
  }

  async function run() {
    timer = undefined
    const now = clock.now()
    const due = RESOURCES.filter((resource) => nextPollAt(resource) <= now)
    await Promise.all(
      due.map((resource) =>
        refresh(resource).catch((err: unknown) => {
          log.error({ err, resource }, 'poll loop error')
          // Never spin: whatever failed, the next try waits a backoff step.
          const schedule = schedules[resource]
          schedule.dueAt = Math.max(schedule.dueAt, clock.now() + BACKOFF_BASE_MS)
        }),
      ),
    )
    arm()
  }

  function nextPollAt(resource: Resource): number {
    return Math.max(schedules[resource].dueAt, holdUntil)
  }

  function arm() {
    if (stopped) return
    const next = Math.min(...RESOURCES.map(nextPollAt))
    timer = setTimeout(() => void run(), Math.max(0, next - clock.now()))
    timer.unref()
  }

  return {
    start() {
      if (started || stopped) return
      started = true
      void run()
    },
    stop() {
      stopped = true
      clearTimeout(timer)
      timer = undefined
      aborter.abort()
    },
    refresh,
    snapshot<R extends Resource>(resource: R) {
      const entry = cache.get(resource)
      return entry?.resource === resource ? (entry as ResourceSnapshot<R>) : undefined
    },
    state(resource) {
      const schedule = schedules[resource]
      return {
        lastOutcome: schedule.lastOutcome,
        consecutiveFailures: schedule.failures,
        nextPollAt: started && !stopped ? nextPollAt(resource) : undefined,
        firstAttemptSettled: schedule.settled,
      }
    },
    firstAttempt: (resource) => schedules[resource].first,
  }
}
