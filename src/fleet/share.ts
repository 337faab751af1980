import type { BudgetLimits } from '../upstream/budget.js'

/**
 * A replica's share of the upstream budget while Redis is unreachable: each
 * replica then counts only its own calls, so each may make 1/FLEET_SIZE_HINT
 * of them (rounded down, at least one) and the fleet together no more than
 * the budget, as long as it has no more replicas than the hint says.
 */
export function budgetShare(limits: BudgetLimits, fleetSizeHint: number): BudgetLimits {
  return {
    perMinute: Math.max(1, Math.floor(limits.perMinute / fleetSizeHint)),
    perHour: Math.max(1, Math.floor(limits.perHour / fleetSizeHint)),
  }
}
