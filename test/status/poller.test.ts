import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UpstreamRateLimitedError, UpstreamUnavailableError } from '../../src/upstream/errors.js'
import { createPoller, type Poller } from '../../src/status/poller.js'
import type { UpstreamClient } from '../../src/upstream/client.js'
import type { MonitorsData, StatusData } from '../../src/upstream/schema.js'
import { createMemoryBudget, WINDOW_SLACK_MS, type UpstreamBudget } from '../../src/upstream/budget.js'
import { captureLogs } from '../helper.js'

/** A budget these tests never reach. */
const roomyBudget = () => createMemoryBudget({ perMinute: 1000, perHour: 100_000 }, { now: Date.now })

const TTL_MS = 300_000
const STATUS: StatusData = {
  overall: 'operational',
  counts: { total: 5, up: 5, down: 0, pending: 0, paused: 0 },
  uptimePercentage: 100,
  activeIncidents: 0,
  incidents: [],
  upstreamTime: undefined,
}
const MONITORS: MonitorsData = { monitors: [{ id: '1', name: 'Web', status: 'up', active: true }], skipped: 0 }

type Answer<T> = (signal?: AbortSignal) => Promise<T>

function fakeClient() {
  const calls = { status: [] as number[], monitors: [] as number[] }
  const fake = {
    status: (async () => STATUS) as Answer<StatusData>,
    monitors: (async () => MONITORS) as Answer<MonitorsData>,
  }
  const client: UpstreamClient = {
    fetchStatus: (signal) => {
      calls.status.push(Date.now())
      return fake.status(signal)
    },
    fetchMonitors: (signal) => {
      calls.monitors.push(Date.now())
      return fake.monitors(signal)
    },
  }
  return { client, calls, fake }
}

const T0 = Date.parse('2026-11-26T12:00:00Z')
let poller: Poller | undefined

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  poller?.stop()
  poller = undefined
  vi.useRealTimers()
})

function start(
  client: UpstreamClient,
  random = () => 0.5,
  options: { budget?: UpstreamBudget; ttlMs?: number; delayed?: () => void } = {},
) {
  const logs = captureLogs()
  poller = createPoller({
    client,
    budget: options.budget ?? roomyBudget(),
    ttlMs: options.ttlMs ?? TTL_MS,
    log: logs.logger,
    random,
    ...(options.delayed && { delayed: options.delayed }),
  })
  poller.start()
  return { poller, logs: logs.lines }
}

/** Seconds after T0 at which the calls happened. */
const at = (times: number[]) => times.map((t) => (t - T0) / 1000)

describe('cadence', () => {
  it('polls both resources at start, then once per TTL', async () => {
    const { client, calls } = fakeClient()
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    expect(at(calls.status)).toEqual([0])
    expect(at(calls.monitors)).toEqual([0])
    expect(poller.snapshot('status')?.data).toEqual(STATUS)

    await vi.advanceTimersByTimeAsync(TTL_MS - 1)
    expect(calls.status).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await vi.advanceTimersByTimeAsync(TTL_MS * 2)
    expect(at(calls.status)).toEqual([0, 300, 600, 900])
    expect(at(calls.monitors)).toEqual([0, 300, 600, 900])
  })

  it('settles the first attempt either way', async () => {
    const { client, fake } = fakeClient()
    fake.monitors = () => Promise.reject(new UpstreamUnavailableError('answered 500', 500))
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    await expect(poller.firstAttempt('status')).resolves.toBeUndefined()
    // Settled only once the snapshot is in the cache, not a microtask before.
    expect(poller.snapshot('status')?.data).toEqual(STATUS)
    await expect(poller.firstAttempt('monitors')).resolves.toBeUndefined()
    expect(poller.state('monitors')).toMatchObject({ firstAttemptSettled: true, consecutiveFailures: 1 })
  })

  it('lets replaced snapshots be collected: nothing piles up per poll', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const { client } = fakeClient()
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    const firstRef = new WeakRef(poller.snapshot('status') ?? {})
    expect(firstRef.deref()).toHaveProperty('resource', 'status')
    await vi.advanceTimersByTimeAsync(TTL_MS * 5)
    vi.useRealTimers()
    // WeakRef targets live until the current job ends.
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    expect(firstRef.deref()).toBeUndefined()
  })

  it('keeps its timer from holding the process open', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout')
    const { client } = fakeClient()
    start(client)
    await vi.advanceTimersByTimeAsync(0)
    const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout
    expect(timer.hasRef()).toBe(false)
  })
})

describe('failures', () => {
  it('backs off exponentially from 5 s, capped at the TTL, each resource on its own', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () => Promise.reject(new UpstreamUnavailableError('answered 502', 502))
    // random() = 1: the top of each jitter range, so the steps are exact.
    start(client, () => 1)
    await vi.advanceTimersByTimeAsync(615_000)
    expect(at(calls.status)).toEqual([0, 5, 15, 35, 75, 155, 315, 615])
    expect(at(calls.monitors)).toEqual([0, 300, 600])
  })

  it('jitters each step between half and all of it', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () => Promise.reject(new UpstreamUnavailableError('answered 502', 502))
    start(client, () => 0)
    await vi.advanceTimersByTimeAsync(40_000)
    expect(at(calls.status)).toEqual([0, 2.5, 7.5, 17.5, 37.5])
  })

  it('honours a 429 Retry-After for every resource, since the limit is per key', async () => {
    const { client, calls, fake } = fakeClient()
    let first = true
    fake.status = async () => {
      if (!first) return STATUS
      first = false
      throw new UpstreamRateLimitedError('answered 429', 429, 900_000)
    }
    start(client)
    await vi.advanceTimersByTimeAsync(0)
    // /monitors succeeded at 0 and would be due at 300 s; the key is held until 900 s.
    await vi.advanceTimersByTimeAsync(899_000)
    expect(at(calls.status)).toEqual([0])
    expect(at(calls.monitors)).toEqual([0])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(at(calls.status)).toEqual([0, 900])
    expect(at(calls.monitors)).toEqual([0, 900])
  })

  it('bounds an absurd Retry-After to an hour', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () => Promise.reject(new UpstreamRateLimitedError('answered 429', 429, 10 ** 9))
    start(client)
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(at(calls.status)).toEqual([0, 3600])
  })

  it('keeps the last good snapshot while polls fail, and recovers', async () => {
    const { client, fake } = fakeClient()
    const { poller, logs } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    const good = poller.snapshot('status')
    fake.status = () => Promise.reject(new UpstreamUnavailableError('answered 500: Database error', 500))
    await vi.advanceTimersByTimeAsync(TTL_MS)
    expect(poller.snapshot('status')).toBe(good)
    expect(poller.state('status').lastOutcome).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM_UNAVAILABLE', reason: 'unavailable', upstreamStatus: 500 },
    })

    fake.status = async () => ({ ...STATUS, overall: 'degraded' })
    await vi.advanceTimersByTimeAsync(TTL_MS)
    expect(poller.snapshot('status')?.data.overall).toBe('degraded')
    expect(poller.state('status')).toMatchObject({ consecutiveFailures: 0, lastOutcome: { ok: true } })

    const records = logs.map((line) => JSON.parse(line) as Record<string, unknown>)
    const failure = records.find((r) => r.msg === 'poll status failed: answered 500: Database error')
    expect(failure).toMatchObject({ level: 40, resource: 'status', code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 })
    expect(records.filter((r) => r.msg === 'poll status: ok').at(-1)).toMatchObject({
      level: 30,
      recoveredAfterFailures: 1,
    })
  })

  it('logs one line per poll outcome', async () => {
    const { client } = fakeClient()
    const { logs } = start(client)
    await vi.advanceTimersByTimeAsync(TTL_MS * 2)
    const messages = logs.map((line) => (JSON.parse(line) as { msg: string }).msg)
    expect(messages.sort()).toEqual([
      'poll monitors: ok',
      'poll monitors: ok',
      'poll monitors: ok',
      'poll status: ok',
      'poll status: ok',
      'poll status: ok',
    ])
  })

  it('survives a client that throws something unexpected, without spinning', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () => Promise.reject(new TypeError('boom'))
    const { logs } = start(client, () => 1)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(at(calls.status)).toEqual([0, 5, 15])
    expect(logs.some((line) => line.includes('"poll status failed unexpectedly"'))).toBe(true)
  })
})

describe('overlap, coalescing, stop', () => {
  it('never overlaps runs: a slow poll delays the next one', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () =>
      new Promise((resolve) => {
        setTimeout(() => {
          resolve(STATUS)
        }, TTL_MS * 2)
      })
    start(client)
    await vi.advanceTimersByTimeAsync(TTL_MS * 2 - 1)
    expect(calls.status).toHaveLength(1)
    expect(calls.monitors).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    // /monitors was due at 300 s but waits for the run in progress to end.
    expect(calls.monitors).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls.monitors).toHaveLength(2)
    expect(at(calls.monitors)[1]).toBeCloseTo(600, 1)
  })

  it('shares one upstream call among concurrent refreshes', async () => {
    const { client, calls, fake } = fakeClient()
    let release: (data: StatusData) => void = () => {}
    fake.status = () => new Promise((resolve) => (release = resolve))
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    const a = poller.refresh('status')
    const b = poller.refresh('status')
    release(STATUS)
    const [outcomeA, outcomeB] = await Promise.all([a, b])
    expect(calls.status).toHaveLength(1)
    expect(outcomeA).toMatchObject({ ok: true })
    expect(outcomeB).toBe(outcomeA)
  })

  it('stops polling and aborts a poll in flight', async () => {
    const { client, calls, fake } = fakeClient()
    let seen: AbortSignal | undefined
    fake.status = (signal) => {
      seen = signal
      return new Promise(() => {})
    }
    const { poller, logs } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    poller.stop()
    expect(seen?.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(TTL_MS * 5)
    expect(calls.status).toHaveLength(1)
    expect(calls.monitors).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(logs.some((line) => line.includes('failed'))).toBe(false)
  })
})

describe('the upstream budget', () => {
  it('makes a poll due while the budget is spent wait for it', async () => {
    const { client, calls } = fakeClient()
    const delayed = vi.fn()
    // 3 calls a minute, a poll (2 calls) every 10 s: the budget, not the TTL, sets the pace.
    const budget = createMemoryBudget({ perMinute: 3, perHour: 1000 }, { now: Date.now })
    start(client, () => 0.5, { budget, ttlMs: 10_000, delayed })
    await vi.advanceTimersByTimeAsync(130_000)
    const all = [...at(calls.status), ...at(calls.monitors)].sort((a, b) => a - b)
    const span = (60_000 + WINDOW_SLACK_MS) / 1000
    for (let i = 3; i < all.length; i++) expect((all[i] ?? 0) - (all[i - 3] ?? 0)).toBeGreaterThanOrEqual(span)
    expect(all.length).toBeGreaterThanOrEqual(6)
    expect(delayed).toHaveBeenCalled()
  })

  it('holds refreshes too after a 429, not only the schedule', async () => {
    const { client, calls, fake } = fakeClient()
    fake.status = () => Promise.reject(new UpstreamRateLimitedError('answered 429', 429, 120_000))
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    fake.status = async () => STATUS
    let done = false
    void poller.refresh('monitors').then(() => (done = true))
    await vi.advanceTimersByTimeAsync(119_000)
    expect(done).toBe(false)
    expect(calls.monitors).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(done).toBe(true)
    expect(at(calls.monitors)).toEqual([0, 120])
  })

  it('polls at twice its interval while X-RateLimit-Remaining is below 6', async () => {
    const { client, calls } = fakeClient()
    const { poller, logs } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    poller.noteRemaining(5)
    await vi.advanceTimersByTimeAsync(TTL_MS)
    // The poll at 300 s heard "5 left": the next is 600 s later.
    expect(poller.state('status').nextPollAt).toBe(T0 + 900_000)
    // Just before the poll at 900 s, the upstream reports plenty left: back to the TTL.
    await vi.advanceTimersByTimeAsync(599_000)
    poller.noteRemaining(40)
    await vi.advanceTimersByTimeAsync(301_000)
    expect(at(calls.status)).toEqual([0, 300, 900, 1200])
    expect(logs.filter((line) => line.includes('polling slower'))).toHaveLength(1)
  })
})

describe('refresh after a mark', () => {
  it('calls again when the call in flight left before the mark', async () => {
    const { client, calls, fake } = fakeClient()
    let release: (data: StatusData) => void = () => {}
    fake.status = () => new Promise((resolve) => (release = resolve))
    const { poller } = start(client)
    await vi.advanceTimersByTimeAsync(0)
    // The first poll's call has left; a webhook arrives now.
    const mark = poller.state('status').calls
    expect(mark).toBe(1)
    const refreshed = poller.refresh('status', { after: mark })
    fake.status = async () => ({ ...STATUS, overall: 'major_outage' })
    release(STATUS)
    const outcome = await refreshed
    expect(calls.status).toHaveLength(2)
    expect(outcome).toMatchObject({ ok: true })
    expect(poller.snapshot('status')?.data.overall).toBe('major_outage')
    expect(poller.state('status')).toMatchObject({ calls: 2, answeredCall: 2 })
  })

  it('shares the call in flight when it has not left yet (waiting for the budget)', async () => {
    const { client, calls } = fakeClient()
    const budget = createMemoryBudget({ perMinute: 2, perHour: 100 }, { now: Date.now })
    const { poller } = start(client, () => 0.5, { budget })
    await vi.advanceTimersByTimeAsync(0)
    // Both first calls spent the minute: this refresh waits, and a second one asked meanwhile joins it.
    const mark = poller.state('status').calls
    const first = poller.refresh('status')
    const second = poller.refresh('status', { after: mark })
    await vi.advanceTimersByTimeAsync(61_000)
    await Promise.all([first, second])
    expect(at(calls.status)).toEqual([0, 61])
  })
})
