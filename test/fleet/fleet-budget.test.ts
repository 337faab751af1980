import { describe, expect, it } from 'vitest'
import { createFleetBudget } from '../../src/fleet/fleet-budget.js'
import { budgetShare } from '../../src/fleet/share.js'
import { createMemoryBudget } from '../../src/upstream/budget.js'

function setup() {
  let now = 1_000_000
  const clock = { now: () => now }
  const limits = { perMinute: 12, perHour: 100 }
  const recorded: number[][] = []
  const windows = createMemoryBudget(limits, clock)
  const shared = {
    take: () => windows.take(),
    hold: (until: number) => windows.hold(until),
    state: () => windows.state(),
    record: async (ages: readonly number[]) => {
      recorded.push([...ages])
    },
  }
  const link = { reachable: true }
  const failures: unknown[] = []
  const budget = createFleetBudget({
    shared,
    share: createMemoryBudget(budgetShare(limits, 3), clock),
    clock,
    reachable: () => link.reachable,
    failed: (err) => failures.push(err),
  })
  return { budget, link, recorded, failures, advance: (ms: number) => (now += ms) }
}

const grants = async (budget: { take(): Promise<{ granted: boolean }> }, n: number) => {
  let granted = 0
  for (let i = 0; i < n; i++) if ((await budget.take()).granted) granted++
  return granted
}

describe("a replica's budget in a fleet", () => {
  it('divides the budget by FLEET_SIZE_HINT, rounding down, never below one call', () => {
    expect(budgetShare({ perMinute: 30, perHour: 500 }, 2)).toEqual({ perMinute: 15, perHour: 250 })
    expect(budgetShare({ perMinute: 30, perHour: 500 }, 3)).toEqual({ perMinute: 10, perHour: 166 })
    expect(budgetShare({ perMinute: 1, perHour: 1 }, 5)).toEqual({ perMinute: 1, perHour: 1 })
  })

  it("spends the fleet's windows while Redis answers, and only its share while it does not", async () => {
    const { budget, link, advance } = setup()
    expect(budget.scope()).toBe('fleet')
    expect(await grants(budget, 20)).toBe(12)
    expect((await budget.state()).minute).toEqual({ limit: 12, left: 0 })
    advance(61_001)
    link.reachable = false
    expect(budget.scope()).toBe('share')
    // 12 / 3 = 4 a minute, whatever the fleet's windows say.
    expect(await grants(budget, 20)).toBe(4)
    expect((await budget.state()).minute).toEqual({ limit: 4, left: 0 })
  })

  it("counts the share's calls into the fleet's windows when Redis is back", async () => {
    const { budget, link, recorded, advance } = setup()
    link.reachable = false
    expect(await grants(budget, 2)).toBe(2)
    advance(10_000)
    link.reachable = true
    await budget.flush()
    expect(recorded).toEqual([[10_000, 10_000]])
    await budget.flush()
    expect(recorded).toHaveLength(1)
  })

  it('falls back on the share when a call to Redis fails, and says so', async () => {
    const failures: unknown[] = []
    const broken = createFleetBudget({
      shared: {
        take: () => Promise.reject(new Error('Connection is closed.')),
        hold: () => Promise.reject(new Error('Connection is closed.')),
        state: () => Promise.reject(new Error('Connection is closed.')),
        record: () => Promise.reject(new Error('Connection is closed.')),
      },
      share: createMemoryBudget({ perMinute: 2, perHour: 10 }, { now: () => 0 }),
      clock: { now: () => 0 },
      reachable: () => true,
      failed: (err) => failures.push(err),
    })
    expect(await grants(broken, 5)).toBe(2)
    expect(failures).toHaveLength(5)
  })
})
