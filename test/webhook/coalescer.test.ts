import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Poller, RefreshOptions, Resource, ResourceState } from '../../src/status/poller.js'
import { createRefreshCoalescer, type RefreshCoalescer } from '../../src/webhook/coalescer.js'
import { captureLogs } from '../helper.js'

const INTERVAL = 10_000

/** Just enough poller: each refresh is one call of `latencyMs`, counted like the real one. */
function fakePoller(latencyMs = 200) {
  const state = { status: { calls: 0, answeredCall: 0 }, monitors: { calls: 0, answeredCall: 0 } }
  const refreshes: Array<{ resource: Resource; at: number; after: number | undefined }> = []
  const poller = {
    async refresh(resource: Resource, options: RefreshOptions = {}) {
      refreshes.push({ resource, at: Date.now(), after: options.after })
      const s = state[resource]
      s.calls += 1
      const call = s.calls
      await new Promise((resolve) => setTimeout(resolve, latencyMs))
      s.answeredCall = call
      return undefined
    },
    state: (resource: Resource) => state[resource] as unknown as ResourceState,
  }
  return { poller: poller as unknown as Poller, refreshes, state }
}

let coalescer: RefreshCoalescer | undefined
beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
})
afterEach(() => {
  coalescer?.close()
  vi.useRealTimers()
})

function start(poller: Poller) {
  const observed: string[] = []
  coalescer = createRefreshCoalescer({
    poller,
    intervalMs: INTERVAL,
    clock: { now: Date.now },
    log: captureLogs().logger,
    observe: (resource, what) => observed.push(`${resource} ${what}`),
  })
  return { coalescer, observed }
}

describe('the refresh coalescer', () => {
  it('refreshes at once when nothing ran within the interval', async () => {
    const { poller, refreshes } = fakePoller()
    const { coalescer } = start(poller)
    expect(coalescer.request('status')).toBe('started')
    expect(refreshes).toEqual([{ resource: 'status', at: 0, after: 0 }])
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(coalescer.request('status')).toBe('started')
    expect(refreshes.map((r) => r.at)).toEqual([0, INTERVAL])
  })

  it('serves a storm with one refresh per interval and one at the end of the last window', async () => {
    const { poller, refreshes } = fakePoller()
    const { coalescer, observed } = start(poller)
    const actions: string[] = []
    // 300 requests in 10 s, 33 ms apart.
    for (let i = 0; i < 300; i++) {
      actions.push(coalescer.request('status'))
      await vi.advanceTimersByTimeAsync(33)
    }
    await vi.advanceTimersByTimeAsync(INTERVAL * 2)
    const starts = refreshes.map((r) => r.at)
    expect(starts).toEqual([0, INTERVAL])
    expect(actions.filter((a) => a === 'started')).toHaveLength(1)
    // The last request (at 9.867 s) is served by the refresh at 10 s, which starts after it.
    expect(refreshes.at(-1)?.at).toBeGreaterThan(299 * 33)
    expect(observed.filter((o) => o === 'status triggered')).toHaveLength(2)
    expect(observed.filter((o) => o === 'status coalesced')).toHaveLength(298)
  })

  it('keeps its lanes apart: each resource has its own window', async () => {
    const { poller, refreshes } = fakePoller()
    const { coalescer } = start(poller)
    coalescer.request('status')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(coalescer.request('monitors')).toBe('started')
    expect(coalescer.request('status')).toBe('scheduled')
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(refreshes.map((r) => `${r.resource}@${r.at}`)).toEqual(['status@0', 'monitors@3000', `status@${INTERVAL}`])
  })

  it('schedules one more when a request comes while a refresh is running', async () => {
    const { poller, refreshes } = fakePoller(15_000)
    const { coalescer } = start(poller)
    coalescer.request('status')
    await vi.advanceTimersByTimeAsync(1_000)
    // The call has left already: what it reads may predate this request.
    expect(coalescer.request('status')).toBe('scheduled')
    expect(coalescer.request('status')).toBe('coalesced')
    await vi.advanceTimersByTimeAsync(14_001)
    // The first ended at 15 s, past its window: the next starts then.
    expect(refreshes).toHaveLength(2)
    expect(refreshes[1]?.at).toBeGreaterThanOrEqual(15_000)
    expect(refreshes[1]?.at).toBeLessThanOrEqual(15_001)
    expect(refreshes[1]?.after).toBe(1)
  })

  it('skips a refresh that a poll since the request has made unnecessary', async () => {
    const { poller, refreshes, state } = fakePoller()
    const { coalescer, observed } = start(poller)
    coalescer.request('status')
    await vi.advanceTimersByTimeAsync(2_000)
    expect(coalescer.request('status')).toBe('scheduled')
    // A scheduled poll leaves and answers after the request, before the window's end.
    state.status.calls += 1
    state.status.answeredCall = state.status.calls
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(refreshes).toHaveLength(1)
    expect(observed).toEqual(['status triggered', 'status coalesced'])
  })

  it('holds one timer per resource at most, and none once closed', async () => {
    const { poller } = fakePoller()
    const { coalescer } = start(poller)
    coalescer.request('status')
    coalescer.request('monitors')
    await vi.advanceTimersByTimeAsync(500)
    for (let i = 0; i < 1000; i++) {
      coalescer.request('status')
      coalescer.request('monitors')
    }
    expect(vi.getTimerCount()).toBe(2)
    coalescer.close()
    expect(vi.getTimerCount()).toBe(0)
    expect(coalescer.request('status')).toBe('coalesced')
    expect(vi.getTimerCount()).toBe(0)
  })
})
