import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UpstreamClient } from '../src/upstream/client.js'
import { buildTestApp } from './helper.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('the app lifecycle', () => {
  it('polls once ready and stops polling when closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const calls = { status: 0, monitors: 0 }
    const client: UpstreamClient = {
      fetchStatus: async () => {
        calls.status++
        return {
          overall: 'operational',
          counts: { total: 1, up: 1, down: 0, pending: 0, paused: 0 },
          uptimePercentage: 100,
          activeIncidents: 0,
          incidents: [],
          upstreamTime: undefined,
        }
      },
      fetchMonitors: async () => {
        calls.monitors++
        return { monitors: [], skipped: 0, duplicates: 0 }
      },
    }
    const { app } = await buildTestApp({ deps: { client }, env: { CACHE_TTL_SECONDS: '60' } })
    expect(calls).toEqual({ status: 0, monitors: 0 })
    await app.ready()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toEqual({ status: 1, monitors: 1 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toEqual({ status: 2, monitors: 2 })
    await app.close()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(calls).toEqual({ status: 2, monitors: 2 })
  })
})
