import { LRUCache } from 'lru-cache'
import type { FastifyBaseLogger } from 'fastify'
import type { UpstreamBudget } from '../upstream/budget.js'
import { UpstreamError, UpstreamRateLimitedError } from '../upstream/errors.js'
import type { UpstreamClient } from '../upstream/client.js'
import type { MonitorsData, StatusData } from '../upstream/schema.js'
import { BACKOFF_BASE_MS, rateLimitDelay, retryDelay } from './backoff.js'
import { budgetedClient } from './budgeted-client.js'

/**
 * Below this X-RateLimit-Remaining (a tenth of the vendor's 60 a minute),
 * other users of the key are near its limit: polls are spaced SLOW_FACTOR
 * times as far apart until the upstream says more are left.
 */
export const LOW_REMAINING = 6
export const SLOW_FACTOR = 2

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
  /** Upstream calls sent for the resource so far (the ordinal of the latest). */
  readonly calls: number
  /** The ordinal of the call the last outcome came from (0 before one). */
  readonly answeredCall: number
}

export interface RefreshOptions {
  /** The outcome must come from a call sent after this many (`state().calls` when asked). */
  readonly after?: number
}

export interface Clock {
  now(): number
}

export interface PollerOptions {
  /** Only ever called through `budget`. */
  readonly client: UpstreamClient
  readonly budget: UpstreamBudget
  /** The poll interval: CACHE_TTL_SECONDS, or longer when the budget needs it (pacing.ts). */
  readonly ttlMs: number
  readonly log: FastifyBaseLogger
  readonly clock?: Clock
  /** In [0, 1); jitter for the backoff. */
  readonly random?: () => number
  /** Told of every poll outcome (metrics). */
  readonly observe?: (resource: Resource, outcome: PollOutcome) => void
  /** Told once a poll has settled and its snapshot (if any) is in the cache. */
  readonly settled?: (resource: Resource) => void
  /** Told when a call had to wait for the budget (metrics). */
  readonly delayed?: () => void
}

export interface Poller {
  /** Polls now, then keeps each resource fresh. Idempotent. */
  start(): void
  /** Stops the loop and aborts a poll in flight. Idempotent. */
  stop(): void
  /**
   * Polls one resource now; concurrent calls share one upstream request,
   * unless `after` asks for a call sent later than the one in flight.
   */
  refresh(resource: Resource, options?: RefreshOptions): Promise<PollOutcome | undefined>
  /** X-RateLimit-Remaining of an upstream answer (undefined when it sent none): below LOW_REMAINING, polls slow. */
  noteRemaining(remaining: number | undefined): void
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
  calls: number
  /** Clock time at which the call in flight (or the last) left. */
  sentAt: number
  answeredCall: number
}

function createSchedule(): Schedule {
  let settleFirst = () => {}
  const first = new Promise<void>((resolve) => (settleFirst = resolve))
  return {
    dueAt: 0,
    failures: 0,
    lastOutcome: undefined,
    settleFirst,
    first,
    settled: false,
    calls: 0,
    sentAt: 0,
    answeredCall: 0,
  }
}

/**
 * The background poller, shaped like under-pressure's loop: a setTimeout that
 * re-arms after each run (runs never overlap), unref'd, stopped on close.
 * Snapshots live in an lru-cache whose TTL is the freshness; stale entries are
 * kept (and served, marked stale) while polls fail. The cache's fetch() is
 * what makes concurrent refreshes share one upstream call. Every call goes
 * through the budget (budgeted-client.ts): a poll due while it is spent
 * waits for it.
 */
export function createPoller(options: PollerOptions): Poller {
  const { ttlMs, log } = options
  const clock = options.clock ?? { now: Date.now }
  const random = options.random ?? Math.random
  const aborter = new AbortController()
  const schedules: Record<Resource, Schedule> = { status: createSchedule(), monitors: createSchedule() }
  const client = budgetedClient(options.client, options.budget, {
    clock,
    sent(resource) {
      const schedule = schedules[resource]
      schedule.calls += 1
      schedule.sentAt = clock.now()
    },
    ...(options.delayed && { delayed: options.delayed }),
  })
  /** Set by a 429: no resource is polled before it (the limit is per key). */
  let holdUntil = 0
  let remaining: number | undefined
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
    const schedule = schedules[resource]
    const callsBefore = schedule.calls
    try {
      const snapshot: AnySnapshot =
        resource === 'status'
          ? { resource, data: await client.fetchStatus(signal), fetchedAt: clock.now() }
          : { resource, data: await client.fetchMonitors(signal), fetchedAt: clock.now() }
      schedule.answeredCall = schedule.calls
      recordSuccess(resource, snapshot, schedule.sentAt)
      return snapshot
    } catch (err) {
      // A call that never left (the budget's wait aborted) answered nothing.
      if (schedule.calls > callsBefore) schedule.answeredCall = schedule.calls
      if (!aborter.signal.aborted)
        recordFailure(resource, err, schedule.calls > callsBefore ? schedule.sentAt : startedAt)
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

  function recordSuccess(resource: Resource, snapshot: AnySnapshot, sentAt: number) {
    const at = snapshot.fetchedAt
    const interval = remaining !== undefined && remaining < LOW_REMAINING ? ttlMs * SLOW_FACTOR : ttlMs
    const fields: Record<string, unknown> = { resource, durationMs: at - sentAt, nextPollInMs: interval }
    if (interval > ttlMs) fields.upstreamRemaining = remaining
    if (schedules[resource].failures > 0) fields.recoveredAfterFailures = schedules[resource].failures
    if (snapshot.resource === 'monitors' && snapshot.data.skipped > 0) {
      fields.skippedMonitors = snapshot.data.skipped
    }
    schedules[resource].failures = 0
    settle(resource, { ok: true, at, durationMs: at - sentAt }, at + interval)
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

  async function refresh(resource: Resource, refreshOptions: RefreshOptions = {}): Promise<PollOutcome | undefined> {
    const schedule = schedules[resource]
    await fetchOnce(resource)
    // The call in flight when asked may have left before what `after` marks.
    const { after } = refreshOptions
    if (after !== undefined && schedule.answeredCall <= after) await fetchOnce(resource)
    return schedule.lastOutcome
  }

  async function fetchOnce(resource: Resource): Promise<void> {
    const schedule = schedules[resource]
    if (stopped) return
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
    noteRemaining(value) {
      if (value !== undefined && value < LOW_REMAINING && (remaining === undefined || remaining >= LOW_REMAINING)) {
        log.warn(
          { upstreamRemaining: value },
          `the upstream has fewer than ${LOW_REMAINING} calls left: polling slower`,
        )
      }
      remaining = value
    },
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
        calls: schedule.calls,
        answeredCall: schedule.answeredCall,
      }
    },
    firstAttempt: (resource) => schedules[resource].first,
  }
}
