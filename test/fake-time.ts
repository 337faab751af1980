import { vi } from 'vitest'
import { Secret } from '../src/config/secret.js'
import type { Simulator } from '../src/dev/simulator.js'
import { createUpstreamClient, type UpstreamClient } from '../src/upstream/client.js'
import { TEST_API_KEY } from './helper.js'

/**
 * Fake time over a real upstream: timers and Date are faked, the simulated
 * upstream still answers over loopback. The client is the real one, wrapped
 * to know when a call is in flight, so that time only moves while none is
 * (a call in flight has taken no time at all, as far as the clocks know).
 */
export function fakeTimeOverUpstream(upstream: Simulator) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  let inFlight = 0
  let onRemaining: (remaining: number | undefined) => void = () => undefined
  const real = createUpstreamClient({
    baseUrl: upstream.url,
    apiKey: new Secret(TEST_API_KEY),
    timeoutMs: 5_000,
    userAgent: 'status-badge-proxy/test',
    rateLimitRemaining: (remaining) => {
      onRemaining(remaining)
    },
  })
  const tracked = <T>(call: () => Promise<T>): Promise<T> => {
    inFlight++
    return call().finally(() => {
      inFlight--
    })
  }
  const client: UpstreamClient = {
    fetchStatus: (signal) => tracked(() => real.fetchStatus(signal)),
    fetchMonitors: (signal) => tracked(() => real.fetchMonitors(signal)),
  }

  /** Real event-loop turns until no call is in flight, then the microtasks that follow. */
  async function settle(): Promise<void> {
    do {
      await new Promise((resolve) => setImmediate(resolve))
    } while (inFlight > 0)
    await vi.advanceTimersByTimeAsync(0)
    if (inFlight > 0) await settle()
  }

  /** Moves fake time on by `ms`, in steps, letting every call started on the way finish first. */
  async function advance(ms: number, stepMs = 100): Promise<void> {
    await settle()
    for (let passed = 0; passed < ms; passed += stepMs) {
      await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - passed))
      await settle()
    }
  }

  return {
    client,
    settle,
    advance,
    /** What app.ts does with X-RateLimit-Remaining, for an app given this client. */
    reportRemaining(to: (remaining: number | undefined) => void) {
      onRemaining = to
    },
    restore() {
      vi.useRealTimers()
    },
  }
}

/** The largest number of `times` in any span of `spanMs` ([t, t + spanMs)). */
export function busiestSpan(times: readonly number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  let head = 0
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[head] ?? 0) >= spanMs) head++
    most = Math.max(most, i - head + 1)
  }
  return most
}
