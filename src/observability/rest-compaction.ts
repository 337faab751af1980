import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import type { FastifyBaseLogger } from 'fastify'

/** A collection made to reduce memory; it is what shrinks V8's young generation. */
export type Compact = () => unknown

export interface RestCompactionOptions {
  /**
   * Default: `gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })`
   * when the process has `gc` (`node --expose-gc`, as `npm start` and the
   * image run it); without it nothing is ever done.
   */
  readonly compact?: Compact
  /** How long the event loop must have been quiet, after work, before memory is given back. */
  readonly restMs?: number
  /** How often the event loop's utilisation is read. */
  readonly checkEveryMs?: number
  /** The share of an interval spent running JavaScript (0 to 1) below which that interval was quiet. */
  readonly quietBelow?: number
  /** The event loop's utilisation since the previous call (0 to 1). Default: perf_hooks' own. */
  readonly utilisation?: () => number
  readonly log: FastifyBaseLogger
}

export interface RestCompaction {
  /** Startup's work is done (the first polls have settled): give its memory back now, then watch for rests. */
  afterStartup(): void
  /** Compactions made so far. */
  count(): number
  /** Stops the checks, for good (when shutdown begins). */
  stop(): void
}

export const REST_MS = 60_000
export const CHECK_EVERY_MS = 5_000
export const QUIET_BELOW = 0.01

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => unknown

function defaultCompact(): Compact | undefined {
  const gc = (globalThis as { gc?: Gc }).gc
  return gc && (() => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }))
}

function loopUtilisation(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  return () => {
    const now = performance.eventLoopUtilization()
    const share = performance.eventLoopUtilization(now, last).utilization
    last = now
    return share
  }
}

/**
 * Gives V8's young generation back when the service is at rest. V8 grows
 * it under work (startup, a burst of requests) and shrinks it only in a
 * collection made to reduce memory, which Node never asks for: a service
 * that started, or served one burst, then kept some 15 to 30 MB it had no
 * use for (README, "Memory"). One such collection is made when startup's
 * work is done, and one after each rest: `restMs` of intervals whose
 * event-loop utilisation stayed under `quietBelow`, following an interval
 * that was not quiet (50 ms of JavaScript in 5 s: a burst of requests, or
 * a poll of a large fleet). So traffic that keeps the loop busier than that
 * is never interrupted, a rest is once, and the collection (70 to 100 ms
 * here, the event loop held) never lands in a burst. The node flag
 * `--min-semi-space-size` keeps the young generation from shrinking below a
 * working size, so the next burst does not start with a tiny one.
 */
export function createRestCompaction(options: RestCompactionOptions): RestCompaction {
  const compact = options.compact ?? defaultCompact()
  const restMs = options.restMs ?? REST_MS
  const checkEveryMs = options.checkEveryMs ?? CHECK_EVERY_MS
  const quietBelow = options.quietBelow ?? QUIET_BELOW
  const utilisation = options.utilisation ?? loopUtilisation()
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let started = false
  let count = 0
  // Work since the last compaction, and for how long the loop has been quiet since.
  let owed = false
  let quietMs = 0

  function run(reason: 'startup' | 'rest'): void {
    if (!compact) return
    const rssBefore = process.memoryUsage.rss()
    const startedAt = performance.now()
    try {
      compact()
      count++
      options.log.debug(
        {
          reason,
          ms: Math.round(performance.now() - startedAt),
          rssBeforeMb: Math.round(rssBefore / 1048576),
          rssAfterMb: Math.round(process.memoryUsage.rss() / 1048576),
        },
        'memory given back',
      )
    } catch (err) {
      options.log.warn({ err }, 'memory compaction failed')
    }
  }

  function check(): void {
    if (utilisation() >= quietBelow) {
      owed = true
      quietMs = 0
    } else {
      quietMs += checkEveryMs
      if (owed && quietMs >= restMs) {
        owed = false
        run('rest')
        // The collection's own time is not work: the next interval starts after it.
        utilisation()
      }
    }
    arm()
  }

  function arm(): void {
    if (stopped) return
    timer = setTimeout(check, checkEveryMs)
    timer.unref()
  }

  return {
    afterStartup() {
      if (started || stopped || !compact) return
      started = true
      // Not inside the poll's own callback: once the tasks queued now have run.
      timer = setTimeout(() => {
        run('startup')
        utilisation()
        arm()
      }, 0)
      timer.unref()
    },
    count: () => count,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
