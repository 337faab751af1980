import fc from 'fast-check'
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CHECK_EVERY_MS, createRestCompaction, REST_MS } from '../../src/observability/rest-compaction.js'
import type { App } from '../../src/app.js'
import type { Simulator } from '../../src/dev/simulator.js'
import type { UpstreamClient } from '../../src/upstream/client.js'
import { buildTestApp, captureLogs, firstPolls, startTestUpstream } from '../helper.js'

const BUSY = 0.5
const QUIET = 0.001
const CHECKS_TO_REST = REST_MS / CHECK_EVERY_MS

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/**
 * A compaction over fake timers and clock, whose event-loop utilisation is
 * `loads[k]` for the k-th interval: `loads[0]` is read when startup's
 * compaction is made, `loads[k]` at the k-th check (quiet once they run
 * out). `made` holds the interval of each compaction.
 */
function compaction(loads: number[] = []) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 })
  const made: number[] = []
  let reads = 0
  const interval = () => Math.round(Date.now() / CHECK_EVERY_MS)
  const rest = createRestCompaction({
    compact: () => made.push(interval()),
    utilisation: () => {
      reads++
      return loads[interval()] ?? QUIET
    },
    log: captureLogs().logger,
  })
  return { rest, made, checks: () => reads }
}

describe('memory given back at rest', () => {
  it('once when startup is done, then never while the service stays at rest', async () => {
    const { rest, made } = compaction()
    await vi.advanceTimersByTimeAsync(REST_MS * 10)
    expect(made).toHaveLength(0)
    rest.afterStartup()
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    expect(rest.count()).toBe(1)
    await vi.advanceTimersByTimeAsync(REST_MS * 10)
    expect(rest.count()).toBe(1)
    rest.stop()
  })

  it('once after each rest that follows work, not during the work', async () => {
    // Startup, then: 3 busy checks, a rest, 20 busy checks, a rest.
    const loads = [QUIET, BUSY, BUSY, BUSY, ...Array<number>(CHECKS_TO_REST).fill(QUIET)]
    loads.push(...Array<number>(20).fill(BUSY), ...Array<number>(CHECKS_TO_REST + 5).fill(QUIET))
    const { rest, made } = compaction(loads)
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS * (3 + CHECKS_TO_REST - 1))
    expect(rest.count()).toBe(1)
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS)
    expect(rest.count()).toBe(2)
    // Made at the check that completed the rest: the one after 3 busy and CHECKS_TO_REST quiet ones.
    expect(made[1]).toBe(3 + CHECKS_TO_REST)
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS * (20 + CHECKS_TO_REST + 100))
    expect(made).toEqual([0, 3 + CHECKS_TO_REST, 3 + CHECKS_TO_REST + 20 + CHECKS_TO_REST])
    rest.stop()
  })

  it('never under steady work, even with short quiet spells', async () => {
    const spell = [...Array<number>(CHECKS_TO_REST - 1).fill(QUIET), BUSY]
    const { rest } = compaction(Array.from({ length: 50 }, () => spell).flat())
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS * CHECKS_TO_REST * 50)
    expect(rest.count()).toBe(1)
    rest.stop()
  })

  it('follows its rule for any load: each compaction ends a full rest that followed work', async () => {
    // Spells of busy or quiet checks, from one check to twice a rest long.
    const spell = fc.record({ busy: fc.boolean(), checks: fc.integer({ min: 1, max: 2 * CHECKS_TO_REST }) })
    const load = fc
      .array(spell, { maxLength: 30 })
      .map((spells) => spells.flatMap(({ busy, checks }) => Array<boolean>(checks).fill(busy)))
    await fc.assert(
      fc.asyncProperty(load, async (busy) => {
        const { rest, made } = compaction([QUIET, ...busy.map((b) => (b ? BUSY : QUIET))])
        rest.afterStartup()
        await vi.advanceTimersByTimeAsync(0)
        await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS * busy.length)
        rest.stop()
        // The model: a compaction at startup, then one at each check that completes CHECKS_TO_REST quiet ones after a busy one.
        const expected = [0]
        let owed = false
        let quiet = 0
        busy.forEach((b, i) => {
          if (b) {
            owed = true
            quiet = 0
          } else if (++quiet >= CHECKS_TO_REST && owed) {
            owed = false
            expected.push(i + 1)
          }
        })
        expect(made).toEqual(expected)
      }),
      { numRuns: 100 },
    )
  })

  it('does not count its own collection as work: one per rest, not one a minute at rest', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let justCompacted = false
    let reads = 0
    const rest = createRestCompaction({
      compact: () => {
        justCompacted = true
      },
      // The collection's time shows in the next reading (a long one: 100 ms of 5 s), a burst in the second.
      utilisation: () => {
        reads++
        const busy = justCompacted || reads === 2
        justCompacted = false
        return busy ? BUSY : QUIET
      },
      log: captureLogs().logger,
    })
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(REST_MS * 20)
    rest.stop()
    // Startup's, and the one after the burst's rest.
    expect(rest.count()).toBe(2)
  })

  it('stops with the app: no timer left, nothing made after', async () => {
    const { rest, checks } = compaction([BUSY])
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    rest.stop()
    const read = checks()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(REST_MS * 3)
    expect(checks()).toBe(read)
    expect(rest.count()).toBe(1)
    rest.afterStartup()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps its timer from holding the process open', async () => {
    const { rest } = compaction()
    const spy = vi.spyOn(globalThis, 'setTimeout')
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    const timers = spy.mock.results.map((r) => r.value as NodeJS.Timeout)
    expect(timers.length).toBeGreaterThanOrEqual(2)
    expect(timers.every((timer) => !timer.hasRef())).toBe(true)
    rest.stop()
  })

  it('says what it gave back at debug, and a failed collection as a warning, then goes on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { logger, lines } = captureLogs('debug')
    let calls = 0
    const rest = createRestCompaction({
      compact: () => {
        if (++calls === 1) throw new Error('no memory to give')
      },
      utilisation: (() => {
        const loads = [QUIET, BUSY]
        return () => loads.shift() ?? QUIET
      })(),
      log: logger,
    })
    rest.afterStartup()
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS * (1 + CHECKS_TO_REST))
    rest.stop()
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(records[0]).toMatchObject({
      level: 40,
      msg: 'memory compaction failed',
      err: { message: 'no memory to give' },
    })
    expect(records[1]).toMatchObject({
      level: 20,
      msg: 'memory given back',
      reason: 'rest',
      ms: expect.any(Number) as number,
      rssBeforeMb: expect.any(Number) as number,
      rssAfterMb: expect.any(Number) as number,
    })
    expect(calls).toBe(2)
    expect(rest.count()).toBe(1)
  })

  it('does nothing in a process without gc (node without --expose-gc)', async () => {
    vi.stubGlobal('gc', undefined)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const rest = createRestCompaction({ utilisation: () => BUSY, log: captureLogs().logger })
    rest.afterStartup()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(REST_MS * 3)
    expect(rest.count()).toBe(0)
  })

  it("with V8's own gc: the young generation a burst grew is given back", async () => {
    setFlagsFromString('--expose-gc')
    vi.stubGlobal('gc', runInNewContext('gc'))
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0
    // Objects that live through a few scavenges make V8 grow its young generation.
    const kept: unknown[] = []
    for (let round = 0; round < 40; round++) {
      kept.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i })))
      if (kept.length > 8) kept.shift()
    }
    kept.length = 0
    const grown = young()
    const { logger, lines } = captureLogs('debug')
    const rest = createRestCompaction({ log: logger })
    rest.afterStartup()
    await new Promise((resolve) => setTimeout(resolve, 10))
    rest.stop()
    expect(rest.count()).toBe(1)
    expect(grown).toBeGreaterThanOrEqual(4 * 1024 * 1024)
    expect(young()).toBeLessThanOrEqual(grown / 2)
    expect(lines.join('')).toContain('"reason":"startup"')
  })
})

describe('in the app', () => {
  let upstream: Simulator | undefined
  let app: App | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
    await upstream?.close()
    upstream = undefined
  })

  it("gives startup's memory back once its first polls have settled", async () => {
    upstream = await startTestUpstream()
    let made = 0
    app = (await buildTestApp({ upstream, deps: { compact: () => made++ } })).app
    await app.ready()
    expect(made).toBe(0)
    await firstPolls(app)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(made).toBe(1)
  })

  it('gives nothing back once shutdown has begun, even when the first polls settle then', async () => {
    let made = 0
    const aborted = (signal?: AbortSignal) =>
      new Promise<never>((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          reject(new Error('aborted'))
        })
      })
    const client: UpstreamClient = { fetchStatus: aborted, fetchMonitors: aborted }
    app = (await buildTestApp({ deps: { client, compact: () => made++ } })).app
    await app.ready()
    app.beginShutdown()
    // Stopping the poller aborts the first polls: they settle now, during the drain.
    await firstPolls(app)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(made).toBe(0)
  })
})
