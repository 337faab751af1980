import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryBudget, waitForBudget, WINDOW_SLACK_MS, type UpstreamBudget } from '../../src/upstream/budget.js'

const MINUTE = 60_000
const HOUR = 3_600_000

function manualClock(start = 0) {
  let now = start
  return {
    now: () => now,
    set: (t: number) => {
      now = t
    },
  }
}

async function granted(budget: UpstreamBudget): Promise<boolean> {
  return (await budget.take()).granted
}

/** The largest number of times in any span of `spanMs` (a span [t, t + spanMs)). */
function busiestSpan(times: readonly number[], spanMs: number): number {
  let most = 0
  let head = 0
  for (let i = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[head] ?? 0) >= spanMs) head++
    most = Math.max(most, i - head + 1)
  }
  return most
}

describe('the in-memory budget', () => {
  it('grants the per-minute limit, then says how long until the oldest call leaves the window', async () => {
    const clock = manualClock()
    const budget = createMemoryBudget({ perMinute: 3, perHour: 100 }, clock)
    for (const t of [0, 10_000, 20_000]) {
      clock.set(t)
      expect(await granted(budget)).toBe(true)
    }
    clock.set(30_000)
    expect(await budget.take()).toEqual({ granted: false, waitMs: MINUTE + WINDOW_SLACK_MS - 30_000 })
    clock.set(MINUTE + WINDOW_SLACK_MS - 1)
    expect(await granted(budget)).toBe(false)
    clock.set(MINUTE + WINDOW_SLACK_MS)
    expect(await granted(budget)).toBe(true)
    expect(await granted(budget)).toBe(false)
  })

  it('slides: a burst that straddles a minute boundary is not let through twice', async () => {
    // A calendar-minute counter, or a bucket refilled at 59 s, would let 60 through here.
    const clock = manualClock()
    const budget = createMemoryBudget({ perMinute: 30, perHour: 1000 }, clock)
    clock.set(59_000)
    let first = 0
    for (let i = 0; i < 40; i++) if (await granted(budget)) first++
    clock.set(61_000)
    let second = 0
    for (let i = 0; i < 40; i++) if (await granted(budget)) second++
    expect([first, second]).toEqual([30, 0])
  })

  it('keeps the hourly limit in any 3600 s span', async () => {
    const clock = manualClock()
    const budget = createMemoryBudget({ perMinute: 10, perHour: 12 }, clock)
    const times: number[] = []
    for (let t = 0; t < 3 * HOUR; t += 5_000) {
      clock.set(t)
      if (await granted(budget)) times.push(t)
    }
    expect(busiestSpan(times, HOUR)).toBe(12)
    expect(busiestSpan(times, MINUTE)).toBeLessThanOrEqual(10)
    // Used up in the first 10 minutes of each hour (10 a minute, 12 an hour), then a wait.
    expect(times.filter((t) => t < HOUR)).toHaveLength(12)
  })

  it('never lets more than either limit through any span, whatever the pattern of asking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 300 }),
        async (perMinute, perHour, gaps) => {
          const clock = manualClock()
          const budget = createMemoryBudget({ perMinute, perHour }, clock)
          const times: number[] = []
          let t = 0
          for (const gap of gaps) {
            t += gap
            clock.set(t)
            if (await granted(budget)) times.push(t)
          }
          expect(busiestSpan(times, MINUTE + WINDOW_SLACK_MS)).toBeLessThanOrEqual(perMinute)
          expect(busiestSpan(times, HOUR + WINDOW_SLACK_MS)).toBeLessThanOrEqual(perHour)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('grants as soon as it may: a caller told to wait is granted right after', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 20 }), async (perMinute, perHour) => {
        const clock = manualClock()
        const budget = createMemoryBudget({ perMinute, perHour }, clock)
        for (let i = 0; i < 40; i++) {
          const grant = await budget.take()
          if (grant.granted) continue
          clock.set(clock.now() + grant.waitMs - 1)
          expect(await granted(budget)).toBe(false)
          clock.set(clock.now() + 1)
          expect(await granted(budget)).toBe(true)
        }
      }),
      { numRuns: 50 },
    )
  })

  it('holds every caller until a hold ends', async () => {
    const clock = manualClock(1_000)
    const budget = createMemoryBudget({ perMinute: 30, perHour: 500 }, clock)
    await budget.hold(31_000)
    await budget.hold(5_000) // An earlier end never shortens it.
    expect(await budget.take()).toEqual({ granted: false, waitMs: 30_000 })
    clock.set(31_000)
    expect(await granted(budget)).toBe(true)
  })

  it('tells what is left in each window, and when the next call may be made', async () => {
    const clock = manualClock()
    const budget = createMemoryBudget({ perMinute: 2, perHour: 5 }, clock)
    expect(await budget.state()).toEqual({ minute: { limit: 2, left: 2 }, hour: { limit: 5, left: 5 }, nextCallAt: 0 })
    await budget.take()
    clock.set(1_000)
    await budget.take()
    expect(await budget.state()).toEqual({
      minute: { limit: 2, left: 0 },
      hour: { limit: 5, left: 3 },
      nextCallAt: MINUTE + WINDOW_SLACK_MS,
    })
    clock.set(MINUTE + WINDOW_SLACK_MS)
    expect((await budget.state()).minute.left).toBe(1)
  })

  it('counts a clock set back as no earlier than the last call', async () => {
    const clock = manualClock(100_000)
    const budget = createMemoryBudget({ perMinute: 1, perHour: 10 }, clock)
    expect(await granted(budget)).toBe(true)
    clock.set(10_000)
    expect(await granted(budget)).toBe(false)
  })
})

describe('waitForBudget', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('waits for the budget, telling once that the call was delayed', async () => {
    vi.useFakeTimers({ now: 0 })
    const budget = createMemoryBudget({ perMinute: 1, perHour: 10 }, { now: Date.now })
    const delayed = vi.fn()
    await waitForBudget(budget, { delayed })
    expect(delayed).not.toHaveBeenCalled()
    let done = false
    void waitForBudget(budget, { delayed }).then(() => (done = true))
    await vi.advanceTimersByTimeAsync(MINUTE + WINDOW_SLACK_MS - 1)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
    expect(delayed).toHaveBeenCalledOnce()
  })

  it('stops waiting when aborted', async () => {
    vi.useFakeTimers({ now: 0 })
    const budget = createMemoryBudget({ perMinute: 1, perHour: 10 }, { now: Date.now })
    await budget.take()
    const controller = new AbortController()
    const waiting = waitForBudget(budget, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(1_000)
    controller.abort()
    await expect(waiting).rejects.toThrow(/abort/i)
    expect(vi.getTimerCount()).toBe(0)
  })
})
